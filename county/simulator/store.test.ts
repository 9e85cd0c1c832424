// The change log, cursors and settled commands on a real SQLite file.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CountyStore } from './store';
import { tempDir } from './test-client';

describe('CountyStore', () => {
  const tmp = tempDir();
  const opened: CountyStore[] = [];
  const open = (name = 'x.sqlite'): CountyStore => {
    const s = new CountyStore(tmp.file(name));
    opened.push(s);
    return s;
  };
  afterEach(() => {
    for (const s of opened.splice(0)) s.close();
  });
  afterAll(() => tmp.remove());

  it('keeps only the latest change per entity, with rising revs and seqs', () => {
    const s = open('log.sqlite');
    const a1 = s.put('T', 'event', 'a', { v: 1 });
    const b1 = s.put('T', 'event', 'b', { v: 1 });
    const a2 = s.put('T', 'event', 'a', { v: 2 });
    s.put('U', 'event', 'a', { v: 9 });
    expect([a1.rev, b1.rev, a2.rev]).toEqual([1, 1, 2]);
    expect(a2.seq).toBeGreaterThan(b1.seq);
    const rows = s.changesAfter('T', 0, 10);
    expect(rows.map((r) => [r.id, r.rev, JSON.parse(r.data!)])).toEqual([
      ['b', 1, { v: 1 }],
      ['a', 2, { v: 2 }],
    ]);
    expect(s.changesAfter('T', b1.seq, 10).map((r) => r.id)).toEqual(['a']);
    expect(s.head()).toBe(a2.seq + 1);
    const del = s.put('T', 'event', 'b', null, true);
    expect(s.changesAfter('T', a2.seq, 10)).toEqual([{ seq: del.seq, type: 'event', id: 'b', rev: 2, deleted: true, data: null }]);
  });

  it('formats cursors with the epoch and knows only its own', () => {
    const s = open('cur.sqlite');
    const { seq } = s.put('T', 'grid', 'g', {});
    expect(s.cursor(seq)).toBe(`c-${s.epoch}-${seq}`);
    expect(s.parseCursor(s.cursor(seq))).toBe(seq);
    expect(s.parseCursor(s.cursor(0))).toBe(0);
    expect(s.parseCursor(s.cursor(seq + 1))).toBeNull();
    expect(s.parseCursor(`c-beef-${seq}`)).toBeNull();
    expect(s.parseCursor('')).toBeNull();
    const other = open('other.sqlite');
    expect(other.epoch).not.toBe(s.epoch);
    expect(other.parseCursor(s.cursor(0))).toBeNull();
  });

  it('survives reopening: epoch, meta, entities and settled commands', () => {
    const s = open('re.sqlite');
    s.put('T', 'event', 'a', { v: 1 });
    s.setMeta('k', 'v');
    s.settle('r', 'T', 1, 'event.accept', { status: 'rejected', code: 'invalid', message: '不行' }, [], null);
    const epoch = s.epoch;
    s.close();
    opened.splice(0);
    const again = open('re.sqlite');
    expect(again.epoch).toBe(epoch);
    expect(again.meta('k')).toBe('v');
    expect(again.entities()).toEqual([{ town: 'T', type: 'event', id: 'a', rev: 1, deleted: false, data: { v: 1 } }]);
    expect(again.ackOf('r', 1)).toEqual({ status: 'rejected', code: 'invalid', message: '不行' });
    expect(again.lastN('r')).toBe(1);
    expect(again.settledOf('r')).toEqual([{ n: 1, name: 'event.accept', status: 'rejected', code: 'invalid', message: '不行' }]);
  });

  it('computes lastN from the seqs that cover each command', () => {
    const s = open('n.sqlite');
    expect(s.lastNFor('r', 'T', 0, 100)).toBeNull();
    const a = s.put('T', 'event', 'a', {});
    s.settle('r', 'T', 1, 'event.create', { status: 'applied' }, [{ type: 'event', id: 'a' }], a.seq);
    const b = s.put('T', 'event', 'b', {});
    s.settle('r', 'T', 2, 'event.create', { status: 'applied' }, [{ type: 'event', id: 'b' }], b.seq);
    expect(s.lastNFor('r', 'T', 0, a.seq)).toBe(1);
    expect(s.lastNFor('r', 'T', 0, b.seq)).toBe(2);
    expect(s.lastNFor('r', 'T', 0, a.seq - 1)).toBeNull();
    // A rejection is covered at the head when it settles.
    s.settle('r', 'T', 3, 'event.accept', { status: 'rejected', code: 'x', message: '' }, [], null);
    expect(s.lastNFor('r', 'T', 0, s.head())).toBe(3);
  });

  it('holds lastN back when a command’s entity moved past the batch (changed again since)', () => {
    const s = open('moved.sqlite');
    const a = s.put('T', 'event', 'a', { v: 1 });
    s.settle('r', 'T', 1, 'event.create', { status: 'applied' }, [{ type: 'event', id: 'a' }], a.seq);
    const b = s.put('T', 'event', 'b', {});
    s.settle('r', 'T', 2, 'event.create', { status: 'applied' }, [{ type: 'event', id: 'b' }], b.seq);
    const c = s.put('T', 'event', 'c', {});
    s.put('T', 'event', 'a', { v: 2 }); // the county changed a again: its change moved to the head
    // A batch up to c (cut by batchSize) does not carry a at all: command 1 is not held yet.
    expect(s.lastNFor('r', 'T', 0, c.seq)).toBeNull();
    // A client that already had a (cursor past command 1's seq) holds it.
    expect(s.lastNFor('r', 'T', a.seq, c.seq)).toBe(2);
    expect(s.lastNFor('r', 'T', 0, s.head())).toBe(2);
  });

  it('refuses a file of another schema version', () => {
    const s = open('v.sqlite');
    s.setMeta('schema', '999');
    s.close();
    opened.splice(0);
    expect(() => new CountyStore(tmp.file('v.sqlite'))).toThrow(/schema 999/);
  });
});
