// Idempotent commands at the data service (issue 15): a repeated key is answered with the
// first answer and changes nothing, across a restart of the service too; the answer of a
// workflow command is kept inside the outbox's own transaction.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiResponse, CommandReceipt } from '../../core/api/contract';
import { IDEMPOTENCY_TTL_MS } from '../../core/api/idempotency';
import type { Replica } from './replica/replica';
import { HOUR, T0, countyEvent, eventItem, batch, openReplica, seededReplica, tempDir } from './replica/test-fixtures';
import { createReplicaService } from './replica-service';
import { sqliteCommandKeys, type CommandKeyStore } from './command-keys';
import type { ApiService } from './service';

let tmp: ReturnType<typeof tempDir>;
let replica: Replica;
let service: ApiService;
const clock = { now: T0 };

beforeEach(async () => {
  clock.now = T0;
  tmp = tempDir();
  replica = (await seededReplica(tmp.file('keys.db'), { now: () => clock.now })).replica;
  replica.applyBatch(batch('c-1', 'c-2', [eventItem(countyEvent({ id: 'e1' }), 1)]));
  service = createReplicaService({ replica, clock: () => clock.now });
});
afterEach(async () => {
  await service.close();
  await replica.close();
  tmp.cleanup();
});

const comment = (key?: string, note = '已电话联系'): Promise<ApiResponse> => service.handle('event.comment', { id: 'e1', note, ...(key ? { idempotencyKey: key } : {}) });
const comments = (): number => (replica.getEvent('e1')?.history ?? []).filter((h) => h.action === 'event.comment').length;
const receipt = (r: ApiResponse): CommandReceipt => (r as { ok: true; result: CommandReceipt }).result;

describe('idempotency keys', () => {
  it('answers a repeated key with the first answer and queues nothing more', async () => {
    const first = await comment('k-0000000001');
    expect(first.ok).toBe(true);
    const again = await comment('k-0000000001');
    expect(again).toEqual(first);
    expect(replica.queueLength()).toBe(1);
    expect(comments()).toBe(1);
    // A new key is a new command; no key at all as well.
    expect(receipt(await comment('k-0000000002')).n).toBe(2);
    expect(receipt(await comment()).n).toBe(3);
    expect(comments()).toBe(3);
  });

  it('answers two calls with the same key at once with one command', async () => {
    const [a, b] = await Promise.all([comment('k-concurrent'), comment('k-concurrent')]);
    expect(a).toEqual(b);
    expect(replica.queueLength()).toBe(1);
    const shares = await Promise.all([1, 2].map(() => service.handle('view.share', { view: { zoom: 3 }, idempotencyKey: 'k-share-0001' })));
    expect(shares[0]).toEqual(shares[1]);
  });

  it('refuses a key reused for another command, and a malformed key, changing nothing', async () => {
    await comment('k-0000000003');
    expect(await service.handle('event.accept', { id: 'e1', idempotencyKey: 'k-0000000003' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await comment('short')).toMatchObject({ ok: false, error: { code: 'invalid', message: expect.stringContaining('idempotencyKey') } });
    expect(await service.handle('event.comment', { id: 'e1', note: 'x', idempotencyKey: 42 })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(replica.queueLength()).toBe(1);
    // A query carries no key: the field is an unknown argument there.
    expect(await service.handle('events.get', { id: 'e1', idempotencyKey: 'k-0000000003' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });

  it('keeps a refusal out: the same key may be tried again once the command can run', async () => {
    expect(await service.handle('event.dispatch', { id: 'e1', to: { kind: 'department', id: 'dept-zz' }, idempotencyKey: 'k-refused-01' })).toMatchObject({ ok: false });
    expect(replica.queueLength()).toBe(0);
    expect(await service.handle('event.accept', { id: 'e1', idempotencyKey: 'k-refused-02' })).toMatchObject({ ok: true });
  });

  it('holds across a restart of the service: the answer is in the replica file', async () => {
    const first = await comment('k-restarted');
    await service.close();
    await replica.close();
    replica = (await openReplica(tmp.file('keys.db'), { now: () => clock.now })).replica;
    service = createReplicaService({ replica, clock: () => clock.now });
    expect(await comment('k-restarted')).toEqual(first);
    expect(comments()).toBe(1);
  });

  it('keeps a workflow command\'s answer in the outbox\'s transaction, not after it', async () => {
    // A store that loses everything kept after the command's transaction (as a kill right after COMMIT would).
    const inner = sqliteCommandKeys(replica.store(), () => clock.now);
    const losing: CommandKeyStore = { find: inner.find, rememberIn: inner.rememberIn, remember: () => undefined };
    await service.close();
    service = createReplicaService({ replica, clock: () => clock.now, commandKeys: losing });
    const first = await comment('k-in-transaction');
    expect(await comment('k-in-transaction')).toEqual(first);
    expect(replica.queueLength()).toBe(1);
  });

  it('forgets a key after a day', async () => {
    await comment('k-expiring');
    clock.now += IDEMPOTENCY_TTL_MS + HOUR;
    expect(receipt(await comment('k-expiring')).n).toBe(2);
    // Opening the store sweeps the expired rows.
    sqliteCommandKeys(replica.store(), () => clock.now + IDEMPOTENCY_TTL_MS + HOUR);
    expect(replica.store().db.prepare('SELECT COUNT(*) AS c FROM command_keys').get()).toEqual({ c: 0 });
  });
});
