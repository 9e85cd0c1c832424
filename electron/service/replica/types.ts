// The replica's public types (what its callers pass and get back), shared by the
// facade (replica.ts) and the modules behind it.
import type { CommandReceipt, ResultOf } from '../../../core/api/contract';
import type { WireBatch } from '../../../core/sync/protocol';
import type { PositionFix } from '../../../core/model';
import type { WorkCalendar } from '../../../core/sla/calendar';
import type { EntityType } from '../../../core/sync/protocol';

export interface ReplicaLog {
  info(msg: string, detail?: unknown): void;
  warn(msg: string, detail?: unknown): void;
}

export interface ReplicaOptions {
  /** SQLite file (created if missing); ':memory:' allowed for tests. */
  file: string;
  /** 9-digit town code this replica serves. */
  town: string;
  calendar?: WorkCalendar;
  /** Only for receivedAt, lastSyncAt, rejectedAt and pruning; a command's time comes in as a parameter. */
  now?: () => number;
  /** Track history kept per worker, counted back from now(). Default 24 h. */
  trackRetentionMs?: number;
  /** Fixes kept per worker. Default 5000. */
  trackMaxPerWorker?: number;
  /** Track pruning runs after this many stored fixes (amortised, not on every insert). Default 2000. */
  trackPruneEvery?: number;
  /** A fix timed further than this ahead of now() is refused (it would stay "latest" for ever). Default 24 h. */
  maxFixAheadMs?: number;
  /** Inbound rejects kept for the operator. Default 10,000. */
  inboundRejectsMax?: number;
  log?: ReplicaLog;
  /**
   * Events without stored masks (a replica from before migration 0014, or masked by
   * other rules) are masked in the background after open (default), or left to
   * `fillMasks()` ('off': tests of the reads meanwhile).
   */
  maskFill?: 'background' | 'off';
}

export interface ReplicaState {
  cursor: string | null;
  lastN: number | null;
  nextN: number;
  lastSyncAt: number | null;
  catchingUp: boolean;
}

/** The wire batch of core/sync/protocol.ts, under the name the replica's callers know. */
export type BatchInput = WireBatch;

/** Entities of one type that changed; `all` (after a reset) means any of that type may have changed. */
export interface ChangedEntities {
  type: EntityType;
  ids: string[];
  all?: boolean;
}

export interface BatchResult {
  status: 'applied' | 'duplicate' | 'out-of-sequence';
  applied: number;
  ignored: { index: number; reason: string; unknownType: boolean }[];
  changed: ChangedEntities[];
}

export interface PositionsResult {
  /** Fixes that became their worker's current position (one per worker). */
  latest: PositionFix[];
  /** Valid fixes stored in the track history only (older than, or equal to, the worker's current fix). */
  historyOnly: number;
  invalid: { index: number; reason: string }[];
}

export type { OutboundCommand } from '../../../core/sync/protocol';

/** `changed`: the ids whose view the command changed, its own event first (a merge also changes its target). */
export type CommandOutcome = { ok: true; receipt: CommandReceipt; changed: string[] } | { ok: false; code: string; message: string };
export type RejectedCommand = ResultOf<'commands.rejected'>[number];

export interface InboundReject {
  at: number;
  batchTo: string | null;
  index: number;
  unknownType: boolean;
  reason: string;
  excerpt: string | null;
}

export interface PendingCommand {
  n: number;
  name: string;
  state: 'queued' | 'applied';
}

/** The queue's tab counts: events per status of their view, those overdue at a time, and all. */
export interface EventCounts {
  byStatus: Record<string, number>;
  overdue: number;
  all: number;
}

/** A row of the outbox table. */
export interface OutboxRow {
  n: number;
  id: string;
  name: string;
  args: string;
  at: string;
  at_ms: number;
  actor: string;
  event_id: string;
  target_id: string | null;
  state: 'queued' | 'applied' | 'rejected';
  code: string | null;
  message: string | null;
  rejected_at: string | null;
}
