// The screen's side of a command (issue 15): a screen's client (core/api/client.ts) calls
// a dispatcher command through the app API while the call is broken between them: the
// answer lost on the way back, the request lost on the way there, the service SIGKILLed
// right after the call, or the same key sent twice at once (the Electron host and the
// client both sending a command again). The client answers `pending`, sends it again
// under its key after the service is back, and the outcome it finally learns is recorded
// as the command's one receipt; at the end (verify.ts) the screen reads each event back
// through the API and the command's note must be in its history exactly once when the
// county applied it.
import type { ApiResponse, CommandReceipt, MethodName } from '../../core/api/contract';
import type { ApiCallError, SettledCommand } from '../../core/api/client';
import { createClient } from '../../core/api/client';
import type { GridEvent } from '../../core/model';
import type { Rng } from '../../county/demo/random';
import { pickCommand, record } from './commands';
import { RunFailure, sleep } from './processes';
import { ensureService, reap, type Run } from './setup';

const MODES = ['lose-answer', 'lose-request', 'kill', 'twice'] as const;
type Mode = (typeof MODES)[number];

/** How long a screen waits for a pending command's outcome while the driver brings the service back. */
const SETTLE_MS = 30_000;

/** A screen's client over the driver's socket; `lose` decides whether this attempt's request or answer is lost. */
function screen(run: Run, key: string, lose: (phase: 'request' | 'answer') => boolean) {
  const reconnects = new Set<() => void>();
  const client = createClient(
    async (method, args) => {
      if (lose('request')) throw new Error('request lost');
      const answer = await run.service.invoke(method, args);
      if (answer === null) throw new Error('no answer (the service is gone)');
      if (lose('answer')) throw new Error('answer lost');
      return answer;
    },
    {
      onReconnect: (listener) => (reconnects.add(listener), () => void reconnects.delete(listener)),
      retry: { firstMs: 100, maxMs: 400, giveUpMs: SETTLE_MS },
      newKey: () => key,
    },
  );
  return { client, reconnected: () => reconnects.forEach((l) => l()) };
}

/** A command through a broken call, sent again by the screen under its key until it has an answer. */
export async function retryStep(run: Run, step: number, p: Rng): Promise<void> {
  const c = await pickCommand(run, step, 0, p);
  if (!c) return;
  const mode: Mode = p.pick(MODES);
  const key = `k-chaos-${run.seed}-${step}`;
  let lost = 0;
  const once = (phase: 'request' | 'answer'): boolean => lost === 0 && ((mode === 'lose-request' && phase === 'request') || (mode === 'lose-answer' && phase === 'answer')) && ++lost > 0;
  const a = screen(run, key, once);
  const outcome = new Promise<SettledCommand>((resolve) => a.client.onCommands((change) => change.settled && resolve(change.settled)));
  const call = (client: typeof a.client): Promise<ApiResponse> =>
    (client.call as (m: MethodName, args: unknown) => Promise<CommandReceipt>)(c.name as MethodName, c.args).then(
      (result): ApiResponse => ({ ok: true, result }),
      (e: ApiCallError): ApiResponse => ({ ok: false, error: { code: e.code, message: e.message } }),
    );

  let first: ApiResponse;
  if (mode === 'kill') {
    const answer = call(a.client);
    await sleep(p.int(0, 25));
    const killed = run.service.up;
    await run.service.kill();
    if (killed) run.stats.kills++;
    first = await answer;
    await reap(run);
  } else if (mode === 'twice') {
    // A second screen (or the Electron host) sending the same key at the same moment.
    const b = screen(run, key, () => false);
    const [x, y] = await Promise.all([call(a.client), call(b.client)]);
    if (x.ok && y.ok && (x.result as CommandReceipt).n !== (y.result as CommandReceipt).n) {
      throw new RunFailure(`step ${step}: one key answered with two commands (n ${(x.result as CommandReceipt).n} and ${(y.result as CommandReceipt).n})`);
    }
    first = x;
  } else first = await call(a.client);

  const final = first.ok || first.error.code !== 'pending' ? first : await settle(run, p, a.reconnected, outcome);
  run.stats.retried += first.ok || first.error.code !== 'pending' ? 0 : 1;
  record(run, step, final, c.name, c.token, `${mode} ${c.name} on ${c.what}${final === first ? '' : ', answered after a retry'}`, true);
  const eventId = typeof c.args.id === 'string' ? c.args.id : null;
  if (eventId !== null && final !== null && (c.token !== null || c.name === 'event.create')) run.screenCalls.push({ step, name: c.name, eventId, token: c.token, ok: final.ok });
}

/** Brings the service back (a screen's socket reconnects) until the pending command is answered. */
async function settle(run: Run, p: Rng, reconnected: () => void, outcome: Promise<SettledCommand>): Promise<ApiResponse | null> {
  const deadline = Date.now() + SETTLE_MS;
  let settled: SettledCommand | null = null;
  let respawns = 0;
  void outcome.then((s) => (settled = s));
  while (settled === null && Date.now() < deadline) {
    await reap(run);
    if (!run.service.up) {
      // Only the first respawn may be armed to die mid-write: the same stream armed every
      // respawn the same way, so a service armed to die at its first command sent (seed
      // 1071810420) died there again each time, never answering (a livelock of the driver's making).
      await ensureService(run, respawns++ === 0 ? p.fork('respawn') : null);
      reconnected();
    }
    await Promise.race([outcome, sleep(200)]);
  }
  const s = settled as SettledCommand | null;
  if (s === null || s.status === 'unknown') throw new RunFailure(`a pending command got no answer in ${SETTLE_MS / 1000} s`);
  return s.response;
}

/** The screen's view of every event a retried command applied at the county went to, read back through the API. */
export async function screenHistories(run: Run, applied: ReadonlySet<number>): Promise<Map<string, readonly { note: string }[]> | string> {
  const ids = [...new Set(run.receipts.filter((r) => r.retried && r.token !== null && applied.has(r.n)).map((r) => r.eventId))];
  const histories = new Map<string, readonly { note: string }[]>();
  for (const id of ids) {
    const event = await run.service.query<GridEvent | null>('events.get', { id });
    if (event === null) return `the screen cannot read event ${id} back`;
    histories.set(id, event.history);
  }
  return histories;
}
