// The month's assessment over a real replica file, against figures known by construction:
// November 2026 in the demo town, nine events whose every step is placed by hand (the
// comment beside each says what it must count for), patrol days written as the pruning
// writes them. The rates are also checked against core/analytics computed over the same
// events' documents, so the SQL and the formulas cannot drift apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand, type CommandName } from '../../../core/events/commands';
import { transition } from '../../../core/events/transition';
import type { Actor, GridEvent } from '../../../core/model';
import { assessBy, byDepartment, byReporter, byVillage } from '../../../core/analytics/grouping';
import { resolvePeriod } from '../../../core/assessment/period';
import { parseIso } from '../../../core/time/shanghai';
import type { Replica } from '../replica/replica';
import { DISPATCHER, GRID_A, HOUR, MINUTE, batch, createArgs, eventItem, seededReplica, tempDir, townContext } from '../replica/test-fixtures';
import { isOverdue } from '../stats';
import { createAssessment, type AssessmentService } from './handlers';
import type { Caller } from '../../../core/api/channels';
import ExcelJS from 'exceljs';
import { createExports } from '../exports/jobs';
import { fillDemoPatrol } from './demo-patrol';
import { DEFAULT_SCHEME } from '../../../core/assessment/scheme';
import { readFileSync } from 'node:fs';

const DAY = 24 * HOUR;
const B = parseIso('2026-11-10T09:00:00+08:00');
const NOW = parseIso('2026-12-03T09:00:00+08:00');
const PCS: Actor = { id: 'op-pcs', role: 'department', departmentId: 'dept-pcs' };
const W1: Actor = { id: 'w-0001', role: 'gridWorker', name: '孙燕怡' };
const LEADER: Caller = { role: 'leader' };

type Step = [CommandName, Record<string, unknown>, number, Actor?];

function run(event: GridEvent | null, steps: Step[], target?: GridEvent): GridEvent {
  let current = event;
  for (const [name, args, at, actor] of steps) {
    const parsed = parseCommand(name, args);
    if (!parsed.ok) throw new Error(`${name}: ${parsed.reason}`);
    const result = transition(current, parsed.command, { ...townContext(actor ?? DISPATCHER, at), ...(target ? { target } : {}) });
    if (!result.ok) throw new Error(`${name}: ${result.reason}`);
    current = result.event;
  }
  return current as GridEvent;
}

const create = (id: string, at: number, worker: string | null, extra: Record<string, unknown> = {}): Step => [
  'event.create',
  { ...createArgs({ id, category: '0401', grid: GRID_A, at }), ...(worker ? { reporter: { name: '网格员', phone: '13812345678', workerId: worker } } : {}), ...extra },
  at,
];
const dispatched = (id: string, at: number, worker: string | null): Step[] => [
  create(id, at, worker),
  ['event.accept', { id }, at + 5 * MINUTE],
  ['event.dispatch', { id, to: { kind: 'department', id: 'dept-pcs' } }, at + 10 * MINUTE],
];

let tmp: ReturnType<typeof tempDir>;
let replica: Replica;
let service: AssessmentService;
let events: GridEvent[];

function buildEvents(): GridEvent[] {
  const e1 = run(null, [
    ...dispatched('e1', B, 'w-0001'), // finish due B+4h10m; fed back in 50 min: on time
    ['event.feedback', { id: 'e1', note: '已处置' }, B + HOUR, PCS],
    ['event.verify', { id: 'e1' }, B + 2 * HOUR], // verify clock 4 h: met
    ['event.close', { id: 'e1' }, B + 3 * HOUR],
    ['event.evaluate', { id: 'e1', satisfaction: 'satisfied' }, B + 4 * HOUR],
  ]);
  const b2 = B + DAY;
  const e2 = run(null, [
    ...dispatched('e2', b2, 'w-0001'), // fed back after 6 h: late (超时), not closed on time
    ['event.feedback', { id: 'e2', note: '已处置' }, b2 + 6 * HOUR, PCS],
    ['event.verify', { id: 'e2' }, b2 + 11 * HOUR], // 5 h after the feedback: verification late
    ['event.close', { id: 'e2' }, b2 + 12 * HOUR],
    ['event.evaluate', { id: 'e2', satisfaction: 'dissatisfied' }, b2 + 13 * HOUR],
  ]);
  const e3 = run(null, [create('e3', B + 2 * DAY, 'w-0001'), ['event.reject', { id: 'e3', reason: '不属实' }, B + 2 * DAY + 5 * MINUTE]]);
  const b4 = B + 3 * DAY;
  // e5 reports the same incident an hour before e4 and is merged into it: w-0001's first report (首报).
  const e5 = run(null, [create('e5', b4 - HOUR, 'w-0001')]);
  let e4 = run(null, [create('e4', b4, 'w-0002'), ['event.accept', { id: 'e4' }, b4 + 5 * MINUTE]]);
  const e5m = run(e5, [['event.merge', { id: 'e5', into: 'e4' }, b4 + 6 * MINUTE]], e4);
  e4 = run(e4, [
    ['event.dispatch', { id: 'e4', to: { kind: 'department', id: 'dept-pcs' } }, b4 + 10 * MINUTE],
    ['event.feedback', { id: 'e4', note: '已处置' }, b4 + HOUR, PCS],
    ['event.rework', { id: 'e4', reason: '未清理干净' }, b4 + 2 * HOUR], // 返工
    ['event.feedback', { id: 'e4', note: '再次处置' }, b4 + 3 * HOUR, PCS], // still within the 4 h
    ['event.verify', { id: 'e4' }, b4 + 3.5 * HOUR],
    ['event.close', { id: 'e4' }, b4 + 3.6 * HOUR],
  ]);
  const b7 = B + 5 * DAY;
  const e7 = run(null, [...dispatched('e7', b7, 'w-0002'), ['event.return', { id: 'e7', reason: '不属本部门职责' }, b7 + 30 * MINUTE, PCS]]);
  const e8 = run(null, dispatched('e8', B + 6 * DAY, null)); // a resident's report, never fed back: overdue
  const e9 = run(null, [create('e9', B + 7 * DAY, null, { category: '0301', source: 'patrol', selfHandled: { note: '现场清理' } })].map(([n, a, t]) => [n, a, t, W1] as Step));
  const e6 = run(null, [create('e6', parseIso('2026-10-20T10:00:00+08:00'), 'w-0001')]); // October: not this month
  return [e1, e2, e3, e4, e5m, e7, e8, e9, e6];
}

beforeAll(async () => {
  tmp = tempDir();
  const opened = await seededReplica(tmp.file('assessment.db'));
  replica = opened.replica;
  opened.clock.now = NOW;
  events = buildEvents();
  replica.applyBatch(batch('c-1', 'c-2', events.map((e) => eventItem(e, 1))));
  const store = replica.store();
  const day = store.db.prepare("INSERT INTO patrol_days (worker_id, day, online_ms, distance_m, fixes, grids, stops, first_at, last_at, source) VALUES (?, ?, ?, ?, 10, ?, 1, NULL, NULL, 'track')");
  store.write(() => {
    day.run('w-0001', '2026-11-10', 3 * HOUR, 4200, JSON.stringify(['430624103001001', '430624103001002']));
    day.run('w-0001', '2026-11-11', 2 * HOUR, 1800, JSON.stringify(['430624103001003', '430624104001001']));
    day.run('w-0001', '2026-10-31', 5 * HOUR, 9000, JSON.stringify(['430624103001001']));
  });
  service = createAssessment({
    store,
    replica: { grids: () => replica.grids(), workers: () => replica.workers({}), departments: () => replica.departments(), categories: () => replica.categories() },
    clock: () => NOW,
    scopeOf: (c) => (c.role === 'department' ? { department: c.departmentId ?? '' } : c.grids ? { grids: c.grids } : null),
  });
});

afterAll(async () => {
  await replica.close();
  tmp.cleanup();
});

const runMonth = (caller: Caller = LEADER) => service.handlers['assessment.run']({ month: '2026-11', compare: false }, caller);
const rowOf = (target: string, id: string, caller?: Caller) => runMonth(caller).tables.find((t) => t.target === target)?.rows.find((r) => r.id === id);
const drill = (target: 'workers' | 'departments' | 'villages' | 'grids', id: string, figure: string, part: 'num' | 'den' = 'num') =>
  service.handlers['assessment.events']({ month: '2026-11', target, id, figure, part }, LEADER).ids.sort();

describe('assessment.run, November 2026', () => {
  it("counts a grid worker's reports, valid reports, first reports, self-handled cases, verification, follow-ups and patrol", () => {
    const w1 = rowOf('workers', 'w-0001')!;
    expect(w1.values.reports).toEqual({ n: 5 }); // e1 e2 e3 e5 e9 (e6 is October's)
    expect(w1.values.validReports).toEqual({ n: 3 }); // e1 e2 e9: e3 rejected, e5 merged away
    expect(w1.values.reportAccuracy).toEqual({ n: 2, d: 3, rate: 2 / 3 }); // accepted e1 e2, rejected e3
    expect(w1.values.firstReports).toEqual({ n: 1 }); // e5 before e4
    expect(w1.values.selfHandled).toEqual({ n: 1 }); // e9
    expect(w1.values.onTimeVerification).toEqual({ n: 1, d: 2, rate: 0.5 }); // e1 met, e2 late
    expect(w1.values.followUps).toEqual({ n: 2 });
    expect(w1.values.satisfaction).toEqual({ n: 1, d: 2, rate: 0.5 });
    expect(w1.values.patrolDays).toEqual({ n: 2 });
    expect(w1.values.onlineHours).toEqual({ n: 5 });
    expect(w1.values.distanceKm).toEqual({ n: 6 });
    // Own grids: the 4 of village …103001 named in w-0001's list; 3 of them entered over 2 of November's 30 days.
    expect(w1.values.coverage).toEqual({ n: 3, d: 4 * 30, rate: 3 / 120 });
    const w2 = rowOf('workers', 'w-0002')!;
    expect(w2.values.reports).toEqual({ n: 2 });
    expect(w2.values.firstReports).toEqual({ n: 0 });
  });

  it("counts a department's handling on time, closures, rework, returns, overdue and satisfaction", () => {
    const pcs = rowOf('departments', 'dept-pcs')!;
    expect(pcs.values.assigned).toEqual({ n: 4 }); // e1 e2 e4 e8 due in November
    expect(pcs.values.onTimeHandling).toEqual({ n: 2, d: 4, rate: 0.5 }); // e1 e4
    expect(pcs.values.onTimeClosure).toEqual({ n: 2, d: 4, rate: 0.5 });
    expect(pcs.values.closure).toEqual({ n: 3, d: 4, rate: 0.75 });
    expect(pcs.values.rework).toEqual({ n: 1, d: 3, rate: 1 / 3 }); // e4 of e1 e2 e4
    expect(pcs.values.returns).toEqual({ n: 1, d: 5, rate: 0.2 }); // e7 returned, of e7 + the 4 due
    expect(pcs.values.overdue).toEqual({ n: 2 }); // e2 e8
    expect(pcs.values.extensions).toEqual({ n: 0 });
    expect(pcs.values.satisfaction).toEqual({ n: 1, d: 2, rate: 0.5 });
    expect(typeof pcs.score).toBe('number');
    expect(pcs.rank).toBeGreaterThanOrEqual(1);
  });

  it('counts a village: reports, open, overdue now, closure and reports per 100 households', () => {
    const village = rowOf('villages', GRID_A.slice(0, 12))!;
    expect(village.values.reports).toEqual({ n: 8 });
    expect(village.values.open).toEqual({ n: 4 }); // e7 e8 e9, and October's e6 still waiting
    const overdueNow = events.filter((e) => e.grid.startsWith(GRID_A.slice(0, 12)) && isOverdue(e, NOW)).length;
    expect(overdueNow).toBeGreaterThanOrEqual(1);
    expect(village.values.overdueNow).toEqual({ n: overdueNow });
    expect(village.values.closure).toEqual({ n: 3, d: 6, rate: 0.5 }); // e1 e2 e4 closed; e1 e2 e4 e7 e8 e9 on record
    const households = replica.grids(2).find((g) => g.code === GRID_A.slice(0, 12))!.households!;
    expect(village.values.per100!.n).toBeCloseTo((8 * 100) / households, 2);
  });

  it('equals core/analytics over the same documents, rate by rate', () => {
    const period = resolvePeriod({ month: '2026-11' }, NOW);
    const p = { from: period.fromMs, to: period.toMs };
    const check = (target: string, key: typeof byReporter, map: Record<string, 'onTimeClosure' | 'closure' | 'rework' | 'satisfaction' | 'reportAccuracy' | 'onTimeVerification'>) => {
      for (const [id, a] of assessBy(events, p, key)) {
        const row = rowOf(target, id);
        if (!row) continue;
        for (const [figure, rate] of Object.entries(map)) {
          expect([row.values[figure]?.n, row.values[figure]?.d], `${target} ${id} ${figure}`).toEqual([a[rate].numerator, a[rate].denominator]);
        }
      }
    };
    check('workers', byReporter, { reportAccuracy: 'reportAccuracy', onTimeVerification: 'onTimeVerification', satisfaction: 'satisfaction' });
    check('departments', byDepartment, { onTimeClosure: 'onTimeClosure', closure: 'closure', rework: 'rework', satisfaction: 'satisfaction' });
    check('villages', byVillage, { onTimeClosure: 'onTimeClosure', closure: 'closure' });
  });

  it('drills each figure down to exactly the events it counts', () => {
    expect(drill('departments', 'dept-pcs', 'overdue')).toEqual(['e2', 'e8']);
    expect(drill('departments', 'dept-pcs', 'returns', 'den')).toEqual(['e1', 'e2', 'e4', 'e7', 'e8']);
    expect(drill('workers', 'w-0001', 'reports')).toEqual(['e1', 'e2', 'e3', 'e5', 'e9']);
    expect(drill('workers', 'w-0001', 'validReports')).toEqual(['e1', 'e2', 'e9']);
    expect(drill('workers', 'w-0001', 'firstReports')).toEqual(['e5']);
    expect(drill('villages', GRID_A.slice(0, 12), 'open')).toEqual(['e6', 'e7', 'e8', 'e9']);
  });

  it('scopes the tables: a department sees its own row, a viewer no worker', () => {
    const dept = runMonth({ role: 'department', departmentId: 'dept-pcs' });
    expect(dept.tables.map((t) => t.target)).toEqual(['departments']);
    expect(dept.tables[0]!.rows.map((r) => r.id)).toEqual(['dept-pcs']);
    expect(runMonth({ role: 'viewer' }).tables.map((t) => t.target)).toEqual(['departments', 'villages', 'grids']);
    expect(() => service.handlers['assessment.events']({ month: '2026-11', target: 'workers', id: 'w-0001', figure: 'reports', part: 'num' }, { role: 'viewer' })).toThrow();
  });

  it('compares month over month', () => {
    const result = service.handlers['assessment.run']({ month: '2026-11', compare: true }, LEADER);
    expect(result.previous?.period.label).toBe('2026年10月');
    const october = result.previous!.tables.find((t) => t.target === 'workers')!.rows.find((r) => r.id === 'w-0001')!;
    expect(october.values.reports).toEqual({ n: 1 }); // e6
    expect(october.values.patrolDays).toEqual({ n: 1 });
  });
});

describe('patrol days', () => {
  it('are summarised from the track before the pruning deletes it', async () => {
    const t2 = tempDir();
    const opened = await seededReplica(t2.file('patrol.db'), { trackRetentionMs: DAY });
    const r = opened.replica;
    const grid = r.grids(3).find((g) => g.code === '430624103001001')!;
    const ring = (grid.geometry.type === 'Polygon' ? grid.geometry.coordinates[0]! : grid.geometry.coordinates[0]![0]!) as number[][];
    const [lon, lat] = [ring.reduce((s, p) => s + p[0]!, 0) / ring.length, ring.reduce((s, p) => s + p[1]!, 0) / ring.length];
    const start = parseIso('2026-11-29T09:00:00+08:00');
    opened.clock.now = start + 2 * HOUR;
    // One fix a minute for an hour, walking north about 10 m a minute: 60 min online, 590 m.
    const items = Array.from({ length: 61 }, (_, i) => ({ workerId: 'w-0001', lon, lat: lat + (i * 10) / 111_195, at: start + i * MINUTE, speed: 1, heading: 0, accuracy: 5 }));
    r.applyPositions(items.map((f) => [f.workerId, f.lon, f.lat, f.at, f.speed, f.heading, f.accuracy]));
    opened.clock.now = start + 3 * DAY;
    r.pruneTracks(true);
    expect(r.track('w-0001', 0, opened.clock.now)).toEqual([]);
    const day = r.store().db.prepare('SELECT day, online_ms, round(distance_m) AS m, fixes, source FROM patrol_days').all();
    expect(day).toEqual([{ day: '2026-11-29', online_ms: HOUR, m: 600, fixes: 61, source: 'track' }]);
    await r.close();
    t2.cleanup();
  });
});

describe('exports', () => {
  const audit: Array<{ action: string; role: string }> = [];
  const makeExports = () =>
    createExports({
      replica: { eventsAfter: (a, after, limit, n) => replica.eventsAfter(a, after, limit, n), grids: (l) => replica.grids(l), categories: () => replica.categories(), departments: () => replica.departments(), workers: () => replica.workers({}) },
      assessment: service,
      clock: () => NOW,
      townName: () => '古培镇',
      scopeOf: () => null,
      audit: (entry, caller) => audit.push({ action: entry.action, role: caller.role }),
      dir: tmp.file('exports'),
    });

  async function exported(ex: ReturnType<typeof makeExports>, args: Parameters<ReturnType<typeof makeExports>['handlers']['exports.create']>[0], caller: Caller): Promise<Buffer> {
    let status = ex.handlers['exports.create'](args, caller);
    while (status.state === 'running') {
      await new Promise((r) => setTimeout(r, 10));
      status = ex.handlers['exports.status']({ id: status.id }, caller);
    }
    expect(status.state).toBe('done');
    const parts: Buffer[] = [];
    for (let offset = 0; ; ) {
      const chunk = ex.handlers['exports.read']({ id: status.id, offset }, caller);
      const b = Buffer.from(chunk.data, 'base64');
      parts.push(b);
      offset += b.length;
      if (chunk.done) break;
    }
    return Buffer.concat(parts);
  }

  it("writes the event ledger with dates as dates, masked for the role: a viewer's has no phone column", async () => {
    const ex = makeExports();
    const read = async (caller: Caller) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await exported(ex, { kind: 'events', filter: { ids: ['e1', 'e2'] }, sort: 'reportedAt' }, caller)) as unknown as ArrayBuffer);
      return wb.worksheets[0]!;
    };
    const dispatcher = await read({ role: 'dispatcher' });
    const headers = (dispatcher.getRow(1).values as unknown[]).slice(1);
    expect(headers).toContain('联系电话');
    expect(dispatcher.rowCount).toBe(3);
    expect(dispatcher.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const reported = dispatcher.getRow(2).getCell(headers.indexOf('上报时间') + 1).value;
    expect(reported).toBeInstanceOf(Date);
    expect(JSON.stringify(dispatcher.getSheetValues())).not.toContain('13812345678');
    const viewer = await read({ role: 'viewer' });
    expect((viewer.getRow(1).values as unknown[]).slice(1)).not.toContain('联系电话');
    expect(JSON.stringify(viewer.getSheetValues())).not.toMatch(/138\d{0,4}\*{0,4}\d{0,4}5678/);
    expect(audit.filter((a) => a.action === 'exports.events').map((a) => a.role)).toEqual(['dispatcher', 'viewer']);
    ex.close();
  });

  it('writes the assessment tables with the figures the screen shows', async () => {
    const ex = makeExports();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await exported(ex, { kind: 'assessment', month: '2026-11' }, LEADER)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('职能部门考核')!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1) as string[];
    const pcsRow = ws.getRows(2, ws.rowCount - 1)!.find((r) => r.getCell(headers.indexOf('名称') + 1).value === '派出所')!;
    expect(pcsRow.getCell(headers.indexOf('超时数') + 1).value).toBe(2);
    expect(pcsRow.getCell(headers.indexOf('按期处置率分子') + 1).value).toBe(2);
    expect(pcsRow.getCell(headers.indexOf('按期处置率') + 1).value).toBe(0.5);
    ex.close();
  });
});

describe('importers', () => {
  const ADMIN: Caller = { role: 'admin' };
  async function xlsx(rows: unknown[][], edit?: (ws: ExcelJS.Worksheet) => void): Promise<string> {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('方案');
    for (const r of rows) ws.addRow(r);
    edit?.(ws);
    return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
  }
  const D = new Date('2026-12-01T00:00:00Z');
  const HEAD = ['考核对象', '指标', '满分', '权重', '生效日期'];
  const importScheme = async (data: string) => service.handlers['assessment.importScheme']({ fileName: '十二月考核方案.xlsx', data }, ADMIN);
  const schemeName = () => service.scheme().scheme.name;

  it('imports a good scheme whole, and the assessment scores by it', async () => {
    const before = schemeName();
    const r = await importScheme(await xlsx([HEAD, ['网格员', '上报准确率', 60, 1, D], ['网格员', '满意率', 40, 1, D], ['职能部门', '按期结案率', 100, 1, D]]));
    expect(r).toMatchObject({ ok: true, rows: 3, errors: [] });
    expect(service.scheme()).toMatchObject({ source: 'imported', scheme: { name: '十二月考核方案', workers: [{ figure: 'reportAccuracy', full: 60 }, { figure: 'satisfaction', full: 40 }] } });
    expect(before).not.toBe('十二月考核方案');
    // w-0001: accuracy 2/3 × 60 + satisfaction 1/2 × 40.
    expect(rowOf('workers', 'w-0001')!.score).toBeCloseTo(40 + 20, 2);
  });

  it('refuses bad files with a clear message and changes nothing', async () => {
    const held = JSON.stringify(service.scheme());
    const good = await xlsx([HEAD, ['网格员', '满意率', 40, 1, D]]);
    const cases: Array<[string, string | RegExp]> = [
      [await xlsx([['对象', '指标', '分数'], ['网格员', '满意率', 40]]), /列名不符/],
      [Buffer.from('PK\x03\x04 not really a zip').toString('base64'), /不是有效的 Excel/],
      [Buffer.from(good, 'base64').subarray(0, 3000).toString('base64'), /损坏|不是有效/],
      [Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(800_000)]).toString('base64').slice(0, 999_999), /文件过大/],
      [inflated(good), /表格内容过大/],
      [await xlsx([HEAD, ['网格员', '满意率', 40, 1, D], ['网格员', '上报数', 0, 1, D]], (ws) => (ws.getCell('C2').value = { formula: '20*2', result: 40 })), /第|公式/],
    ];
    for (const [data, message] of cases) {
      const r = await importScheme(data);
      expect(r.ok).toBe(false);
      expect(`${r.message} ${r.errors.map((e) => e.reason).join(' ')}`).toMatch(message);
      expect(JSON.stringify(service.scheme())).toBe(held);
    }
  });

  it('reports every rejected row and why: formulas, dates as text, unknown figures; nothing half imported', async () => {
    const held = JSON.stringify(service.scheme());
    const r = await importScheme(
      await xlsx([HEAD, ['网格员', '满意率', 40, 1, D], ['网格员', '满意率2', 40, 1, D], ['职能部门', '返工率', 10, 1, '2026-12-01'], ['网格员', '首报', 5, 1, D]], (ws) => {
        ws.getCell('C5').value = { formula: '2+3', result: 5 };
      }),
    );
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => e.row)).toEqual([3, 4, 5]);
    expect(r.errors[0]!.reason).toContain('满意率2');
    expect(r.errors[1]!.reason).toContain('应为日期格式');
    expect(r.errors[2]!.reason).toContain('公式');
    expect(JSON.stringify(service.scheme())).toBe(held);
  });

  it('imports the list of matters with known departments only', async () => {
    const head = ['编码', '名称', '上级编码', '受理时限（分钟）', '办结时限', '时限单位', '牵头部门', '分级', '首报激励', '生效日期'];
    const bad = await service.handlers['catalog.import'](
      { fileName: 'x.xlsx', data: await xlsx([head, ['03', '环境', '', 30, 2, '工作日', '派出所', '一般', '否', D], ['0301', '垃圾', '03', 30, 2, '周', '不存在的部门', '简单', '', D]]) },
      ADMIN,
    );
    expect(bad.ok).toBe(false);
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors[0]!.row).toBe(3);
    const good = await service.handlers['catalog.import']({ fileName: 'x.xlsx', data: await xlsx([head, ['03', '环境', '', 30, 2, '工作日', '派出所', '一般', '否', D], ['0301', '垃圾', '03', 30, 2, '工作日', 'dept-rj', '简易', '是', D]]) }, ADMIN);
    expect(good).toMatchObject({ ok: true, rows: 2 });
  });
});

/** A good file whose central directory declares a sheet of 60 MB unpacked (a zip bomb's signature). */
function inflated(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  const at = bytes.indexOf('PK\x01\x02', 0, 'latin1');
  bytes.writeUInt32LE(60_000_000, at + 24);
  return bytes.toString('base64');
}

describe('the demo and the settings file', () => {
  it("fills the past days' patrols from a patrol model, once", async () => {
    const store = replica.store();
    const model = (workerId: string, t: number) => (workerId === 'w-0003' ? { workerId, lon: 112.9, lat: 28.6 + ((t / 60_000) % 100) * 1e-5, at: t, speed: 1, heading: 0, accuracy: 5 } : null);
    const now = parseIso('2026-12-03T09:00:00+08:00');
    expect(await fillDemoPatrol({ store, workers: () => replica.workers({}), model, now, days: 2 })).toBe(2);
    expect(await fillDemoPatrol({ store, workers: () => replica.workers({}), model, now, days: 2 })).toBe(0);
    const rows = store.db.prepare("SELECT day, online_ms FROM patrol_days WHERE worker_id = 'w-0003' AND source = 'model' ORDER BY day").all();
    expect(rows).toEqual([
      { day: '2026-12-01', online_ms: DAY - 15 * MINUTE },
      { day: '2026-12-02', online_ms: DAY - 15 * MINUTE },
    ]);
  });

  it('config/assessment-scheme.json is the documented default', () => {
    expect(JSON.parse(readFileSync(new URL('../../../config/assessment-scheme.json', import.meta.url), 'utf8'))).toEqual(DEFAULT_SCHEME);
  });
});
