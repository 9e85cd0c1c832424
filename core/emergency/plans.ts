// 应急预案: the town's emergency plans (方案6: 迅速按照应急预案开展工作,组织居民疏散; 方案5: 迅速启动
// 网格应急机制). A plan names the event categories it covers, its steps (each with the role
// that carries it out), the roles, whom to call and which resources to bring. The library
// lives in the replica (the admin edits it, or imports it from a JSON or Excel file);
// DEMO_PLANS is what the demo's replica starts with; a real town's starts empty.
import * as z from 'zod';

const text = (label: string, max: number) =>
  z.string({ error: `${label}必须是文字` }).trim().min(1, `${label}不能为空`).max(max, `${label}不能超过${max}个字`);

export const RESOURCE_KINDS = ['team', 'materials', 'shelter', 'vehicle'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export const RESOURCE_KIND_LABELS: Record<ResourceKind, string> = { team: '应急队伍', materials: '物资仓库', shelter: '避难场所', vehicle: '应急车辆' };

export const PlanStepSchema = z.object({ id: text('步骤编号', 32), text: text('步骤内容', 300), role: text('责任角色', 40) });
export const PlanContactSchema = z.object({ name: text('联系人', 40), duty: text('职务', 60), phone: text('电话', 32) });

export const PlanSchema = z.object({
  id: z.string().trim().regex(/^[A-Za-z0-9_-]{1,40}$/, '预案编号只能包含字母、数字、下划线和连字符(1-40 个)'),
  name: text('预案名称', 60),
  /** 响应级别, e.g. Ⅳ级. */
  level: z.string().trim().max(20).default(''),
  /** Category codes (事项清单) it covers; a parent code covers its children. */
  categories: z.array(z.string().trim().regex(/^\d{2,6}$/, '类别编码应为数字')).max(50).default([]),
  /** Words in an event's title that call for it when no category matches. */
  keywords: z.array(z.string().trim().min(1).max(20)).max(30).default([]),
  steps: z.array(PlanStepSchema).min(1, '预案至少要有一个处置步骤').max(40),
  roles: z.array(z.object({ role: text('角色', 40), duty: text('职责', 200) })).max(20).default([]),
  contacts: z.array(PlanContactSchema).max(30).default([]),
  /** Resource kinds to bring (RESOURCE_KINDS). */
  resources: z.array(z.enum(RESOURCE_KINDS, { error: `资源类型应为 ${RESOURCE_KINDS.join('、')} 之一` })).max(10).default([]),
});
export type Plan = z.output<typeof PlanSchema>;

const steps = (...list: [string, string][]) => list.map(([role, t], i) => ({ id: `s${i + 1}`, role, text: t }));

/** The demo library: plausible township plans (乡镇应急预案), fitted to the demo's 事项清单. */
export const DEMO_PLANS: readonly Plan[] = [
  {
    id: 'fire',
    name: '火灾事故应急预案',
    level: 'Ⅳ级',
    categories: ['0201'],
    keywords: ['火', '烟', '燃烧'],
    steps: steps(
      ['值班调度员', '核实火情:位置、燃烧物、有无人员被困,拨打 119 报警'],
      ['指挥长', '启动网格应急机制,通知就近网格员和义务消防队赶赴现场'],
      ['网格员', '组织周边居民疏散至安全地带,清点人数'],
      ['义务消防队', '使用就近消防器材初期扑救,切断电源、气源'],
      ['网格员', '设置警戒区,引导消防车辆通行'],
      ['值班调度员', '向镇主要领导和县应急管理局报告进展'],
      ['网格员', '火灾扑灭后看守现场,配合调查,统计损失'],
    ),
    roles: [
      { role: '指挥长', duty: '分管安全副镇长,统一指挥' },
      { role: '网格员', duty: '疏散群众、警戒、信息报送' },
      { role: '义务消防队', duty: '初期火灾扑救' },
    ],
    contacts: [
      { name: '镇安监站值班室', duty: '安全生产监管', phone: '0730-2110119' },
      { name: '镇派出所值班室', duty: '现场警戒', phone: '0730-2110110' },
    ],
    resources: ['team', 'materials', 'vehicle', 'shelter'],
  },
  {
    id: 'flood',
    name: '防汛抗洪应急预案',
    level: 'Ⅳ级',
    categories: ['0206', '0208'],
    keywords: ['水位', '汛', '洪', '内涝', '溃堤', '漫堤'],
    steps: steps(
      ['值班调度员', '核实水位、雨情和险情位置,上报镇防汛办'],
      ['指挥长', '启动防汛应急响应,安排巡堤查险'],
      ['网格员', '通知低洼地带、危房住户转移至避险安置点,逐户清点'],
      ['抢险队', '携带编织袋、砂石、救生衣赶赴险段处置'],
      ['网格员', '在积水路段、涵洞设置警示,劝离围观群众'],
      ['值班调度员', '每小时报告一次水位和转移人数'],
    ),
    roles: [
      { role: '指挥长', duty: '镇长或分管水利副镇长' },
      { role: '抢险队', duty: '民兵应急分队,巡堤查险、抢险' },
      { role: '网格员', duty: '转移群众、清点人数、信息报送' },
    ],
    contacts: [
      { name: '镇防汛办', duty: '防汛调度', phone: '0730-2118866' },
      { name: '镇水利站', duty: '水情监测', phone: '0730-2113301' },
    ],
    resources: ['team', 'materials', 'shelter', 'vehicle'],
  },
  {
    id: 'gas',
    name: '燃气泄漏应急预案',
    level: 'Ⅳ级',
    categories: ['0205'],
    keywords: ['燃气', '煤气', '液化气', '泄漏'],
    steps: steps(
      ['值班调度员', '核实泄漏位置,通知燃气公司抢修'],
      ['网格员', '劝离周边人员,严禁明火、开关电器'],
      ['网格员', '设置 50 米警戒区'],
      ['值班调度员', '跟踪抢修进度,报告镇安监站'],
    ),
    roles: [{ role: '网格员', duty: '疏散、警戒' }],
    contacts: [{ name: '燃气公司抢修热线', duty: '抢修', phone: '0730-2112345' }],
    resources: ['team', 'vehicle'],
  },
  {
    id: 'geohazard',
    name: '地质灾害应急预案',
    level: 'Ⅳ级',
    categories: ['0206'],
    keywords: ['滑坡', '塌方', '泥石流', '崩塌'],
    steps: steps(
      ['值班调度员', '核实险情规模和受威胁户数,报告镇国土所'],
      ['网格员', '通知受威胁群众立即撤离到安置点'],
      ['抢险队', '设置警戒线,监测裂缝变化'],
      ['值班调度员', '协调县自然资源局专家到场研判'],
    ),
    roles: [{ role: '抢险队', duty: '警戒、监测' }],
    contacts: [{ name: '镇国土所', duty: '地灾监测', phone: '0730-2115520' }],
    resources: ['team', 'shelter', 'vehicle'],
  },
  {
    id: 'crowd',
    name: '群体性事件应急预案',
    level: 'Ⅳ级',
    categories: ['0404'],
    keywords: ['聚集', '上访', '围堵'],
    steps: steps(
      ['值班调度员', '核实人数、诉求和现场态势,报告镇综治中心'],
      ['网格员', '到场劝导,了解诉求,防止事态扩大'],
      ['指挥长', '组织相关部门现场答复诉求'],
      ['值班调度员', '跟踪处置,事后形成书面报告'],
    ),
    roles: [{ role: '指挥长', duty: '镇党委副书记(政法)' }],
    contacts: [{ name: '镇综治中心', duty: '矛盾调处', phone: '0730-2117700' }],
    resources: ['team', 'vehicle'],
  },
  {
    id: 'general',
    name: '突发事件综合应急预案',
    level: 'Ⅳ级',
    categories: [],
    keywords: [],
    steps: steps(
      ['值班调度员', '核实事件性质、位置和影响范围'],
      ['指挥长', '启动网格应急机制,明确牵头部门'],
      ['网格员', '就近到场,控制现场,组织群众避险'],
      ['值班调度员', '按要求逐级报告,跟踪处置直至结束'],
    ),
    roles: [{ role: '指挥长', duty: '值班领导' }],
    contacts: [{ name: '镇政府总值班室', duty: '应急值守', phone: '0730-2110000' }],
    resources: ['team', 'materials', 'shelter', 'vehicle'],
  },
];

/** The id of the plan used when nothing else fits. */
export const GENERAL_PLAN_ID = 'general';

/**
 * The plan that fits an event: the one naming its category (or the category's parent, the
 * longest code first), else the first whose keyword is in the title, else the general
 * plan, else the library's first; null for an empty library.
 */
export function planFor(plans: readonly Plan[], event: { category: string; title: string }): Plan | null {
  for (let len = event.category.length; len >= 2; len -= 2) {
    const code = event.category.slice(0, len);
    const hit = plans.find((p) => p.categories.includes(code));
    if (hit) return hit;
  }
  const byWord = plans.find((p) => p.keywords.some((k) => event.title.includes(k)));
  return byWord ?? plans.find((p) => p.id === GENERAL_PLAN_ID) ?? plans[0] ?? null;
}

// ---------------------------------------------------------------- import

export type PlanImport = { ok: true; plans: Plan[] } | { ok: false; errors: string[] };

const describe = (issues: readonly z.core.$ZodIssue[]): string => [...new Set(issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)))].join('；');

/** Plans from parsed JSON: a list of plans or `{ plans: [...] }`. Every error names the plan (by position and id). */
export function plansFromJson(json: unknown): PlanImport {
  const list = Array.isArray(json) ? json : Array.isArray((json as { plans?: unknown } | null)?.plans) ? (json as { plans: unknown[] }).plans : null;
  if (list === null) return { ok: false, errors: ['文件内容应为预案列表,或 { "plans": [...] }'] };
  return checkPlans(list.map((raw, i) => ({ raw, where: `第 ${i + 1} 个预案` })));
}

/** The spreadsheet's columns (the first row names them). */
export const PLAN_SHEET_COLUMNS = ['预案编号', '预案名称', '响应级别', '适用类别', '关键词', '处置步骤', '职责分工', '联系人', '所需资源'] as const;

const split = (cell: string | undefined, sep: RegExp = /[,，、;；\s]+/): string[] => (cell ?? '').split(sep).map((s) => s.trim()).filter((s) => s.length > 0);
const lines = (cell: string | undefined): string[] => split(cell, /\r?\n/);
const pair = (line: string): [string, string] => {
  const m = /^(.+?)[:：](.+)$/.exec(line);
  return m ? [m[1]!.trim(), m[2]!.trim()] : ['', line.trim()];
};
const KIND_BY_LABEL = new Map<string, string>(Object.entries(RESOURCE_KIND_LABELS).map(([k, v]) => [v, k]));

/**
 * Plans from a spreadsheet's rows (header → cell text): one plan per row; 处置步骤 one step a
 * line as "角色：内容", 职责分工 "角色：职责", 联系人 "姓名/职务/电话" a line, 所需资源 kinds by
 * their Chinese names. Errors name the row as the operator sees it (the header is row 1).
 */
export function plansFromRows(rows: readonly Record<string, string>[]): PlanImport {
  if (rows.length === 0) return { ok: false, errors: ['表格中没有预案(第一行应为表头:' + PLAN_SHEET_COLUMNS.join('、') + ')'] };
  return checkPlans(rows.map((row, i) => ({ raw: rawPlanOfRow(row), where: `第 ${i + 2} 行` })));
}

/** A plan as the spreadsheet writes it: the columns' text (the editing screen's form uses the same). */
export type PlanRow = Record<(typeof PLAN_SHEET_COLUMNS)[number], string>;

/** The unchecked plan a row describes (PlanSchema checks it). */
function rawPlanOfRow(row: Partial<Record<string, string>>): Record<string, unknown> {
  return {
    id: row['预案编号'] ?? '',
    name: row['预案名称'] ?? '',
    level: row['响应级别'] ?? '',
    categories: split(row['适用类别']),
    keywords: split(row['关键词']),
    steps: lines(row['处置步骤']).map((l, k) => {
      const [role, t] = pair(l);
      return { id: `s${k + 1}`, role: role || '值班调度员', text: t };
    }),
    roles: lines(row['职责分工']).map((l) => {
      const [role, duty] = pair(l);
      return { role, duty };
    }),
    contacts: lines(row['联系人']).map((l) => {
      const [name = '', duty = '', phone = ''] = l.split(/[/／|]/).map((s) => s.trim());
      return { name, duty, phone };
    }),
    resources: split(row['所需资源']).map((r) => KIND_BY_LABEL.get(r) ?? r),
  };
}

/** The row of a plan (the inverse of plansFromRows for one plan): what the editing form starts from. */
export function planToRow(p: Plan): PlanRow {
  return {
    预案编号: p.id,
    预案名称: p.name,
    响应级别: p.level,
    适用类别: p.categories.join('、'),
    关键词: p.keywords.join('、'),
    处置步骤: p.steps.map((s) => `${s.role}：${s.text}`).join('\n'),
    职责分工: p.roles.map((r) => `${r.role}：${r.duty}`).join('\n'),
    联系人: p.contacts.map((c) => `${c.name}/${c.duty}/${c.phone}`).join('\n'),
    所需资源: p.resources.map((r) => RESOURCE_KIND_LABELS[r]).join('、'),
  };
}

/** One plan from its row (the editing form), every error named by its field. */
export function planFromRow(row: Partial<PlanRow>): { ok: true; plan: Plan } | { ok: false; errors: string[] } {
  const r = PlanSchema.safeParse(rawPlanOfRow(row));
  return r.success ? { ok: true, plan: r.data } : { ok: false, errors: r.error.issues.map((i) => `${fieldLabel(i.path)}${i.message}`) };
}

const FIELD_LABELS: Record<string, string> = { id: '预案编号', name: '预案名称', level: '响应级别', categories: '适用类别', keywords: '关键词', steps: '处置步骤', roles: '职责分工', contacts: '联系人', resources: '所需资源' };
const fieldLabel = (path: readonly PropertyKey[]): string => {
  const [key, index] = path;
  const label = FIELD_LABELS[String(key)];
  if (label === undefined) return '';
  return typeof index === 'number' ? `${label}第 ${index + 1} 项:` : `${label}:`;
};

function checkPlans(items: readonly { raw: unknown; where: string }[]): PlanImport {
  if (items.length === 0) return { ok: false, errors: ['文件中没有预案'] };
  if (items.length > 200) return { ok: false, errors: ['一次最多导入 200 个预案'] };
  const errors: string[] = [];
  const plans: Plan[] = [];
  const seen = new Set<string>();
  for (const { raw, where } of items) {
    const r = PlanSchema.safeParse(raw);
    const id = typeof (raw as { id?: unknown } | null)?.id === 'string' ? `(${(raw as { id: string }).id})` : '';
    if (!r.success) {
      errors.push(`${where}${id}:${describe(r.error.issues)}`);
      continue;
    }
    if (seen.has(r.data.id)) errors.push(`${where}${id}:预案编号重复`);
    seen.add(r.data.id);
    plans.push(r.data);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, plans };
}
