// The command desk in the data service (issue 13, first half): its handlers, and the
// rules that dispatch by themselves, started on the service's pushes (a change of
// events is looked at once the change is out) and on a slow sweep.
import type { Caller } from '../../../core/api/channels';
import type { PayloadOf } from '../../../core/api/contract';
import type { Replica } from '../replica/replica';
import type { Scopes } from '../scope';
import type { PushListener } from '../service';
import { createAutoDispatcher, type AutoDispatcher } from './auto-dispatch';
import { deskHandlers, type DeskHandlers, type DeskReplica, type RunCommand } from './handlers';
import { DEFAULT_RULES_FILE, rulesFromFile, type RulesSource } from './rules-file';
import { DeskStore } from './store';

/** A sweep of the reported and accepted events this often, for rules changed in the file meanwhile. */
const SWEEP_MS = 60_000;

export interface DeskOptions {
  replica: DeskReplica & Partial<Pick<Replica, 'store'>>;
  clock: () => number;
  scopes: Pick<Scopes, 'of' | 'eventInScope'>;
  run: RunCommand;
  auditExport(caller: Caller, target: string, detail: string): void;
  subscribe(listener: PushListener): () => void;
  log: { error(message: string, detail?: unknown): void };
  /** The rules' settings file (default config/dispatch-rules.json), or the rules themselves. */
  rules?: string | RulesSource;
}

export interface Desk {
  handlers: DeskHandlers;
  /** Null without the desk's tables. */
  auto: AutoDispatcher | null;
  close(): void;
}

export function createDesk(options: DeskOptions): Desk {
  const { replica, log } = options;
  const store = typeof replica.store === 'function' ? new DeskStore(replica.store()) : null;
  const rules = typeof options.rules === 'object' ? options.rules : rulesFromFile(options.rules ?? process.env.GRIDDECK_DISPATCH_RULES ?? DEFAULT_RULES_FILE, log);
  const handlers = deskHandlers({ replica, store, clock: options.clock, scopes: options.scopes, rules, run: options.run, auditExport: options.auditExport });
  if (store === null) return { handlers, auto: null, close: () => undefined };

  const auto = createAutoDispatcher({ replica, store, rules, run: options.run, clock: options.clock, log });
  let pending: Set<string> | 'all' | null = null;
  let closed = false;
  const flush = (): void => {
    const what = pending;
    pending = null;
    if (closed || what === null) return;
    try {
      auto.check(what === 'all' ? undefined : [...what]);
    } catch (error) {
      log.error('[desk] auto-dispatch failed', error);
    }
  };
  const schedule = (ids: readonly string[] | null): void => {
    const first = pending === null;
    if (ids === null) pending = 'all';
    else if (pending !== 'all') {
      const set: Set<string> = pending ?? new Set();
      for (const id of ids) set.add(id);
      pending = set.size > 0 ? set : null;
    }
    // Never inside the push: the commands it runs push changes of their own.
    if (first && pending !== null) setImmediate(flush);
  };
  const off = options.subscribe(((topic: string, payload: unknown) => {
    if (topic !== 'entities.changed') return;
    const change = payload as PayloadOf<'entities.changed'>;
    if (!rules.current().rules.some((r) => r.auto)) return;
    if (change.types.includes('category') || change.types.includes('department')) return schedule(null);
    if (!change.types.includes('event')) return;
    // The push carries the changed events (up to a bound): only those waiting for a dispatch are looked at.
    const waiting = change.events?.filter((e) => e.status === 'reported' || e.status === 'accepted').map((e) => e.id);
    schedule(waiting ?? change.ids ?? null);
  }) as PushListener);
  const sweep = setInterval(() => schedule(null), SWEEP_MS);
  sweep.unref();
  schedule(null);
  return {
    handlers,
    auto,
    close: () => {
      closed = true;
      off();
      clearInterval(sweep);
    },
  };
}
