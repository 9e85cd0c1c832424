// Makes one upgrade fixture (tests/upgrade/fixtures/replica-vN.sqlite.gz) with the code
// of an earlier release: this file is copied into a git worktree of that release's last
// commit and run there (make-fixtures.sh), so the rows are written by that version's
// replica, not by hand. It uses only what every version since the first has: Replica.open,
// applyBatch, command, acknowledge, and the replica's test fixtures.
//
//   npx tsx tests/upgrade/make-fixture.ts OUT.sqlite.gz
//
// The replica holds: the demo town, events in several states (reported, accepted,
// dispatched, closed), the cursor c-2 with lastN 1, command 1 applied and settled,
// command 2 applied at the county but not yet settled (n > lastN), command 3 rejected,
// commands 4 and 5 queued (a comment, a dispatch), their optimistic views.
import { gzipSync } from 'node:zlib';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Replica } from '../../electron/service/replica/replica';
import { DISPATCHER, MINUTE, T0, TOWN_CODE, batch, countyEvent, eventItem, townItems } from '../../electron/service/replica/test-fixtures';

async function main(out: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'griddeck-fixture-'));
  const file = join(dir, 'replica.sqlite');
  const clock = { now: T0 };
  const replica = await Replica.open({ file, town: TOWN_CODE, now: () => clock.now, log: { info: () => undefined, warn: () => undefined } });
  const ok = (r: { status: string; ignored: unknown[] }): void => {
    if (r.status !== 'applied' || r.ignored.length > 0) throw new Error(`batch not applied: ${JSON.stringify(r)}`);
  };
  ok(replica.applyBatch(batch(null, 'c-1', townItems())));
  ok(
    replica.applyBatch(
      batch('c-1', 'c-2', [
        eventItem(countyEvent({ id: 'up-reported', title: '路灯不亮' }), 1),
        eventItem(countyEvent({ id: 'up-accepted', title: '垃圾堆放' }, 'accepted'), 1),
        eventItem(countyEvent({ id: 'up-dispatched', title: '井盖破损' }, 'dispatched'), 1),
        eventItem(countyEvent({ id: 'up-closed', title: '占道经营' }, 'closed'), 1),
      ]),
    ),
  );
  const run = (name: string, args: Record<string, unknown>): number => {
    clock.now += MINUTE;
    const r = replica.command(name, args, DISPATCHER, clock.now) as { ok: boolean; receipt?: { n: number }; message?: string };
    if (!r.ok || !r.receipt) throw new Error(`${name} refused: ${r.message}`);
    return r.receipt.n;
  };
  const settled = run('event.comment', { id: 'up-closed', note: '回访已完成' });
  const applied = run('event.comment', { id: 'up-dispatched', note: '已电话督促' });
  const rejected = run('event.accept', { id: 'up-reported', note: '受理' });
  run('event.comment', { id: 'up-reported', note: '待确认位置' });
  run('event.dispatch', { id: 'up-accepted', to: { kind: 'department', id: 'dept-rj' }, note: '请尽快处理' });
  const ack = (n: number, status: 'applied' | 'rejected') =>
    replica.acknowledge(n, status === 'applied' ? ({ id: `${replica.replicaId}:${n}`, status } as never) : ({ id: `${replica.replicaId}:${n}`, status, code: 'invalid-transition', message: '事件已被县级驳回' } as never));
  ack(settled, 'applied');
  ack(applied, 'applied');
  ack(rejected, 'rejected');
  // The county's next batch says it has settled command 1 (lastN), not yet 2.
  ok(replica.applyBatch(batch('c-2', 'c-3', [], { lastN: settled })));
  await replica.close();
  writeFileSync(out, gzipSync(readFileSync(file), { level: 9 }));
  rmSync(dir, { recursive: true, force: true });
}

main(process.argv[2] ?? 'replica.sqlite.gz').catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
