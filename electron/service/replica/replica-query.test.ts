// Queries over the replica: event filters, the risk order, Chinese text search,
// paging, workers and the grid tree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedArgsOf } from '../../../core/api/contract';
import { EventsListArgsSchema } from '../../../core/api/contract';
import type { GridEvent } from '../../../core/model';
import { toIso } from '../../../core/time/shanghai';
import type { Replica } from './replica';
import {
  DISPATCHER,
  GRID_A,
  GRID_B,
  HOUR,
  MINUTE,
  T0,
  TOWN,
  TOWN_CODE,
  batch,
  countyEvent,
  eventItem,
  runCommands,
  seededReplica,
  tempDir,
} from './test-fixtures';

let tmp: ReturnType<typeof tempDir>;
let replica: Replica;
const events: GridEvent[] = [];

const args = (input: Record<string, unknown> = {}): ParsedArgsOf<'events.list'> => EventsListArgsSchema.parse(input);
const ids = (input: Record<string, unknown> = {}): string[] => replica.listEvents(args(input), T0).items.map((e) => e.id);

beforeAll(async () => {
  tmp = tempDir();
  replica = (await seededReplica(tmp.file('q.db'))).replica;
  const suspended = runCommands(countyEvent({ id: 'f', at: T0 - HOUR, grid: GRID_B, urgency: 'urgent', title: '河堤缺口' }, 'accepted'), [
    ['event.suspend', { id: 'f', reason: '等待汛期结束' }, T0 - 30 * MINUTE],
  ]);
  events.push(
    // accept clock (30 min) ran out at T0 - 90 min: overdue
    countyEvent({ id: 'a', at: T0 - 2 * HOUR, title: '河道漂浮物堆积', category: '0302', description: '汨水河段漂浮物约100%覆盖水面' }),
    countyEvent({ id: 'b', at: T0, urgency: 'normal', title: '垃圾乱堆乱放', description: '村口垃圾堆放多日无人清理', source: 'wechat' }),
    countyEvent({ id: 'c', at: T0, urgency: 'critical', title: '垃圾焚烧冒烟', description: '有人焚烧垃圾_浓烟' }),
    // 社会治安: a 10-minute accept limit
    countyEvent({ id: 'd', at: T0, category: '0401', title: '可疑人员徘徊', description: '小学门口有可疑人员', address: '双凤村小学门口', grid: GRID_B }),
    countyEvent({ id: 'e', at: T0 - HOUR, title: '公厕损坏', category: '0303', urgency: 'urgent' }, 'dispatched'),
    suspended,
    countyEvent({ id: 'g', at: T0 - 5 * HOUR, title: '已清理的垃圾点', description: '垃圾已清运' }, 'closed'),
  );
  // 40 more to page through, reported one minute apart
  for (let i = 0; i < 40; i++) {
    events.push(countyEvent({ id: `p${String(i).padStart(2, '0')}`, at: T0 - 10 * HOUR + i * MINUTE, title: `路面破损${i}号`, category: '0601', source: 'walkIn' }));
  }
  replica.applyBatch(batch('c-1', 'c-2', events.map((e) => eventItem(e, 1))));
});

afterAll(async () => {
  await replica.close();
  tmp.cleanup();
});

describe('listEvents', () => {
  it('orders by deadline risk: overdue and earliest due first, urgency breaking ties, then clockless, closed last', () => {
    const order = ids({ paging: { offset: 0, limit: 500 } }).filter((id) => !id.startsWith('p'));
    expect(order).toEqual(['a', 'd', 'c', 'b', 'e', 'f', 'g']);
    // the default sort is risk
    expect(ids()).toEqual(ids({ sort: 'risk' }));
  });

  it('sorts by report time, newest first', () => {
    const order = ids({ sort: 'reportedAt', paging: { offset: 0, limit: 500 } });
    const expected = [...events].sort((x, y) => (x.reportedAt === y.reportedAt ? (x.id < y.id ? 1 : -1) : x.reportedAt < y.reportedAt ? 1 : -1)).map((e) => e.id);
    expect(order).toEqual(expected);
    expect(order.slice(0, 3)).toEqual(['d', 'c', 'b']);
  });

  it('filters by status, category group, grid prefix, source, urgency and report time', () => {
    expect(ids({ status: ['dispatched', 'suspended'] }).sort()).toEqual(['e', 'f']);
    expect(ids({ status: ['closed'] })).toEqual(['g']);
    // a group code matches its children
    expect(ids({ category: '03' }).sort()).toEqual(['a', 'b', 'c', 'e', 'f', 'g']);
    expect(ids({ category: '0302' })).toEqual(['a']);
    expect(ids({ category: '04' })).toEqual(['d']);
    // a village code matches its grids; the town code matches all
    const villageB = TOWN.grids.find((g) => g.code === GRID_B)!.parent!;
    expect(ids({ grid: villageB }).sort()).toEqual(['d', 'f']);
    expect(ids({ grid: GRID_A, category: '03', urgency: 'critical' })).toEqual(['c']);
    expect(replica.listEvents(args({ grid: TOWN_CODE }), T0).total).toBe(events.length);
    expect(ids({ source: 'wechat' })).toEqual(['b']);
    expect(ids({ urgency: 'urgent' }).sort()).toEqual(['e', 'f']);
    expect(ids({ from: toIso(T0 - HOUR), to: toIso(T0 - HOUR) }).sort()).toEqual(['e', 'f']);
    expect(ids({ from: toIso(T0), status: ['reported'] }).sort()).toEqual(['b', 'c', 'd']);
    expect(ids({ status: ['merged'] })).toEqual([]);
    expect(ids({ grid: '999999999' })).toEqual([]);
  });

  it('searches Chinese text: three characters or more through the trigram index, fewer by LIKE', () => {
    expect(ids({ text: '垃圾堆放' })).toEqual(['b']);
    expect(ids({ text: '漂浮物' })).toEqual(['a']);
    expect(ids({ text: '双凤村小学' })).toEqual(['d']);
    expect(ids({ text: '垃圾' }).sort()).toEqual(['b', 'c', 'g']);
    expect(ids({ text: '焚' })).toEqual(['c']);
    expect(ids({ text: 'GP-d' })).toEqual(['d']);
    expect(ids({ text: 'gp-d' })).toEqual(['d']);
    expect(ids({ text: '  垃圾焚烧  ' })).toEqual(['c']);
    // LIKE and FTS syntax are taken literally
    expect(ids({ text: '%' })).toEqual(['a']);
    expect(ids({ text: '_' })).toEqual(['c']);
    expect(ids({ text: '100%' })).toEqual(['a']);
    expect(ids({ text: '" OR * NEAR(' })).toEqual([]);
    expect(ids({ text: "'; DROP TABLE events; --" })).toEqual([]);
    expect(ids({ text: '路面破损', paging: { offset: 0, limit: 500 } })).toHaveLength(40);
    // combined with other filters, counted with the same filter
    const page = replica.listEvents(args({ text: '垃圾', status: ['reported'] }), T0);
    expect(page.items.map((e) => e.id)).toEqual(['c', 'b']);
    expect(page.total).toBe(2);
  });

  it('pages with offset and limit and reports the total of the whole match', () => {
    const all = ids({ category: '06', paging: { offset: 0, limit: 500 } });
    expect(all).toHaveLength(40);
    const first = replica.listEvents(args({ category: '06', paging: { offset: 0, limit: 15 } }), T0);
    const third = replica.listEvents(args({ category: '06', paging: { offset: 30, limit: 15 } }), T0);
    expect(first).toMatchObject({ total: 40, offset: 0, limit: 15 });
    expect(first.items.map((e) => e.id)).toEqual(all.slice(0, 15));
    expect(third.items.map((e) => e.id)).toEqual(all.slice(30));
    expect(replica.listEvents(args({ paging: { offset: 1000, limit: 10 } }), T0).items).toEqual([]);
  });

  it('filters on the view: an optimistic command moves the event at once', () => {
    const out = replica.command('event.accept', { id: 'b' }, DISPATCHER, T0 + MINUTE);
    expect(out.ok).toBe(true);
    expect(ids({ status: ['accepted'] }).sort()).toEqual(['b']);
    const page = replica.listEvents(args({ status: ['accepted'] }), T0);
    expect(page.pending).toEqual(['b']);
    expect(replica.getEvent('b')?.status).toBe('accepted');
  });
});

describe('reference queries', () => {
  it('answers workers by grid prefix and duty, the grid tree and the snapshot', () => {
    const inGrid = replica.workers({ grid: GRID_A }).map((w) => w.id);
    expect(inGrid).toEqual(TOWN.workers.filter((w) => w.grids.includes(GRID_A)).map((w) => w.id).sort());
    const village = TOWN.grids.find((g) => g.code === GRID_A)!.parent!;
    expect(replica.workers({ grid: village })).toHaveLength(TOWN.workers.filter((w) => w.grids.some((g) => g.startsWith(village))).length);
    expect(replica.workers({ onDuty: true })).toHaveLength(TOWN.workers.filter((w) => w.onDuty).length);
    const tree = replica.gridTree();
    expect(tree?.code).toBe(TOWN_CODE);
    expect(tree?.children).toHaveLength(TOWN.villages.length);
    expect(tree?.staff).toBe(TOWN.workers.length);
    const snap = replica.snapshot();
    expect(snap.events.map((e) => e.id)).toEqual(events.map((e) => e.id).sort());
    // the snapshot holds the county's state: b is still reported there
    expect(snap.events.find((e) => e.id === 'b')?.status).toBe('reported');
    expect(snap.workers).toHaveLength(TOWN.workers.length);
    expect(replica.integrityCheck()).toBe('ok');
  });
});
