// The demo town's list of matters (事项清单) and its handling departments. The
// departments are the member units of the town's grid leading group named in the
// seed (方案2 三(一)); the matters follow the duties the seeds give grid work
// (矛盾化解、隐患排查、卫生管理、治安、便民服务、违法建设 …). Limits are plausible
// defaults for a rural town, not a legal standard: a real town replaces this table.
import type { Category, Department, Limit, Tier } from '../../core/model';

const workDays = (value: number): Limit => ({ value, unit: 'workDays' });
const hours = (value: number): Limit => ({ value, unit: 'hours' });
const days = (value: number): Limit => ({ value, unit: 'days' });

/** Stable ASCII ids: other modules, fixtures and the demo town refer to them. */
export const DEPT = {
  zongzhi: 'dept-zz', //          综治中心
  police: 'dept-pcs', //          派出所
  land: 'dept-gt', //             国土所
  environment: 'dept-hb', //      环保办
  safety: 'dept-aj', //           安监办
  civil: 'dept-mz', //            民政办
  power: 'dept-gd', //            供电所
  service: 'dept-bm', //          便民服务中心
  agriculture: 'dept-ny', //      农业综合服务中心
  finance: 'dept-cj', //          财经服务中心
  enforcement: 'dept-zf', //      行政执法中队
  habitat: 'dept-rj', //          人居环境整治办
  construction: 'dept-xj', //     乡建办
  hotline: 'dept-12345', //       12345热线办
} as const;

const DEPARTMENT_NAMES: ReadonlyArray<readonly [string, string]> = [
  [DEPT.zongzhi, '综治中心'],
  [DEPT.police, '派出所'],
  [DEPT.land, '国土所'],
  [DEPT.environment, '环保办'],
  [DEPT.safety, '安监办'],
  [DEPT.civil, '民政办'],
  [DEPT.power, '供电所'],
  // The seed's list writes "便民服中心"; the same seed names it 便民服务中心 elsewhere.
  [DEPT.service, '便民服务中心'],
  [DEPT.agriculture, '农业综合服务中心'],
  [DEPT.finance, '财经服务中心'],
  [DEPT.enforcement, '行政执法中队'],
  [DEPT.habitat, '人居环境整治办'],
  [DEPT.construction, '乡建办'],
  [DEPT.hotline, '12345热线办'],
];

interface Spec {
  code: string;
  name: string;
  department: string;
  tier: Tier;
  acceptMinutes: number;
  finishLimit: Limit;
  verifyLimit?: Limit;
  cooperating?: string[];
  firstReportReward?: boolean;
}

/** A group and its leaves; a leaf copies the group's limits unless it names its own. */
function group(head: Spec, leaves: Array<Partial<Spec> & { code: string; name: string }>): Category[] {
  const top: Category = { ...head, parent: null };
  return [
    top,
    ...leaves.map((leaf): Category => ({
      ...head,
      ...leaf,
      code: `${head.code}${leaf.code}`,
      parent: head.code,
    })),
  ];
}

// Acceptance: 30 natural minutes by default, 10 for safety and public-order matters.
// 首报激励 (firstReportReward) marks 安保维稳、违法建设、安全生产、环境保护 and 负面舆情.
export const DEMO_CATEGORIES: Category[] = [
  ...group(
    { code: '01', name: '矛盾纠纷', department: DEPT.zongzhi, tier: 'general', acceptMinutes: 30, finishLimit: workDays(5), verifyLimit: workDays(1) },
    [
      { code: '01', name: '邻里纠纷', tier: 'simple' },
      { code: '02', name: '婚姻家庭纠纷', cooperating: [DEPT.civil] },
      { code: '03', name: '土地山林权属纠纷', department: DEPT.land, tier: 'complex', finishLimit: workDays(10), cooperating: [DEPT.zongzhi, DEPT.agriculture] },
      { code: '04', name: '劳资纠纷', tier: 'complex', cooperating: [DEPT.service, DEPT.finance] },
      { code: '05', name: '征地拆迁纠纷', tier: 'complex', finishLimit: workDays(10), cooperating: [DEPT.land, DEPT.construction], firstReportReward: true },
    ],
  ),
  ...group(
    { code: '02', name: '安全隐患', department: DEPT.safety, tier: 'general', acceptMinutes: 10, finishLimit: workDays(3), verifyLimit: workDays(1), firstReportReward: true },
    [
      { code: '01', name: '消防安全隐患', finishLimit: workDays(2), cooperating: [DEPT.police] },
      { code: '02', name: '危房', department: DEPT.construction, finishLimit: workDays(5), cooperating: [DEPT.civil] },
      { code: '03', name: '道路交通安全隐患', department: DEPT.police, cooperating: [DEPT.construction] },
      { code: '04', name: '生产经营安全隐患', tier: 'complex', cooperating: [DEPT.enforcement] },
      { code: '05', name: '燃气安全', finishLimit: hours(4), verifyLimit: hours(2) },
      { code: '06', name: '地质灾害隐患', department: DEPT.land, tier: 'complex', finishLimit: days(1), cooperating: [DEPT.safety] },
      { code: '07', name: '电力线路隐患', department: DEPT.power, finishLimit: hours(24) },
      { code: '08', name: '溺水隐患', tier: 'simple', finishLimit: workDays(2), cooperating: [DEPT.agriculture] },
    ],
  ),
  ...group(
    { code: '03', name: '环境卫生', department: DEPT.habitat, tier: 'simple', acceptMinutes: 30, finishLimit: workDays(2), verifyLimit: workDays(1) },
    [
      { code: '01', name: '垃圾乱堆乱放' },
      { code: '02', name: '河道漂浮物', tier: 'general', cooperating: [DEPT.agriculture] },
      { code: '03', name: '公厕及环卫设施损坏', tier: 'general', finishLimit: workDays(3) },
      { code: '04', name: '病死畜禽乱丢弃', department: DEPT.agriculture, tier: 'general', finishLimit: workDays(1), cooperating: [DEPT.habitat] },
      { code: '05', name: '乱贴乱画' },
    ],
  ),
  ...group(
    { code: '04', name: '社会治安', department: DEPT.police, tier: 'general', acceptMinutes: 10, finishLimit: workDays(3), verifyLimit: workDays(1), firstReportReward: true },
    [
      { code: '01', name: '可疑人员', finishLimit: hours(4), verifyLimit: hours(4) },
      { code: '02', name: '治安隐患', cooperating: [DEPT.zongzhi] },
      { code: '03', name: '重点人员异常动态', tier: 'complex', finishLimit: hours(24), cooperating: [DEPT.zongzhi] },
      { code: '04', name: '群体性事件苗头', department: DEPT.zongzhi, tier: 'complex', finishLimit: hours(24), cooperating: [DEPT.police] },
      { code: '05', name: '电信诈骗线索', finishLimit: workDays(1) },
    ],
  ),
  ...group(
    { code: '05', name: '民生服务', department: DEPT.civil, tier: 'general', acceptMinutes: 30, finishLimit: workDays(5), verifyLimit: workDays(2) },
    [
      { code: '01', name: '低保救助诉求', finishLimit: workDays(10) },
      { code: '02', name: '困难群众帮扶' },
      { code: '03', name: '社保医保代办', department: DEPT.service, tier: 'simple' },
      { code: '04', name: '饮水安全', department: DEPT.agriculture, acceptMinutes: 10, finishLimit: workDays(1), verifyLimit: workDays(1), cooperating: [DEPT.habitat] },
      { code: '05', name: '停电报修', department: DEPT.power, acceptMinutes: 10, finishLimit: hours(8), verifyLimit: workDays(1) },
      { code: '06', name: '农业生产服务', department: DEPT.agriculture },
      { code: '07', name: '惠农补贴诉求', department: DEPT.finance, finishLimit: workDays(10) },
    ],
  ),
  ...group(
    { code: '06', name: '违法建设', department: DEPT.enforcement, tier: 'complex', acceptMinutes: 30, finishLimit: workDays(10), verifyLimit: workDays(2), firstReportReward: true },
    [
      { code: '01', name: '乱搭乱建', tier: 'general', cooperating: [DEPT.construction] },
      { code: '02', name: '违法占地建房', department: DEPT.land, cooperating: [DEPT.enforcement, DEPT.construction] },
      { code: '03', name: '未批先建及违规改扩建', department: DEPT.construction, cooperating: [DEPT.enforcement] },
      { code: '04', name: '占用耕地', department: DEPT.land, cooperating: [DEPT.agriculture, DEPT.enforcement] },
    ],
  ),
  ...group(
    { code: '07', name: '生态环境', department: DEPT.environment, tier: 'general', acceptMinutes: 30, finishLimit: workDays(3), verifyLimit: workDays(1), firstReportReward: true },
    [
      { code: '01', name: '污水排放', tier: 'complex', cooperating: [DEPT.enforcement] },
      { code: '02', name: '秸秆焚烧', tier: 'simple', acceptMinutes: 10, finishLimit: hours(2), verifyLimit: hours(4), cooperating: [DEPT.agriculture] },
      { code: '03', name: '废气粉尘污染', finishLimit: workDays(5) },
      { code: '04', name: '噪声扰民', finishLimit: workDays(2), cooperating: [DEPT.police] },
      { code: '05', name: '非法采砂采石', department: DEPT.land, tier: 'complex', finishLimit: workDays(10), cooperating: [DEPT.environment, DEPT.enforcement] },
      { code: '06', name: '非法捕捞', department: DEPT.agriculture, cooperating: [DEPT.police] },
    ],
  ),
  ...group(
    { code: '08', name: '城乡管理与市容', department: DEPT.enforcement, tier: 'general', acceptMinutes: 30, finishLimit: workDays(3), verifyLimit: workDays(1) },
    [
      { code: '01', name: '路灯损坏', department: DEPT.construction, finishLimit: workDays(5) },
      { code: '02', name: '占道经营', tier: 'simple', finishLimit: workDays(2) },
      { code: '03', name: '道路破损', department: DEPT.construction, finishLimit: workDays(10) },
      { code: '04', name: '井盖缺失', department: DEPT.construction, acceptMinutes: 10, finishLimit: hours(24) },
      { code: '05', name: '户外广告招牌隐患', cooperating: [DEPT.safety] },
    ],
  ),
  ...group(
    { code: '09', name: '12345热线诉求', department: DEPT.hotline, tier: 'general', acceptMinutes: 30, finishLimit: workDays(5), verifyLimit: workDays(1) },
    [
      { code: '01', name: '热线咨询', tier: 'simple', finishLimit: workDays(1) },
      { code: '02', name: '热线投诉转办' },
      { code: '03', name: '热线意见建议', finishLimit: workDays(10) },
    ],
  ),
  ...group(
    { code: '10', name: '舆情信息', department: DEPT.zongzhi, tier: 'complex', acceptMinutes: 10, finishLimit: hours(24), verifyLimit: workDays(1), firstReportReward: true },
    [{ code: '01', name: '负面舆情信息', cooperating: [DEPT.hotline] }],
  ),
];

/** Each department with the category codes it leads, derived so the two tables cannot drift. */
export const DEMO_DEPARTMENTS: Department[] = DEPARTMENT_NAMES.map(([id, name]) => ({
  id,
  name,
  categories: DEMO_CATEGORIES.filter((c) => c.department === id).map((c) => c.code),
}));
