// The replica against what a hostile county or a caller may send that passes the wire's
// shape: a lastN beyond every command the replica issued (it would be kept for ever and
// hide every later command's overlay), a cursor with line breaks (log lines stay one
// line), and a search text with NUL (an FTS5 syntax error). Found by the fuzz suite
// (tests/fuzz/hostile-county.test.ts, hostile-api.test.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { textQuery } from './event-index';
import { oneLine, reportedLastN } from './replica';
import { DISPATCHER, T0, batch, countyEvent, eventItem, seededReplica, tempDir } from './test-fixtures';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const listArgs = (text: string) => ({ text, paging: { offset: 0, limit: 100 }, sort: 'risk' as const });

describe('a lastN beyond the commands the replica issued', () => {
  it('is taken as the last command issued, logged once, and later commands keep their overlay', async () => {
    const { replica, log } = await seededReplica(tmp.file('r.db'));
    const event = countyEvent({ id: 'e-1' });
    replica.applyBatch(batch('c-1', 'c-2', [eventItem(event, 1)], { lastN: Number.MAX_SAFE_INTEGER }));
    // No command was ever issued: nothing is settled.
    expect(replica.state().lastN).toBe(0);
    expect(log.warn.filter((l) => /reports lastN 9007199254740991 beyond the last command this replica issued \(0\); taken as 0/.test(l))).toHaveLength(1);

    const receipt = replica.command('event.accept', { id: 'e-1' }, DISPATCHER, T0 + 60_000);
    expect(receipt.ok).toBe(true);
    replica.applyBatch(batch('c-2', 'c-3', [], { lastN: 10 ** 12 }));
    // Command 1 exists now: lastN may reach it, and no further.
    expect(replica.state().lastN).toBe(1);
    const next = replica.command('event.comment', { id: 'e-1', note: '后续指令' }, DISPATCHER, T0 + 120_000);
    expect(next.ok).toBe(true);
    replica.applyBatch(batch('c-3', 'c-4', [], { lastN: Number.MAX_SAFE_INTEGER }));
    expect(replica.state().lastN).toBe(2);
    // A legitimate lastN passes unchanged.
    expect(reportedLastN(5, 9)).toBe(5);
    expect(reportedLastN(null, 9)).toBeNull();
    expect(reportedLastN(9, 9)).toBe(8);
    await replica.close();
  });

  it('leaves the overlay of commands issued afterwards in place', async () => {
    const { replica } = await seededReplica(tmp.file('r.db'));
    replica.applyBatch(batch('c-1', 'c-2', [eventItem(countyEvent({ id: 'e-1' }), 1)], { lastN: Number.MAX_SAFE_INTEGER }));
    expect(replica.command('event.accept', { id: 'e-1' }, DISPATCHER, T0 + 60_000).ok).toBe(true);
    // The next batch recomputes the event: its command is still pending (before the fix,
    // the stored 2^53 - 1 counted it as settled and the dispatcher's accept vanished).
    replica.applyBatch(batch('c-2', 'c-3', [eventItem(countyEvent({ id: 'e-1', title: '新标题' }), 2)]));
    expect(replica.pendingCommands('e-1').map((c) => c.n)).toEqual([1]);
    expect(replica.getEvent('e-1')).toMatchObject({ status: 'accepted', title: '新标题' });
    expect(replica.queueLength()).toBe(1);
    await replica.close();
  });
});

describe('log lines', () => {
  it('stay one line whatever a county puts in a cursor or an item', async () => {
    const { replica, log } = await seededReplica(tmp.file('r.db'));
    replica.applyBatch(batch('c-1', 'c-2\n[replica] forged\r\u2028', [{ type: 'event', op: 'put', id: 'x\ny', rev: 1, data: {} }], { lastN: 99 }));
    expect(log.warn.length).toBe(2);
    for (const line of log.warn) expect(line).not.toMatch(/[\n\r\u2028]/);
    expect(log.warn.some((l) => l.includes('batch c-2\\u000a[replica] forged\\u000d\\u2028'))).toBe(true);
    expect(oneLine('a\u0000b\u007fc\td')).toBe('a\\u0000b\\u007fc\\u0009d');
    await replica.close();
  });
});

describe('search text with NUL', () => {
  it('is searched without it, never an FTS5 syntax error', async () => {
    expect(textQuery('a\u0000bc')).toEqual({ kind: 'match', query: '"abc"' });
    expect(textQuery('\u0000\u0000\u0000')).toBeNull();
    expect(textQuery('垃\u0000')).toEqual({ kind: 'like', pattern: '%垃%' });
    const { replica } = await seededReplica(tmp.file('r.db'));
    replica.applyBatch(batch('c-1', 'c-2', [eventItem(countyEvent({ id: 'e-1', title: '垃圾堆放' }), 1)]));
    expect(replica.listEvents(listArgs('垃圾\u0000堆放'), T0).items.map((e) => e.id)).toEqual(['e-1']);
    expect(replica.listEvents(listArgs('\u0000"*NEAR('), T0).items).toEqual([]);
    expect(replica.listEvents(listArgs('\u0000'), T0).total).toBe(1);
    await replica.close();
  });
});
