import { describe, expect, it } from 'vitest';
import { DEMO_PLANS, planFor, planFromRow, planToRow, plansFromJson, plansFromRows } from './plans';
import { RadiusIndex, haversineM, pointBox } from './radius';
import { parseWorkerNotify } from './notify';
import { sweepTasks, sweepsUpTo } from '../patrol/sweeps';
import { isSilent } from '../devices/device';

describe('emergency plans', () => {
  it('fit an event by category, its parent, a keyword of the title, else the general plan', () => {
    expect(planFor(DEMO_PLANS, { category: '0201', title: 'x' })?.id).toBe('fire');
    expect(planFor(DEMO_PLANS, { category: '0206', title: '水位超警戒' })?.id).toBe('flood');
    expect(planFor(DEMO_PLANS, { category: '0301', title: '仓库冒烟起火' })?.id).toBe('fire');
    expect(planFor(DEMO_PLANS, { category: '0301', title: '垃圾' })?.id).toBe('general');
    expect(planFor([], { category: '0201', title: '' })).toBeNull();
  });

  it('import from spreadsheet rows, naming the row of each error', () => {
    const ok = plansFromRows([{ 预案编号: 'storm', 预案名称: '台风预案', 适用类别: '0206、0208', 处置步骤: '网格员：转移群众\n值班调度员：报告', 联系人: '镇防汛办/调度/0730-1', 所需资源: '避难场所,应急车辆' }]);
    expect(ok).toMatchObject({ ok: true, plans: [{ id: 'storm', categories: ['0206', '0208'], steps: [{ role: '网格员', text: '转移群众' }, { role: '值班调度员' }], resources: ['shelter', 'vehicle'] }] });
    const bad = plansFromRows([{ 预案编号: 'a b', 预案名称: '', 处置步骤: '' }]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatch(/^第 2 行/);
    expect(plansFromJson({ nope: 1 }).ok).toBe(false);
    expect(plansFromJson([DEMO_PLANS[0], DEMO_PLANS[0]])).toMatchObject({ ok: false, errors: [expect.stringContaining('重复')] });
  });
});

describe('the plan editing form', () => {
  it('writes a plan as the spreadsheet row and reads it back unchanged, naming the field of each error', () => {
    for (const plan of DEMO_PLANS) expect(planFromRow(planToRow(plan))).toEqual({ ok: true, plan });
    const bad = planFromRow({ ...planToRow(DEMO_PLANS[0]!), 预案编号: '火 灾', 处置步骤: '', 所需资源: '直升机' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.errors.some((e) => e.startsWith('预案编号:'))).toBe(true);
      expect(bad.errors.some((e) => e.startsWith('处置步骤:'))).toBe(true);
      expect(bad.errors.some((e) => e.startsWith('所需资源第 1 项:'))).toBe(true);
    }
  });
});

describe('radius search and worker.notify', () => {
  it('finds the points within the radius, nearest first, with metres close to the great circle', () => {
    const pts = [0, 0.005, 0.0089, 0.02].map((d, i) => ({ id: `p${i}`, lon: 112.9, lat: 28.6 + d }));
    const hits = new RadiusIndex(pts, pointBox).within(112.9, 28.6, 1000);
    expect(hits.map((h) => h.item.id)).toEqual(['p0', 'p1', 'p2']);
    expect(Math.abs(hits[2]!.distanceM - haversineM(112.9, 28.6, 112.9, 28.6089))).toBeLessThan(2);
  });

  it('orders many hits (past the scratch buffer and the insertion sort) and measures a box to its nearest edge', () => {
    const pts = Array.from({ length: 300 }, (_, i) => ({ id: `p${i}`, lon: 112.9 + ((i * 37) % 100) * 0.0001, lat: 28.6 + ((i * 61) % 100) * 0.0001 }));
    const index = new RadiusIndex(pts, pointBox);
    const hits = index.map(112.9, 28.6, 1000, (item, distanceM, id) => ({ id: item.id, distanceM, same: pts[id] === item }));
    const inside = pts.filter((p) => haversineM(112.9, 28.6, p.lon, p.lat) <= 999);
    expect(hits.length).toBeGreaterThanOrEqual(inside.length);
    expect(hits.length).toBeGreaterThan(100);
    expect(hits.every((h, k) => h.same && (k === 0 || hits[k - 1]!.distanceM <= h.distanceM))).toBe(true);
    const boxes = new RadiusIndex([{ box: [112.91, 28.59, 112.92, 28.61] as const }], (b) => b.box);
    expect(Math.abs(boxes.within(112.9, 28.6, 2000)[0]!.distanceM - haversineM(112.9, 28.6, 112.91, 28.6))).toBeLessThanOrEqual(1);
    expect(boxes.within(112.915, 28.6, 50)[0]!.distanceM).toBe(0);
  });

  it('checks worker.notify arguments', () => {
    expect(parseWorkerNotify({ workers: ['w-1'], text: ' 赶赴现场 ' })).toEqual({ ok: true, args: { workers: ['w-1'], text: '赶赴现场' } });
    expect(parseWorkerNotify({ workers: ['w-1', 'w-1'], text: 'x' }).ok).toBe(false);
    expect(parseWorkerNotify({ workers: [], text: '' }).ok).toBe(false);
  });
});

describe('sweeps and devices', () => {
  it('judge the 1st/15th sweep by a visit or a patrol report, the quarterly one by two workers on a day', () => {
    const [fifteenth, first, quarter] = sweepsUpTo('2026-10-20');
    expect([fifteenth!.key, first!.key, quarter!.key]).toEqual(['monthly:2026-10-15', 'monthly:2026-10-01', 'quarterly:2026-Q4']);
    const visits = [
      { date: '2026-10-15', grid: 'g1', workerId: 'a' },
      { date: '2026-10-03', grid: 'g1', workerId: 'a' },
      { date: '2026-10-03', grid: 'g1', workerId: 'b' },
      { date: '2026-10-04', grid: 'g2', workerId: 'a' },
    ];
    expect(sweepTasks(fifteenth!, ['g1', 'g2', 'g3'], visits, [{ date: '2026-10-15', grid: 'g3' }]).map((t) => t.done)).toEqual([true, false, true]);
    expect(sweepTasks(quarter!, ['g1', 'g2'], visits, []).map((t) => t.doneOn)).toEqual(['2026-10-03', null]);
  });

  it('flag a device silent past its interval', () => {
    const now = Date.parse('2026-12-01T10:00:00+08:00');
    expect(isSilent({ kind: 'camera', lastSeenAt: '2026-12-01T09:58:00+08:00', status: 'normal' }, now)).toBe(false);
    expect(isSilent({ kind: 'camera', lastSeenAt: '2026-12-01T09:50:00+08:00', status: 'normal' }, now)).toBe(true);
    expect(isSilent({ kind: 'smoke', lastSeenAt: null, status: 'normal' }, now)).toBe(true);
  });
});
