// Generators for the hostile county: valid change items (hostile-looking text that is
// still valid data, events of unknown categories and grids, stale and deleted
// revisions) and poisoned ones, each built to fail validation for a stated reason,
// plus positions items of both kinds. The oracle applies the valid items under
// county-link-v1's revision rule, so the test knows exactly what must land.
import type { Rng } from '../../county/demo/random';
import type { Category, Department, Grid, GridEvent, Worker } from '../../core/model';
import { entityData, parseChangeItem, type Entity, type EntityType } from '../../core/sync/protocol';
import { GRIDS, TOWN, T0, countyEvent } from '../../electron/service/replica/test-fixtures';
import { HOSTILE_TEXT, HUGE, deep, wrongValue } from './hostile';

export interface WireItem {
  type: string;
  op: 'put' | 'del';
  id: string;
  rev: number;
  data?: unknown;
}

export const marker = (k: number): string => `POISON-${k}`;

/** What the replica must hold: per (type, id), the highest revision applied and the entity (null: deleted). */
export class Oracle {
  readonly held = new Map<string, { type: EntityType; id: string; rev: number; value: unknown }>();

  static key(type: string, id: string): string {
    return `${type}\u0000${id}`;
  }

  rev(type: string, id: string): number {
    return this.held.get(Oracle.key(type, id))?.rev ?? 0;
  }

  value<T>(type: EntityType, id: string): T | null {
    return (this.held.get(Oracle.key(type, id))?.value as T | null | undefined) ?? null;
  }

  ids(type: EntityType): string[] {
    return [...this.held.values()].filter((h) => h.type === type && h.value !== null).map((h) => h.id);
  }

  /** Applies one item meant to be valid; throws when core's parser refuses it (a generator bug). */
  apply(item: WireItem): void {
    const parsed = parseChangeItem(item);
    if (!parsed.ok) throw new Error(`generator: item meant valid is refused: ${parsed.reason}`);
    if (item.rev <= this.rev(parsed.type, parsed.id)) return;
    const value = parsed.op === 'put' ? parsed.entity.value : null;
    this.held.set(Oracle.key(parsed.type, parsed.id), { type: parsed.type, id: parsed.id, rev: item.rev, value });
  }

  clear(): void {
    this.held.clear();
  }

  /** The replica's snapshot() as it must be: base entities, sorted as snapshot() sorts them. */
  snapshot(): { grids: Grid[]; departments: Department[]; categories: Category[]; workers: Worker[]; events: GridEvent[] } {
    const of = <T>(type: EntityType, key: (t: T) => string): T[] =>
      [...this.held.values()]
        .filter((h) => h.type === type && h.value !== null)
        .map((h) => h.value as T)
        .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    return {
      grids: of<Grid>('grid', (g) => g.code),
      departments: of<Department>('department', (d) => d.id),
      categories: of<Category>('category', (c) => c.code),
      workers: of<Worker>('worker', (w) => w.id),
      events: of<GridEvent>('event', (e) => e.id),
    };
  }
}

const put = (entity: Entity, rev: number): WireItem => ({ type: entity.type, op: 'put', id: entity.id, rev, data: entityData(entity) });

/** The demo town's grids, departments, categories and workers at revision `rev`. */
export function townSnapshotItems(rev: number): WireItem[] {
  return [
    ...GRIDS.map((g) => put({ type: 'grid', id: g.code, value: g }, rev)),
    ...TOWN.departments.map((d) => put({ type: 'department', id: d.id, value: d }, rev)),
    ...TOWN.categories.map((c) => put({ type: 'category', id: c.code, value: c }, rev)),
    ...TOWN.workers.map((w) => put({ type: 'worker', id: w.id, value: w }, rev)),
  ];
}

const clip = (s: string, max: number): string => [...s].slice(0, max).join('');

/** A hostile-looking text that is valid data (fits `max` characters). */
function validText(rng: Rng, max: number): string {
  const parts = [rng.pick(HOSTILE_TEXT), rng.pick(HOSTILE_TEXT)];
  // Searchable, and never blank after the workflow's trim.
  return clip(`${parts.join(' ')} 事件${rng.int(1, 9999)}`, max);
}

/** A new valid event, made by core's workflow as the county would make it. */
function newEvent(rng: Rng, k: number): GridEvent {
  const grid = rng.pick(TOWN.grids).code;
  const leaf = rng.pick(TOWN.categories.filter((c) => !TOWN.categories.some((d) => d.parent === c.code)));
  const spec = {
    id: `ev-${k}`,
    code: `GP20261130-${String(k).padStart(4, '0')}`,
    title: validText(rng, 150),
    description: validText(rng, 500),
    address: validText(rng, 150),
    category: leaf.code,
    grid,
    at: T0 - rng.int(0, 72) * 3_600_000,
  };
  const status = rng.pick(['reported', 'accepted', 'dispatched', 'closed'] as const);
  let event: GridEvent;
  try {
    event = countyEvent(spec, status);
  } catch {
    // The fixture dispatches to one department, which not every category's rules accept.
    event = countyEvent(spec, 'accepted');
  }
  // Wire data may name a category or grid the replica does not hold (yet): it lands as sent.
  if (rng.chance(0.15)) return { ...event, category: `zz-${k}`, grid: '430624103999999' };
  return event;
}

/** One valid item: a new event, an update, a stale repeat, a deletion, a worker or category change. */
export function validItem(rng: Rng, oracle: Oracle, k: number): WireItem {
  const events = oracle.ids('event');
  const roll = rng.next();
  if (roll < 0.4 || events.length === 0) {
    const event = newEvent(rng, k);
    return put({ type: 'event', id: event.id, value: event }, rng.int(1, 3));
  }
  if (roll < 0.6) {
    const id = rng.pick(events);
    const event = oracle.value<GridEvent>('event', id) as GridEvent;
    const changed: GridEvent = { ...event, title: validText(rng, 200), urgency: rng.pick(['normal', 'urgent', 'critical'] as const) };
    return put({ type: 'event', id, value: changed }, oracle.rev('event', id) + rng.int(1, 5));
  }
  if (roll < 0.7) {
    // Stale: at or below the held revision, so it changes nothing.
    const id = rng.pick(events);
    const event = oracle.value<GridEvent>('event', id) as GridEvent;
    return put({ type: 'event', id, value: { ...event, title: `stale ${k}` } }, rng.int(1, oracle.rev('event', id)));
  }
  if (roll < 0.78) {
    const id = rng.pick(events);
    return { type: 'event', op: 'del', id, rev: oracle.rev('event', id) + 1 };
  }
  if (roll < 0.9) {
    const id = rng.pick(oracle.ids('worker'));
    const worker = oracle.value<Worker>('worker', id) as Worker;
    const { id: _id, ...data } = { ...worker, name: validText(rng, 100), onDuty: rng.chance(0.5) };
    return { type: 'worker', op: 'put', id, rev: oracle.rev('worker', id) + 1, data };
  }
  const code = `99${String(k).padStart(6, '0')}`;
  const category: Category = {
    code,
    name: validText(rng, 100),
    parent: null,
    acceptMinutes: rng.int(0, 600),
    finishLimit: { value: rng.int(1, 30), unit: rng.pick(['hours', 'days', 'workHours', 'workDays'] as const) },
    department: rng.pick(TOWN.departments).id,
    tier: 'general',
  };
  return put({ type: 'category', id: code, value: category }, 1);
}

/** A poisoned item: refused by validation, with the marker in a string field wherever one fits. */
export function poisonedItem(rng: Rng, oracle: Oracle, k: number): { item: unknown; why: string; unknownType: boolean } {
  const m = marker(k);
  const events = oracle.ids('event');
  // Either a fresh id, or an entity the replica holds with a higher revision: it must stay as it was.
  const eventId = events.length > 0 && rng.chance(0.4) ? rng.pick(events) : m;
  const eventRev = oracle.rev('event', eventId) + rng.int(1, 3);
  const baseEvent = (): Record<string, unknown> => {
    const e = newEvent(rng, k);
    return { ...entityData({ type: 'event', id: eventId, value: e }), title: m };
  };
  const eventWith = (why: string, change: (d: Record<string, unknown>) => void) => {
    const data = baseEvent();
    change(data);
    return { item: { type: 'event', op: 'put', id: eventId, rev: eventRev, data }, why, unknownType: false };
  };
  const grid = rng.pick(TOWN.grids);
  const gridWith = (why: string, change: (d: Record<string, unknown>) => void, id = grid.code) => {
    const data: Record<string, unknown> = { ...grid, name: m };
    change(data);
    return { item: { type: 'grid', op: 'put', id, rev: oracle.rev('grid', id) + 1, data }, why, unknownType: false };
  };
  const worker = rng.pick(TOWN.workers);
  const workerWith = (why: string, change: (d: Record<string, unknown>) => void) => {
    const { id: _id, ...rest } = worker;
    const data: Record<string, unknown> = { ...rest, name: m };
    change(data);
    return { item: { type: 'worker', op: 'put', id: worker.id, rev: oracle.rev('worker', worker.id) + 1, data }, why, unknownType: false };
  };
  const category = rng.pick(TOWN.categories);
  const categoryWith = (why: string, change: (d: Record<string, unknown>) => void) => {
    const data: Record<string, unknown> = { ...category, name: m };
    change(data);
    return { item: { type: 'category', op: 'put', id: category.code, rev: oracle.rev('category', category.code) + 1, data }, why, unknownType: false };
  };
  const envelope = (why: string, item: Record<string, unknown>) => ({ item, why, unknownType: false });
  const valid = (): Record<string, unknown> => ({ type: 'event', op: 'put', id: m, rev: 1, data: baseEvent() });

  const ring = (grid.geometry.type === 'Polygon' ? grid.geometry.coordinates[0] : grid.geometry.coordinates[0]?.[0]) ?? [];
  const cases: (() => { item: unknown; why: string; unknownType: boolean })[] = [
    () => ({ item: rng.pick<unknown>([42, m, null, true, [m, 1], -0, 1e300]), why: 'not an object', unknownType: false }),
    () => {
      const item = valid();
      delete item[rng.pick(['type', 'op', 'id', 'rev'])];
      return envelope('a field is missing', item);
    },
    () => envelope('type is not a string', { ...valid(), type: rng.pick<unknown>([1, null, [], {}, true]) }),
    () => envelope('type is empty or too long', { ...valid(), type: rng.pick(['', 'e'.repeat(33), HUGE]) }),
    () => envelope('op is unknown', { ...valid(), op: rng.pick<unknown>(['upsert', 'DROP', "'; DROP TABLE events; --", 1, null]) }),
    () => envelope('id is empty, too long, or not a string', { ...valid(), id: rng.pick<unknown>(['', `${m}-${'i'.repeat(130)}`, `${m}${HUGE}`, 7, null, { id: m }]) }),
    () => envelope('rev is out of range', { ...valid(), rev: rng.pick<unknown>([0, -1, Number.NaN, 1e300, 1.5, '3', 2 ** 53 + 2, Number.POSITIVE_INFINITY, [], null]) }),
    () => ({
      item: { type: rng.pick(['spaceship', "'; DROP TABLE events; --", '<script>alert(1)</script>', 'Event']), op: rng.pick(['put', 'del']), id: m, rev: 1, data: { name: m } },
      why: 'unknown entity type',
      unknownType: true,
    }),
    () => envelope('put without data', { type: rng.pick(['grid', 'worker', 'event', 'category', 'department']), op: 'put', id: m, rev: 1 }),
    () => envelope('data of the wrong type', { type: rng.pick(['grid', 'worker', 'event', 'category', 'department']), op: 'put', id: m, rev: 1, data: rng.pick<unknown>([m, 42, [m], null, deep(2000), wrongValue(rng)]) }),
    () => eventWith('unknown status', (d) => (d.status = rng.pick<unknown>(['exploded', 1, null, "'; DROP TABLE events; --"]))),
    () => eventWith('unknown urgency or source', (d) => (rng.chance(0.5) ? (d.urgency = 'apocalyptic') : (d.source = '<script>alert(1)</script>'))),
    () =>
      eventWith('coordinates out of range', (d) => {
        const bad = rng.pick<[unknown, unknown]>([[200, 28.6], [-181, 28.6], [112.9, 91], [112.9, -90.5], [Number.NaN, 28.6], [Number.POSITIVE_INFINITY, 28.6], ['112.9', 28.6], [null, null]]);
        d.location = { ...(d.location as object), lon: bad[0], lat: bad[1] };
      }),
    () => eventWith('address too long', (d) => (d.location = { ...(d.location as object), address: rng.chance(0.5) ? HUGE : 'a'.repeat(401) })),
    () => eventWith('grid code malformed', (d) => (d.grid = rng.pick<unknown>(['1234', '43062410310100', '4306241030010011', 430624103001001, '43062410300100x']))),
    () => eventWith('reportedAt is not an ISO time', (d) => (d.reportedAt = rng.pick<unknown>(['yesterday', '2024-02-30T00:00:00Z', 1764300000000, '2026-11-30 09:00', '']))),
    () => eventWith('deadlines malformed', (d) => (d.deadlines = rng.pick<unknown>(['x', { accept: { kind: 'x' } }, [], { finish: { ...((d.deadlines as { accept?: object }).accept ?? {}), dueAt: 'soon' } }]))),
    () =>
      eventWith('history malformed or too long', (d) => {
        const entry = { at: '2026-11-30T09:00:00+08:00', actor: 'a', action: 'event.comment', note: 'n' };
        d.history = rng.pick<unknown>(['none', [{ at: 'bad', actor: 1 }], Array.from({ length: 1001 }, () => entry), [{ ...entry, note: HUGE }]]);
      }),
    () =>
      eventWith('a text field too long', (d) => {
        const field = rng.pick(['code', 'category', 'description']);
        d[field] = field === 'description' ? HUGE : `${m}${'c'.repeat(130)}`;
      }),
    () => ({ item: { type: 'event', op: 'put', id: eventId, rev: eventRev, data: { ...baseEvent(), title: `${m}${'t'.repeat(200)}` } }, why: 'title too long', unknownType: false }),
    () => eventWith('too many photos or counts out of range', (d) => (rng.chance(0.5) ? (d.photos = Array.from({ length: 21 }, () => 'p')) : (d.reworkCount = rng.pick([-1, 1.5, 1e7])))),
    () => gridWith('grid code of the wrong length', (d) => (d.code = rng.pick(['43062410', '4306241030010', '43062410300100111'])), rng.pick(['43062410', '4306241030010'])),
    () => gridWith('grid code does not match its level', (d) => (d.level = rng.pick([1, 2]))),
    () => gridWith('grid id differs from its code', (d) => (d.code = '430624103001999')),
    () => gridWith('grid kind unknown', (d) => (d.kind = 'special')),
    () => gridWith('grid parent is not the village above it', (d) => (d.parent = rng.pick([grid.code, '430624103', '430624103009', TOWN.grids[TOWN.grids.length - 1]!.code]))),
    () =>
      gridWith('geometry out of range or open', (d) => {
        const broken = rng.pick([
          () => ring.map(([x, y]) => [(x ?? 0) + 200, y]),
          () => ring.slice(0, -1),
          () => ring.slice(0, 2),
          () => ring.map(([x, y], i) => (i === 1 ? [Number.NaN, y] : [x, y])),
        ])();
        d.geometry = rng.chance(0.2) ? { type: 'Point', coordinates: [112.9, 28.6] } : { type: 'Polygon', coordinates: [broken] };
      }),
    () => gridWith('households out of range', (d) => (d.households = rng.pick([-1, 1.5, 1e300]))),
    () => workerWith('worker role unknown', (d) => (d.role = rng.pick(['admin', 'dispatcher', "'; DROP TABLE workers; --"]))),
    () => workerWith('onDuty is not a boolean', (d) => (d.onDuty = rng.pick<unknown>(['yes', 1, null]))),
    () => workerWith('worker grids malformed', (d) => (d.grids = rng.pick<unknown>(['430624103001001', ['abc'], [430624103001001]]))),
    () => workerWith('worker phone too long', (d) => (d.phone = `${m}${'1'.repeat(64)}`)),
    () => ({ item: { type: 'worker', op: 'put', id: worker.id, rev: oracle.rev('worker', worker.id) + 1, data: { ...worker, name: rng.pick(['', HUGE]), phone: m } }, why: 'worker name empty or huge', unknownType: false }),
    () => ({ item: { type: 'department', op: 'put', id: m, rev: 1, data: { name: rng.pick(['', HUGE]), categories: ['01'], phone: m } }, why: 'department name empty or huge', unknownType: false }),
    () => ({ item: { type: 'department', op: 'put', id: m, rev: 1, data: { name: m, categories: rng.pick<unknown>(['01', [1], null]) } }, why: 'department categories malformed', unknownType: false }),
    () => categoryWith('acceptMinutes out of range', (d) => (d.acceptMinutes = rng.pick<unknown>([-1, 1e300, 525_601, Number.NaN, '30']))),
    () => categoryWith('finish limit malformed', (d) => (d.finishLimit = rng.pick<unknown>([{ value: 1e9, unit: 'days' }, { value: 3, unit: 'years' }, { value: 0, unit: 'days' }, 5]))),
    () => categoryWith('category id differs from its code', (d) => (d.code = `${category.code}9`)),
    () => categoryWith('category parent too long', (d) => (d.parent = `${m}${'p'.repeat(130)}`)),
    () => envelope('del with a bad rev', { type: 'event', op: 'del', id: rng.pick(events.length > 0 ? events : [m]), rev: rng.pick<unknown>([0, -5, 1.5, null]) }),
  ];
  return rng.pick(cases)();
}

// ------------------------------------------------------------------ positions

export type PositionItem = [string, number, number, number, number | null, number | null, number | null];

export function validFix(rng: Rng, workers: readonly string[]): PositionItem {
  return [
    rng.pick(workers),
    112.8 + 0.2 * rng.next(),
    28.5 + 0.2 * rng.next(),
    T0 - rng.int(0, 3_600) * 1000,
    rng.chance(0.2) ? null : Math.round(rng.float(0, 30) * 10) / 10,
    rng.chance(0.3) ? null : rng.int(0, 359),
    rng.chance(0.2) ? null : rng.int(1, 50),
  ];
}

/** A positions item refused by the replica: malformed, out of range, an unknown worker, or from the far future. */
export function poisonedFix(rng: Rng, workers: readonly string[], k: number): unknown {
  const fix = validFix(rng, workers);
  const at = (i: number, v: unknown): unknown[] => fix.map((x, j) => (j === i ? v : x));
  const cases: (() => unknown)[] = [
    () => rng.pick<unknown>([null, 42, marker(k), { workerId: fix[0] }, []]),
    () => fix.slice(0, rng.int(1, 6)),
    () => [...fix, 'extra'],
    () => at(0, rng.pick<unknown>(['', `${marker(k)}${'w'.repeat(130)}`, 7, null])),
    () => at(0, marker(k)), // unknown worker
    () => at(1, rng.pick<unknown>([200, -181, Number.NaN, Number.POSITIVE_INFINITY, '112.9', null])),
    () => at(2, rng.pick<unknown>([95, -91, Number.NaN, Number.NEGATIVE_INFINITY, null])),
    () => at(3, rng.pick<unknown>([-1, 1.5, 'now', null, 8.64e15 + 1, T0 + 3 * 86_400_000])),
    () => at(4, rng.pick<unknown>(['fast', -1, 1e300, {}])),
    () => at(5, rng.pick<unknown>([400, -10, 1e300, '90'])),
    () => at(6, rng.pick<unknown>([-5, 1e300, []])),
  ];
  return rng.pick(cases)();
}
