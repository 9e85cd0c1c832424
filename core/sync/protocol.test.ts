import { describe, expect, it } from 'vitest';
import town from '../../resources/demo-town/town.json';
import type { Entity } from './protocol';
import { checkAuth, entityData, parseChangeItem, parsePositionItem, positionItem, MutateAckSchema, MutateSchema } from './protocol';
import type { Grid, GridEvent } from '../model';

const ds = town as unknown as { town: Grid; grids: Grid[]; workers: { id: string }[]; categories: { code: string }[]; departments: { id: string }[] };

const minimalEvent = {
  code: 'GP-1',
  title: '河道漂浮物',
  category: '0702',
  status: 'reported',
  urgency: 'normal',
  source: 'patrol',
  location: { lon: 112.9, lat: 28.61, address: '汨水村' },
  grid: ds.grids[0]!.code,
  reportedAt: '2026-11-28T09:00:00+08:00',
  deadlines: {},
  assignee: null,
  history: [],
};

describe('county-link-v1 messages', () => {
  it('refuses a handshake of another version with unsupported-version, a malformed one with unauthorized', () => {
    expect(checkAuth({ v: 2, town: '430624103', replica: '9b2f0000-0000-4000-8000-000000000000', token: '', cursor: null })).toMatchObject({
      ok: false,
      code: 'unsupported-version',
    });
    expect(checkAuth(null)).toMatchObject({ ok: false, code: 'unsupported-version' });
    expect(checkAuth({ v: 1, town: '4306', replica: 'x', token: '', cursor: null })).toMatchObject({ ok: false, code: 'unauthorized' });
    expect(checkAuth({ v: 1, town: '430624103', replica: '9b2f0000-0000-4000-8000-000000000000', token: 't', cursor: 'c-1' })).toMatchObject({ ok: true });
  });

  it('round-trips every entity of the demo town through its wire form', () => {
    const entities: Entity[] = [
      ...[ds.town, ...ds.grids].map((g) => ({ type: 'grid' as const, id: g.code, value: g })),
      ...(ds.workers as never[]).map((w: { id: string }) => ({ type: 'worker' as const, id: w.id, value: w as never })),
      ...(ds.departments as never[]).map((d: { id: string }) => ({ type: 'department' as const, id: d.id, value: d as never })),
      ...(ds.categories as never[]).map((c: { code: string }) => ({ type: 'category' as const, id: c.code, value: c as never })),
    ];
    for (const e of entities) {
      const parsed = parseChangeItem({ type: e.type, op: 'put', id: e.id, rev: 1, data: entityData(e) });
      expect(parsed.ok, `${e.type} ${e.id}`).toBe(true);
      if (parsed.ok && parsed.op === 'put') expect(parsed.entity.value).toEqual(e.value);
    }
  });

  it('accepts an event that carries only the minimal fields and fills the rest', () => {
    const parsed = parseChangeItem({ type: 'event', op: 'put', id: 'e1', rev: 3, data: minimalEvent });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok || parsed.op !== 'put') return;
    const e = parsed.entity.value as GridEvent;
    expect(e).toMatchObject({ id: 'e1', description: '', tier: 'general', selfHandled: false, reworkCount: 0, photos: [], reporter: null });
  });

  it('refuses bad items with a reason and tells unknown types apart', () => {
    const cases: [unknown, RegExp][] = [
      [null, /invalid change item/],
      [{ type: 'event', op: 'put', id: 'e1', rev: 0, data: minimalEvent }, /rev/],
      [{ type: 'event', op: 'upsert', id: 'e1', rev: 1 }, /op/],
      [{ type: 'event', op: 'put', id: 'e1', rev: 1, data: { ...minimalEvent, location: { lon: 500, lat: 0, address: '' } } }, /location\.lon/],
      [{ type: 'event', op: 'put', id: 'e1', rev: 1, data: { ...minimalEvent, title: 'x'.repeat(100_000) } }, /title/],
      [{ type: 'grid', op: 'put', id: '1', rev: 1, data: { ...ds.grids[0], code: ds.grids[0]!.code } }, /id must equal/],
      [{ type: 'worker', op: 'put', id: 'w', rev: 1, data: { name: "'; DROP TABLE events; --" } }, /role/],
    ];
    for (const [raw, why] of cases) {
      const r = parseChangeItem(raw);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.unknownType).toBe(false);
        expect(r.reason).toMatch(why);
      }
    }
    const unknown = parseChangeItem({ type: 'camera', op: 'put', id: 'c1', rev: 1, data: {} });
    expect(unknown).toMatchObject({ ok: false, unknownType: true });
    expect(parseChangeItem({ type: 'event', op: 'del', id: 'e1', rev: 9 })).toMatchObject({ ok: true, op: 'del', rev: 9 });
  });

  it('parses position items as fixes and refuses out-of-range ones', () => {
    const fix = { workerId: 'w-0012', lon: 112.9071, lat: 28.6112, at: 1764299998000, speed: 1.2, heading: 270, accuracy: 8 };
    expect(parsePositionItem(positionItem(fix))).toEqual({ ok: true, fix });
    expect(parsePositionItem(['w', 112, 28, 1, null, null, null])).toMatchObject({ ok: true });
    expect(parsePositionItem(['w', 181, 28, 1, null, null, null])).toMatchObject({ ok: false });
    expect(parsePositionItem(['w', 112, Number.NaN, 1, null, null, null])).toMatchObject({ ok: false });
    expect(parsePositionItem(['w', 112, 28])).toMatchObject({ ok: false });
  });

  it('validates mutate messages and acknowledgements', () => {
    expect(MutateSchema.safeParse({ id: 'r:1', n: 1, name: 'event.accept', args: { id: 'e' }, at: '2026-11-28T09:12:03+08:00' }).success).toBe(true);
    expect(MutateSchema.safeParse({ id: 'r:0', n: 0, name: 'event.accept', args: {}, at: '2026-11-28T09:12:03+08:00' }).success).toBe(false);
    expect(MutateAckSchema.safeParse({ status: 'applied' }).success).toBe(true);
    expect(MutateAckSchema.safeParse({ status: 'rejected', code: 'out-of-order', message: '…' }).success).toBe(true);
    expect(MutateAckSchema.safeParse({ status: 'maybe' }).success).toBe(false);
  });
});
