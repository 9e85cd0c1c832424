// The end of a run: the invariants. The service stops as the shells stop it; then the
// two databases are read (integrity, the outbox, what the county settled and in which
// order, the entities on both sides) and every rule of checks.ts is applied.
import type { CountySimulator } from '../../county/simulator/index';
import { Replica } from '../../electron/service/replica/replica';
import { checkOrder, checkReceipts, checkScreenCalls, checkSettled, checkTokens, compareSnapshots, type OutboxRow, type SettledRow } from './checks';
import { BetterSqlite3, readCursor } from './processes';
import { screenHistories } from './retry';
import type { Run } from './setup';

/** The first invariant broken, as a one-line reason; null when every one holds. */
export async function verify(run: Run): Promise<string | null> {
  const { county, service, watch, stats } = run;
  const sim = county.sim as CountySimulator;
  const town = county.town;
  const countySnapshot = sim.snapshot(town);
  // From the screen's side, before the service stops: the events the retried commands went to, read back through the API.
  const replicaOf = run.receipts[0]?.commandId.replace(/:\d+$/, '');
  const appliedNs = new Set(replicaOf === undefined ? [] : sim.applied(replicaOf).filter((s) => s.status === 'applied').map((s) => s.n));
  const screen = await screenHistories(run, appliedNs);
  if (typeof screen === 'string') return screen;

  const code = await service.stop();
  if (code !== 0) return `the service did not stop cleanly on SIGTERM (exit ${code})`;
  watch.observe(readCursor(run.replicaFile), 'file at the end');
  if (watch.violation) return watch.violation;

  // The replica file: integrity first, then its outbox, then its entities through the Replica class.
  const raw = new BetterSqlite3(run.replicaFile, { fileMustExist: true });
  let replicaId: string;
  let outbox: OutboxRow[];
  let overlays: number;
  try {
    const integrity = String(raw.pragma('integrity_check', { simple: true }));
    if (integrity !== 'ok') return `replica PRAGMA integrity_check: ${integrity}`;
    replicaId = (raw.prepare('SELECT replica_id FROM meta WHERE id = 1').get() as { replica_id: string }).replica_id;
    outbox = raw.prepare('SELECT n, id, name, state, code FROM outbox ORDER BY n').all() as OutboxRow[];
    overlays = (raw.prepare('SELECT COUNT(*) AS c FROM event_docs WHERE view IS NOT NULL OR base IS NULL').get() as { c: number }).c;
  } finally {
    raw.close();
  }
  const settled: SettledRow[] = sim.applied(replicaId);
  stats.rejectedByCounty = settled.filter((s) => s.status === 'rejected').length;

  const replica = await Replica.open({ file: run.replicaFile, town, log: { info: () => undefined, warn: () => undefined } });
  let replicaSnapshot;
  let queue: number;
  try {
    replicaSnapshot = replica.snapshot();
    queue = replica.queueLength();
  } finally {
    await replica.close();
  }

  await county.stop();
  const countyDb = new BetterSqlite3(run.countyFile, { fileMustExist: true });
  let order: number[];
  try {
    const integrity = String(countyDb.pragma('integrity_check', { simple: true }));
    if (integrity !== 'ok') return `county PRAGMA integrity_check: ${integrity}`;
    order = (countyDb.prepare('SELECT n FROM settled WHERE replica = ? ORDER BY rowid').all(replicaId) as { n: number }[]).map((r) => r.n);
  } finally {
    countyDb.close();
  }

  const histories = new Map(countySnapshot.events.map((e) => [e.id, e.history]));
  return (
    checkReceipts(run.receipts, settled, replicaId) ??
    checkSettled(settled, outbox) ??
    checkOrder(order) ??
    checkTokens(run.receipts, settled, histories, /#chaos-\d+-\d+-\d+/g) ??
    checkTokens(run.receipts.filter((r) => r.retried), settled, screen, /#chaos-\d+-\d+-\d+/g) ??
    checkScreenCalls(run.screenCalls, histories) ??
    (queue !== 0 ? `the replica still counts ${queue} unsettled commands` : null) ??
    (overlays !== 0 ? `${overlays} events of the replica still show an optimistic view or have no county base` : null) ??
    compareSnapshots(replicaSnapshot, countySnapshot)
  );
}
