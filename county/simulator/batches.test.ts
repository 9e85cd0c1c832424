// Paging the change log into batches, and the batches' encoding: the prepared JSON text
// is the batch a town receives, and the server's encoder writes the same packet as
// Socket.IO's own JSON encoder would.
import { afterAll, describe, expect, it } from 'vitest';
import { Server } from 'socket.io';
import { EncodedBatch, batchOf, encodeWith, nextBatchSize, readBatch } from './batches';
import { CountyStore } from './store';
import { tempDir } from './test-client';

describe('batches', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it('doubles the size while the town catches up, up to the cap, and goes back to the base after', () => {
    expect(nextBatchSize(500, true, 500, 5000)).toBe(1000);
    expect(nextBatchSize(4000, true, 500, 5000)).toBe(5000);
    expect(nextBatchSize(5000, true, 500, 5000)).toBe(5000);
    expect(nextBatchSize(5000, false, 500, 5000)).toBe(500);
    expect(nextBatchSize(0, true, 7, 5000)).toBe(7);
  });

  it('reads puts and dels in log order with their cursors and lastN, encoded as the plain batch', () => {
    const store = new CountyStore(tmp.file('b.sqlite'));
    try {
      store.put('T', 'event', 'a', { title: '井盖“缺失”\n', n: 1.5, list: [1, null] });
      store.put('T', 'worker', 'w', { name: '张三' });
      store.put('U', 'event', 'x', { other: true });
      store.put('T', 'event', 'b', null, true);
      const first = readBatch(store, { town: 'T', replica: 'r', afterSeq: 0, limit: 2, first: { presented: null, reset: false } });
      expect(first).not.toBeNull();
      expect(batchOf(first!)).toEqual({
        from: null,
        to: store.cursor(first!.toSeq),
        more: true,
        reset: false,
        lastN: null,
        items: [
          { type: 'event', op: 'put', id: 'a', rev: 1, data: { title: '井盖“缺失”\n', n: 1.5, list: [1, null] } },
          { type: 'worker', op: 'put', id: 'w', rev: 1, data: { name: '张三' } },
        ],
      });
      expect(first!.envelope).toEqual({ from: null, to: store.cursor(first!.toSeq), more: true, reset: false, lastN: null });
      expect(first!.count).toBe(2);
      const second = readBatch(store, { town: 'T', replica: 'r', afterSeq: first!.toSeq, limit: 2, first: null });
      expect(batchOf(second!)).toEqual({ from: first!.envelope.to, to: store.cursor(store.head()), more: false, reset: false, lastN: null, items: [{ type: 'event', op: 'del', id: 'b', rev: 1 }] });
      // Nothing after the head: no batch, except as a connection's first, which goes out empty.
      expect(readBatch(store, { town: 'T', replica: 'r', afterSeq: store.head(), limit: 2, first: null })).toBeNull();
      const empty = readBatch(store, { town: 'T', replica: 'r', afterSeq: store.head(), limit: 2, first: { presented: 'c-x', reset: false } });
      expect(batchOf(empty!)).toMatchObject({ from: 'c-x', more: false, items: [] });
    } finally {
      store.close();
    }
  });

  it("writes an encoded batch's packet as Socket.IO's own encoder writes the plain batch, and leaves other packets to it", () => {
    const store = new CountyStore(tmp.file('e.sqlite'));
    // Not attached to an HTTP server: only its encoder is used.
    const io = new Server();
    try {
      store.put('T', 'event', 'a', { title: 'x', nested: { a: [1, 2] } });
      const prepared = readBatch(store, { town: 'T', replica: 'r', afterSeq: 0, limit: 10, first: { presented: null, reset: true } })!;
      const standard = io.encoder;
      const ours = encodeWith(standard);
      const packet = (data: unknown) => ({ type: 2, nsp: '/town', id: 7, data: ['changes', data] });
      expect(ours.encode(packet(new EncodedBatch(prepared)))).toEqual(standard.encode(packet(batchOf(prepared))));
      const other = { type: 2, nsp: '/town', data: ['positions', { at: 1, items: [] }] };
      expect(ours.encode(other)).toEqual(standard.encode(other));
      // Serialised any other way, it is still the batch.
      expect(JSON.parse(JSON.stringify({ b: new EncodedBatch(prepared) }))).toEqual({ b: batchOf(prepared) });
    } finally {
      store.close();
    }
  });
});
