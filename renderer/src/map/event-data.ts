// The map's events as data, apart from its frames and camera (controller.ts): the open
// events (and closed ones the filters ask for), fetched in full once, then kept current
// from the event store's changes (the events a push carried apply at once; the others
// are asked for one by one, or everything again after a large change). `version`
// increases with every change, for the controller's derived points and layer triggers.
import type { GridEvent, EventStatus } from '../../../core/model';
import type { MapDataSource } from './source';

/** Refetch the open events this long after a change notice without ids (notices come in bursts). */
const REFETCH_DEBOUNCE_MS = 250;
/** More ids than this to ask for in one notice: refetch everything rather than one by one. */
const MAX_SINGLE_FETCHES = 40;
const MAX_OPEN_EVENTS = 100_000;

export interface MapEventHooks {
  /** Which statuses count as open (the base set the map always holds). */
  open: readonly EventStatus[];
  /** A closed event the view still asks for (its filters name closed statuses). */
  keepClosed(e: GridEvent): boolean;
  /** Something changed: draw again. */
  changed(): void;
  error(what: string, error: unknown): void;
}

export class MapEventData {
  readonly events = new Map<string, GridEvent>();
  version = 0;
  loaded = false;
  /** Events fetched one by one while a full list is on its way (null: gone), per list request. */
  private readonly newerThanList = new Set<Map<string, GridEvent | null>>();
  private refetchTimer: ReturnType<typeof setTimeout> | null = null;
  private destroyed = false;

  constructor(
    private readonly source: MapDataSource,
    private readonly hooks: MapEventHooks,
  ) {}

  async load(): Promise<void> {
    // Single events fetched while the list is on its way are newer than the list: they are
    // laid over it, or an event that arrived meanwhile would vanish until its next change.
    const newer = new Map<string, GridEvent | null>();
    this.newerThanList.add(newer);
    try {
      const list = await this.source.events({ status: [...this.hooks.open], limit: MAX_OPEN_EVENTS });
      if (this.destroyed) return;
      // Keep what the view asked for beyond the open ones (closed events in a time window).
      const next = new Map<string, GridEvent>();
      for (const e of list) next.set(e.id, e);
      for (const [id, e] of this.events) if (!next.has(id) && this.hooks.keepClosed(e)) next.set(id, e);
      for (const [id, e] of newer) {
        if (e) next.set(id, e);
        else next.delete(id);
      }
      this.events.clear();
      for (const [id, e] of next) this.events.set(id, e);
      this.loaded = true;
      this.bump();
    } catch (error) {
      this.hooks.error('事件', error);
    } finally {
      this.newerThanList.delete(newer);
    }
  }

  /** Closed events the filters asked for, laid over the open ones. */
  add(list: readonly GridEvent[]): void {
    for (const e of list) this.events.set(e.id, e);
    this.bump();
  }

  /**
   * A change of events: ids when known, and the events the change carried (null: gone).
   * Returns the ids the map did not hold before (new ones, for the paint latency).
   */
  change(ids: readonly string[] | undefined, carried?: ReadonlyMap<string, GridEvent | null>): string[] {
    const missing = ids ? ids.filter((id) => !carried?.has(id)) : [];
    if (!ids || ids.length === 0 || missing.length > MAX_SINGLE_FETCHES) {
      this.scheduleRefetch();
      return [];
    }
    const fresh = ids.filter((id) => !this.events.has(id));
    // The events the change carried apply at once (this frame); the others are asked for.
    const known = ids.filter((id) => carried?.has(id));
    if (known.length > 0) this.apply(known.map((id) => [id, carried!.get(id) ?? null] as const));
    if (missing.length > 0) {
      void Promise.all(missing.map((id) => this.source.event(id).then((e) => [id, e] as const))).then(
        (answers) => this.apply(answers),
        () => this.scheduleRefetch(),
      );
    }
    return fresh;
  }

  /** Everything again (the list of matters changed, say). */
  bump(): void {
    this.version++;
    this.hooks.changed();
  }

  destroy(): void {
    this.destroyed = true;
    if (this.refetchTimer) clearTimeout(this.refetchTimer);
  }

  private apply(answers: readonly (readonly [string, GridEvent | null])[]): void {
    if (this.destroyed) return;
    for (const [id, e] of answers) {
      const keep = e && (this.hooks.open.includes(e.status) || this.hooks.keepClosed(e)) ? e : null;
      if (keep) this.events.set(id, keep);
      else this.events.delete(id);
      for (const newer of this.newerThanList) newer.set(id, keep);
    }
    this.bump();
  }

  private scheduleRefetch(): void {
    if (this.refetchTimer || this.destroyed) return;
    this.refetchTimer = setTimeout(() => {
      this.refetchTimer = null;
      void this.load();
    }, REFETCH_DEBOUNCE_MS);
  }
}
