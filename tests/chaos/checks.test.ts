// Each invariant of the chaos suite on small hand-made cases: it holds on a good run,
// and names the fault on a bad one (so a passing chaos run means something).
import { describe, expect, it } from 'vitest';
import { checkFaults } from './faults';
import type { ChaosStats } from './setup';
import { CursorWatch, checkOrder, checkReceipts, checkScreenCalls, checkSettled, checkTokens, compareSnapshots, firstDifference, parseCursor, type Receipt } from './checks';

const R = 'replica-1';
const receipt = (n: number, name = 'event.accept', token: string | null = `#chaos-1-${n}-0`, eventId = 'e1'): Receipt => ({
  n,
  commandId: `${R}:${n}`,
  name,
  eventId,
  token,
  step: n,
});

describe('checkReceipts (no command lost)', () => {
  it('holds when every receipt is settled under its n and name', () => {
    expect(checkReceipts([receipt(1), receipt(2)], [{ n: 1, name: 'event.accept', status: 'applied' }, { n: 2, name: 'event.accept', status: 'rejected', code: 'conflict' }], R)).toBeNull();
  });
  it('names a receipt the county never settled, a name mismatch, a foreign id and an n handed out twice', () => {
    expect(checkReceipts([receipt(1), receipt(2)], [{ n: 1, name: 'event.accept', status: 'applied' }], R)).toMatch(/command lost: n 2/);
    expect(checkReceipts([receipt(1, 'event.close')], [{ n: 1, name: 'event.accept', status: 'applied' }], R)).toMatch(/settled as event.accept/);
    expect(checkReceipts([{ ...receipt(1), commandId: 'other:1' }], [{ n: 1, name: 'event.accept', status: 'applied' }], R)).toMatch(/has id other:1/);
    expect(checkReceipts([receipt(1), receipt(1)], [{ n: 1, name: 'event.accept', status: 'applied' }], R)).toMatch(/handed out twice/);
  });
});

describe('checkSettled (each n once, as in the outbox)', () => {
  const outbox = [
    { n: 1, id: `${R}:1`, name: 'event.accept', state: 'applied', code: null },
    { n: 2, id: `${R}:2`, name: 'event.close', state: 'rejected', code: 'invalid-transition' },
  ];
  const settled = [
    { n: 1, name: 'event.accept', status: 'applied' as const },
    { n: 2, name: 'event.close', status: 'rejected' as const, code: 'invalid-transition' },
  ];
  it('holds when the county settled exactly the outbox', () => {
    expect(checkSettled(settled, outbox)).toBeNull();
  });
  it('names a gap, a missing command, a different answer', () => {
    expect(checkSettled([settled[0]!, { ...settled[1]!, n: 3 }], outbox)).toMatch(/not 1\.\.2: position 2 holds n 3/);
    expect(checkSettled(settled.slice(0, 1), outbox)).toMatch(/outbox holds 2 commands, the county settled 1/);
    expect(checkSettled([settled[0]!, { n: 2, name: 'event.close', status: 'applied' }], outbox)).toMatch(/n 2 \(event.close\) is rejected in the replica, applied at the county/);
    expect(checkSettled([settled[0]!, { ...settled[1]!, code: 'conflict' }], outbox)).toMatch(/rejected with conflict at the county/);
  });
});

describe('checkOrder (per-replica order kept)', () => {
  it('holds for increasing n and names the first inversion', () => {
    expect(checkOrder([1, 2, 3])).toBeNull();
    expect(checkOrder([1, 3, 2])).toBe('the county settled n 2 after n 3');
    expect(checkOrder([1, 1])).toBe('the county settled n 1 after n 1');
  });
});

describe('checkTokens (effects applied once)', () => {
  const pattern = /#chaos-\d+-\d+-\d+/g;
  const settled = [
    { n: 1, name: 'event.accept', status: 'applied' as const },
    { n: 2, name: 'event.comment', status: 'rejected' as const, code: 'conflict' },
  ];
  it('holds when applied notes are there once and rejected ones are not', () => {
    const histories = new Map([['e1', [{ note: 'x #chaos-1-1-0' }, { note: '' }]]]);
    expect(checkTokens([receipt(1), receipt(2, 'event.comment')], settled, histories, pattern)).toBeNull();
  });
  it('names a note applied twice, an applied one missing and a rejected one applied', () => {
    expect(checkTokens([receipt(1)], settled, new Map([['e1', [{ note: '#chaos-1-1-0' }, { note: '#chaos-1-1-0' }]]]), pattern)).toMatch(/appears 2 times/);
    expect(checkTokens([receipt(1)], settled, new Map([['e1', []]]), pattern)).toMatch(/applied but its note is in event e1's history 0 times/);
    expect(checkTokens([receipt(2, 'event.comment')], settled, new Map([['e1', [{ note: '#chaos-1-2-0' }]]]), pattern)).toMatch(/was rejected but its note/);
  });
});

describe('checkScreenCalls (what a retrying screen was told is what happened)', () => {
  const histories = new Map([['e1', [{ note: '#chaos-1-2-0' }]], ['e2', [{ note: '#chaos-1-3-0' }, { note: '#chaos-1-3-0' }]]]);
  it('holds when an applied command was answered as applied, and a refused one left no trace', () => {
    expect(checkScreenCalls([{ step: 2, name: 'event.comment', eventId: 'e1', token: '#chaos-1-2-0', ok: true }, { step: 4, name: 'event.accept', eventId: 'e1', token: '#chaos-1-4-0', ok: false }], histories)).toBeNull();
  });
  it('fails when an applied command was answered as refused, a report that exists was refused, or a command applied twice', () => {
    expect(checkScreenCalls([{ step: 2, name: 'event.comment', eventId: 'e1', token: '#chaos-1-2-0', ok: false }], histories)).toMatch(/told it was refused/);
    expect(checkScreenCalls([{ step: 5, name: 'event.create', eventId: 'e1', token: null, ok: false }], histories)).toMatch(/told it was refused/);
    expect(checkScreenCalls([{ step: 3, name: 'event.comment', eventId: 'e2', token: '#chaos-1-3-0', ok: true }], histories)).toMatch(/2 times/);
  });
});

describe('compareSnapshots (replica equal to the county)', () => {
  const empty = { grids: [], departments: [], categories: [], workers: [] };
  it('holds for equal lists and names the first difference', () => {
    const a = { ...empty, events: [{ id: 'e1', status: 'accepted', history: [{ note: 'a' }] }] };
    expect(compareSnapshots(a, structuredClone(a))).toBeNull();
    const b = { ...empty, events: [{ id: 'e1', status: 'accepted', history: [{ note: 'b' }] }] };
    expect(compareSnapshots(a, b)).toBe('events: e1 differs: .history.0.note: replica "a", county "b"');
    expect(compareSnapshots({ ...empty, events: [] }, a)).toBe('events: e1 is at the county but not in the replica');
    expect(compareSnapshots(a, { ...empty, events: [] })).toBe('events: e1 is in the replica but not at the county');
    expect(compareSnapshots({ ...a, grids: [{ code: 'g1' }] }, a)).toBe('grids: g1 is in the replica but not at the county');
  });
  it('firstDifference says where two values part', () => {
    expect(firstDifference({ a: [1, 2] }, { a: [1, 3] })).toBe('.a.1: replica 2, county 3');
    expect(firstDifference(1, 'x')).toBe('(root): replica 1, county "x"');
  });
});

describe('CursorWatch (the cursor never moves backwards)', () => {
  it('parses county cursors', () => {
    expect(parseCursor('c-0a1b2c3d4e5f-42')).toEqual({ epoch: '0a1b2c3d4e5f', seq: 42 });
    expect(parseCursor('c-42')).toBeNull();
  });
  it('accepts a rising cursor and a reset the driver asked for, once', () => {
    const w = new CursorWatch();
    w.observe('c-ab-5', 'a');
    w.observe('c-ab-5', 'b');
    w.observe('c-ab-9', 'c');
    w.allowReset();
    w.observe('c-ab-2', 'reset page', true);
    w.observe('c-ab-3', 'd');
    expect(w.violation).toBeNull();
    w.observe('c-ab-1', 'e');
    expect(w.violation).toBe('cursor moved backwards: c-ab-3 (d) then c-ab-1 (e)');
  });
  it('names a reset nobody asked for, another epoch, and garbage', () => {
    const a = new CursorWatch();
    a.observe('c-ab-5', 'a');
    a.observe('c-ab-7', 'b', true);
    expect(a.violation).toBe('a reset nobody asked for moved the cursor to c-ab-7 (b)');
    const b = new CursorWatch();
    b.observe('c-ab-5', 'a');
    b.observe('c-cd-9', 'b');
    expect(b.violation).toMatch(/moved backwards/);
    const c = new CursorWatch();
    c.observe('nonsense', 'a');
    expect(c.violation).toMatch(/not a county cursor/);
  });
  it('checks a read of the live file against what was reported before it, without making it the baseline', () => {
    const w = new CursorWatch();
    w.sample('c-ab-1', 'before anything');
    w.observe('c-ab-5', 'a');
    w.sample('c-ab-8', 'live read');
    w.observe('c-ab-6', 'reported after the read');
    expect(w.violation).toBeNull();
    w.sample('c-ab-4', 'stale read');
    expect(w.violation).toBe('cursor moved backwards: c-ab-6 (reported after the read) then c-ab-4 (stale read)');
  });
});

describe('checkFaults (the set reached every fault it is meant to)', () => {
  const run = (over: Partial<ChaosStats>): ChaosStats => ({
    steps: {}, receipts: 1, refusedLocally: 0, unanswered: 0, retried: 0, rejectedByCounty: 0, kills: 0, selfKills: 0, selfKillsIn: {}, serviceStarts: 1, countyRestarts: 0, resets: 0, ...over,
  });
  it('holds when the runs together reach each fault', () => {
    expect(checkFaults([run({ selfKills: 1, kills: 2 }), run({ countyRestarts: 1, retried: 1, rejectedByCounty: 3 })])).toBeNull();
  });
  it('fails a set that killed nothing inside a transaction, or never retried', () => {
    expect(checkFaults([run({ kills: 2, countyRestarts: 1, retried: 1, rejectedByCounty: 1 })])).toMatch(/0 kills inside a transaction/);
    expect(checkFaults([run({ selfKills: 1, kills: 2, countyRestarts: 1, rejectedByCounty: 1 })])).toMatch(/retry/);
  });
});
