import { describe, it, expect } from 'vitest';
import type { Category, Department, PositionFix, Worker } from '../model';
import { Catalog, CatalogError, DEFAULT_VERIFY_LIMIT, RECOMMEND_ORDER, RECOMMEND_ORDER_TEXT, recommendationKey, recommendWorkers, validateCatalog } from './catalog';
import demoTown from '../../resources/demo-town/town.json';

// The committed demo town's list of matters (county/demo generates it).
const DEMO_CATEGORIES = demoTown.categories as unknown as Category[];
const DEMO_DEPARTMENTS = demoTown.departments as unknown as Department[];
const DEPT = { land: 'dept-gt' } as const;

const cat = (over: Partial<Category> & { code: string }): Category => ({
  name: `事项${over.code}`,
  parent: null,
  acceptMinutes: 30,
  finishLimit: { value: 5, unit: 'workDays' },
  department: 'd1',
  tier: 'general',
  ...over,
});
const depts: Department[] = [
  { id: 'd1', name: '综治中心', categories: ['01', '0101'] },
  { id: 'd2', name: '国土所', categories: [] },
];

describe('demo catalog', () => {
  it('is valid and has 30-50 leaves under its groups', () => {
    expect(validateCatalog(DEMO_CATEGORIES, DEMO_DEPARTMENTS)).toEqual([]);
    const catalog = new Catalog(DEMO_CATEGORIES, DEMO_DEPARTMENTS);
    expect(catalog.leaves().length).toBe(49);
    expect(catalog.roots().map((c) => c.name)).toEqual([
      '矛盾纠纷', '安全隐患', '环境卫生', '社会治安', '民生服务', '违法建设', '生态环境', '城乡管理与市容', '12345热线诉求', '舆情信息',
    ]);
  });

  it('names the fourteen member units of the seed with stable ids', () => {
    expect(DEMO_DEPARTMENTS.map((d) => d.name).join('、')).toBe(
      '综治中心、派出所、国土所、环保办、安监办、民政办、供电所、便民服务中心、农业综合服务中心、财经服务中心、行政执法中队、人居环境整治办、乡建办、12345热线办',
    );
    expect(DEMO_DEPARTMENTS[0]).toMatchObject({ id: 'dept-zz', name: '综治中心' });
    for (const d of DEMO_DEPARTMENTS) expect(d.id).toMatch(/^dept-[a-z0-9]+$/);
    const land = DEMO_DEPARTMENTS.find((d) => d.id === DEPT.land);
    expect(land?.categories).toEqual(['0103', '0206', '0602', '0604', '0705']);
  });

  it('routes 违法占地建房 to 国土所 with 行政执法中队 and 乡建办 as a complex matter', () => {
    const catalog = new Catalog(DEMO_CATEGORIES, DEMO_DEPARTMENTS);
    const code = DEMO_CATEGORIES.find((c) => c.name === '违法占地建房')?.code ?? '';
    const r = catalog.route(code);
    expect(r.department).toBe('dept-gt');
    expect(r.cooperating).toEqual(['dept-zf', 'dept-xj']);
    expect(r.tier).toBe('complex');
    expect(r.finishLimit).toEqual({ value: 10, unit: 'workDays' });
    expect(r.firstReportReward).toBe(true);
  });

  it('gives 燃气安全 4 hours and a 10-minute acceptance, 垃圾 2 working days and no reward', () => {
    const catalog = new Catalog(DEMO_CATEGORIES, DEMO_DEPARTMENTS);
    const gas = catalog.route('0205');
    expect(gas.category.name).toBe('燃气安全');
    expect([gas.acceptMinutes, gas.finishLimit]).toEqual([10, { value: 4, unit: 'hours' }]);
    const litter = catalog.route('0301');
    expect(litter.category.name).toBe('垃圾乱堆乱放');
    expect([litter.acceptMinutes, litter.finishLimit, litter.tier, litter.firstReportReward]).toEqual([
      30, { value: 2, unit: 'workDays' }, 'simple', false,
    ]);
  });
});

describe('validateCatalog', () => {
  it('accepts a sound list', () => {
    expect(validateCatalog([cat({ code: '01' }), cat({ code: '0101', parent: '01' })], depts)).toEqual([]);
  });

  it('reports each planted error in Chinese', () => {
    const errors = validateCatalog(
      [
        cat({ code: '01' }),
        cat({ code: '01', name: '重复' }),
        cat({ code: '0201', parent: '02' }),
        cat({ code: '0301', parent: '01' }),
        cat({ code: '04', department: 'nobody' }),
        cat({ code: '05', cooperating: ['d1', 'd2', 'd2', 'x9'] }),
        cat({ code: '06', acceptMinutes: 0, finishLimit: { value: -1, unit: 'minutes' } }),
        cat({ code: '07', verifyLimit: { value: Number.NaN, unit: 'hours' }, name: ' ' }),
        cat({ code: '0 8', tier: 'huge' as never }),
      ],
      [...depts, { id: 'd1', name: '又一个', categories: ['99'] }, { id: 'd3', name: '环保办', categories: ['05'] }],
    );
    expect(errors).toEqual([
      '部门编号重复:d1',
      '事项编码重复:01',
      '事项 07 缺少名称',
      '事项 0 8(事项0 8)的编码只能由数字和字母组成',
      '事项 0201(事项0201)的上级事项 02 不存在',
      '事项 0301(事项0301)的编码应以上级事项编码 01 开头并更长',
      '事项 04(事项04)的牵头部门 nobody 不存在',
      '事项 05(事项05)的协办部门 d1 与牵头部门相同',
      '事项 05(事项05)的协办部门 d2 重复',
      '事项 05(事项05)的协办部门 x9 不存在',
      '事项 06(事项06)的受理时限必须为正数,现为 0',
      '事项 06(事项06)的办结时限必须为正数,现为 -1',
      '事项 06(事项06)的办结时限的单位 minutes 无效,应为 hours/days/workHours/workDays',
      '事项 07( )的核查时限必须为正数,现为 NaN',
      '事项 0 8(事项0 8)的处置层级 huge 无效',
      '部门 综治中心 负责的事项 0101 不存在',
      '部门 又一个 负责的事项 99 不存在',
      '部门 环保办 列为牵头的事项 05(事项05),其牵头部门却是 d1',
    ]);
  });

  it('finds a cycle once even when the prefix rule is broken too', () => {
    const errors = validateCatalog(
      [cat({ code: '01', parent: '0101' }), cat({ code: '0101', parent: '01' }), cat({ code: '02', parent: '01' })],
      [{ id: 'd1', name: '综治中心', categories: [] }],
    );
    expect(errors.filter((e) => e.includes('循环'))).toEqual(['事项上级关系形成循环:01 → 0101 → 01']);
  });

  it('checks overrides against the list', () => {
    const errors = validateCatalog([cat({ code: '01' })], depts, [
      { area: '43010', category: '01', department: 'd2' },
      { area: 'abc', category: '09', department: 'd9', cooperating: ['d8'], tier: 'x' as never },
    ]);
    expect(errors).toEqual([
      '部门 综治中心 负责的事项 0101 不存在',
      '区域 abc 对事项 09 的分派例外:区域应为网格编码前缀',
      '区域 abc 对事项 09 的分派例外:事项不存在',
      '区域 abc 对事项 09 的分派例外:部门 d9 不存在',
      '区域 abc 对事项 09 的分派例外:协办部门 d8 不存在',
      '区域 abc 对事项 09 的分派例外:处置层级 x 无效',
    ]);
  });

  it('makes the constructor throw with all errors', () => {
    const make = () => new Catalog([cat({ code: '01', department: 'zz' })], []);
    expect(make).toThrow(CatalogError);
    expect(make).toThrow('事项 01(事项01)的牵头部门 zz 不存在');
  });
});

describe('Catalog tree and routing', () => {
  const categories: Category[] = [
    cat({ code: '02', name: '环境卫生', department: 'd3', tier: 'simple', verifyLimit: { value: 4, unit: 'hours' }, cooperating: ['d2'] }),
    cat({ code: '01', name: '矛盾纠纷', firstReportReward: true }),
    cat({ code: '0102', parent: '01', name: '婚姻家庭纠纷', cooperating: [] }),
    cat({ code: '0101', parent: '01', name: '邻里纠纷', tier: 'simple', cooperating: ['d2'] }),
    cat({ code: '0201', parent: '02', department: 'd3', name: '垃圾', firstReportReward: false }),
    cat({ code: '020101', parent: '0201', department: 'd3', name: '建筑垃圾' }),
  ];
  const departments: Department[] = [
    { id: 'd1', name: '综治中心', categories: ['01', '0101', '0102'] },
    { id: 'd2', name: '国土所', categories: [] },
    { id: 'd3', name: '人居环境整治办', categories: ['02', '0201', '020101'] },
    { id: 'p1', name: '物业办', categories: [] },
    { id: 'p2', name: '某小区物业', categories: [] },
  ];
  const catalog = new Catalog(categories, departments, [
    { area: '430100001001', category: '02', department: 'p1' },
    { area: '430100001001002', category: '02', department: 'p2', tier: 'general' },
    { area: '430100001', category: '0201', department: 'd2', cooperating: ['d3', 'd2'] },
  ]);

  it('walks the tree', () => {
    expect(catalog.roots().map((c) => c.code)).toEqual(['01', '02']);
    expect(catalog.children('01').map((c) => c.code)).toEqual(['0101', '0102']);
    expect(catalog.children('0101')).toEqual([]);
    expect(catalog.children('zz')).toEqual([]);
    expect(catalog.leaves().map((c) => c.code)).toEqual(['0101', '0102', '020101']);
    expect(catalog.path('020101').map((c) => c.code)).toEqual(['02', '0201', '020101']);
    expect(catalog.path('zz')).toEqual([]);
    expect(catalog.isLeaf('0201')).toBe(false);
    expect(catalog.isLeaf('nope')).toBe(false);
    expect(catalog.get('0101')?.name).toBe('邻里纠纷');
    expect(catalog.department('p1')?.name).toBe('物业办');
  });

  it('inherits cooperating, verify limit and reward from the nearest ancestor that sets them', () => {
    const neighbours = catalog.route('0101');
    expect([neighbours.department, neighbours.cooperating, neighbours.tier]).toEqual(['d1', ['d2'], 'simple']);
    expect(neighbours.verifyLimit).toEqual(DEFAULT_VERIFY_LIMIT);
    expect(neighbours.firstReportReward).toBe(true);
    expect(catalog.route('0102').cooperating).toEqual([]);
    const rubble = catalog.route('020101');
    expect(rubble.verifyLimit).toEqual({ value: 4, unit: 'hours' });
    expect(rubble.cooperating).toEqual(['d2']);
    expect(rubble.firstReportReward).toBe(false);
    expect(rubble.override).toBeNull();
  });

  it('applies the deepest category override first, then the longest area', () => {
    // Town-wide override of 0201 beats the village override of its group 02.
    const inVillage = catalog.route('020101', '430100001001005');
    expect([inVillage.department, inVillage.cooperating]).toEqual(['d2', ['d3']]);
    // For the group itself, the grid-level override beats the village one.
    const group = catalog.route('02', '430100001001002');
    expect([group.department, group.tier, group.cooperating]).toEqual(['p2', 'general', ['d2']]);
    const village = catalog.route('02', '430100001001005');
    expect([village.department, village.tier]).toEqual(['p1', 'simple']);
    // Another village and another town keep the list's lead.
    expect(catalog.route('02', '430100001002001').department).toBe('d3');
    expect(catalog.route('0201', '430200001001001').department).toBe('d3');
    expect(catalog.route('0101', '430100001001002').override).toBeNull();
  });

  it('refuses an unknown category', () => {
    expect(() => catalog.route('99')).toThrow('未知事项编码:99');
  });
});

describe('recommendWorkers', () => {
  const NOW = Date.UTC(2026, 10, 28, 2, 0, 0);
  const at = { lon: 112.9, lat: 28.6 };
  const w = (id: string, grids: string[], over: Partial<Worker> = {}): Worker => ({
    id, name: id, role: 'villageWorker', grids, phone: '', onDuty: true, ...over,
  });
  // 0.001 degree of latitude is about 111 m.
  const fix = (workerId: string, dLat: number, ageMs = 60_000): PositionFix => ({
    workerId, lon: at.lon, lat: at.lat + dLat, at: NOW - ageMs, speed: null, heading: null, accuracy: null,
  });
  const workers = [
    w('far-own', ['G1']),
    w('near-own', ['G1', 'G9']),
    w('stale-own', ['G1'], { role: 'townWorker' }),
    w('none-own', ['G1']),
    w('liaison-own', ['G1'], { role: 'liaison' }),
    w('off-own', ['G1'], { onDuty: false }),
    w('near-nb', ['G2']),
    w('nearer-nb', ['G3']),
    w('elsewhere', ['G7']),
  ];
  const positions = new Map<string, PositionFix>([
    ['far-own', fix('far-own', 0.01)],
    ['near-own', fix('near-own', 0.002)],
    ['stale-own', fix('stale-own', 0.0001, 3_600_000)],
    ['liaison-own', fix('liaison-own', 0)],
    ['off-own', fix('off-own', 0)],
    ['near-nb', fix('near-nb', 0.0005)],
    ['nearer-nb', fix('nearer-nb', -0.0001, -5_000)],
    ['elsewhere', fix('elsewhere', 0)],
  ]);
  const neighbours = (g: string) => (g === 'G1' ? ['G2', 'G3', 'G1'] : []);

  it('puts the own grid first, full-time before liaisons, fresh before stale before none, nearest first', () => {
    const recs = recommendWorkers({ grid: 'G1', at, workers, positions, neighbours, now: NOW });
    expect(recs.map((r) => r.worker.id)).toEqual([
      'near-own', 'far-own', 'stale-own', 'none-own', 'liaison-own', 'nearer-nb', 'near-nb',
    ]);
    const near = recs[0];
    expect(near?.sameGrid).toBe(true);
    expect(near?.distanceM).toBeCloseTo(222.4, 0);
    expect(near?.positionAgeMs).toBe(60_000);
    expect(recs.find((r) => r.worker.id === 'none-own')).toMatchObject({ distanceM: null, positionAgeMs: null });
    // A fix from slightly in the future (clock skew) is fresh, age 0.
    expect(recs.find((r) => r.worker.id === 'nearer-nb')).toMatchObject({ sameGrid: false, positionAgeMs: 0 });
  });

  it('takes a lookup function, a stale threshold and a limit', () => {
    const recs = recommendWorkers({
      grid: 'G1', at, workers, positions: (id) => positions.get(id), neighbours, now: NOW, staleAfterMs: 2 * 3_600_000, limit: 2,
    });
    expect(recs.map((r) => r.worker.id)).toEqual(['stale-own', 'near-own']);
    expect(recommendWorkers({ grid: 'G1', at, workers, positions, neighbours, now: NOW, limit: -1 })).toEqual([]);
  });

  it('names its order in the heading text, one key per named criterion, and follows it', () => {
    expect(RECOMMEND_ORDER_TEXT).toBe('在岗；本网格优先，专职优先，有新定位优先，按距离');
    const recs = recommendWorkers({ grid: 'G1', at, workers, positions, neighbours, now: NOW });
    const keys = recs.map((r) => recommendationKey(r));
    for (const k of keys) expect(k).toHaveLength(RECOMMEND_ORDER.length);
    const cmp = (a: number[], b: number[]): number => a.reduce((d, x, i) => d || x - (b[i] as number), 0);
    for (let i = 1; i < keys.length; i++) expect(cmp(keys[i - 1] as number[], keys[i] as number[])).toBeLessThanOrEqual(0);
    // Not by distance alone: a farther own-grid worker comes before a nearer neighbour.
    expect(keys.map((k) => k[3])).not.toEqual([...keys.map((k) => k[3])].sort((a, b) => (a as number) - (b as number)));
  });

  it('orders equal candidates by id and returns nothing for an unstaffed area', () => {
    const twins = [w('b', ['G5']), w('a', ['G5'])];
    expect(recommendWorkers({ grid: 'G5', at, workers: twins, positions: new Map(), neighbours, now: NOW }).map((r) => r.worker.id)).toEqual(['a', 'b']);
    expect(recommendWorkers({ grid: 'G8', at, workers, positions, neighbours, now: NOW })).toEqual([]);
  });
});
