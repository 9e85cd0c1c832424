// The session of each Electron window, as the main process relays it: the page sends its
// session token with every call (the preload's invoke), main adds the window as the
// seat, and keeps one push subscription per window in the data service, made with that
// window's context: made again when the page logs in, logs out, presents another token,
// or its session ends, and re-sent to a restarted service. The wall window runs as a
// viewer without a token. No Electron import: tested under Node.
import type { CallContext, ServiceSubscription } from '../../core/api/channels';

export type WindowKind = 'console' | 'wall';

interface WindowState {
  kind: WindowKind;
  token: string | undefined;
}

/** A page's token as it arrives over IPC: a non-empty string of sane length, else none. */
export function tokenOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 512 ? value : undefined;
}

export class WindowSessions {
  private readonly windows = new Map<string, WindowState>();

  constructor(private readonly send: (message: ServiceSubscription) => void) {}

  /** A new window: its subscription (the wall's resolves to a viewer; a console without a login gets none). */
  open(id: string, kind: WindowKind): void {
    this.windows.set(id, { kind, token: undefined });
    this.subscribe(id);
  }

  close(id: string): void {
    if (!this.windows.delete(id)) return;
    this.send({ unsubscribe: id });
  }

  /** The context of a call from window `id` with the page's token; a new token renews the subscription first. */
  contextFor(id: string, token: string | undefined): CallContext | null {
    const state = this.windows.get(id);
    if (!state) return null;
    if (token !== state.token) {
      state.token = token;
      this.subscribe(id);
    }
    return this.context(state);
  }

  /** After an answer: a session opened (auth.login, auth.device, …) or ended by the page (auth.logout). */
  answered(id: string, method: string, response: unknown): void {
    const state = this.windows.get(id);
    if (!state || !method.startsWith('auth.')) return;
    if (method === 'auth.logout') return this.setToken(id, state, undefined);
    const r = response as { ok?: unknown; result?: { token?: unknown } } | null;
    const opened = r?.ok === true ? tokenOf(r.result?.token) : undefined;
    if (opened !== undefined) this.setToken(id, state, opened);
  }

  /** The window's session ended (the service said `auth.ended`): it is subscribed again without it. */
  ended(id: string): void {
    const state = this.windows.get(id);
    if (state) this.setToken(id, state, undefined);
  }

  /** A restarted service knows no subscription: every window's again. */
  resubscribeAll(): void {
    for (const id of this.windows.keys()) this.subscribe(id);
  }

  private setToken(id: string, state: WindowState, token: string | undefined): void {
    state.token = token;
    this.subscribe(id);
  }

  private subscribe(id: string): void {
    const state = this.windows.get(id);
    if (state) this.send({ subscribe: id, context: this.context(state) });
  }

  private context(state: WindowState): CallContext {
    // The wall runs as a viewer whoever is logged in: it never asks for more.
    const base: CallContext = state.kind === 'wall' ? { seat: { kind: 'window', window: 'wall' }, view: 'wall' } : { seat: { kind: 'window', window: 'console' } };
    return state.token === undefined ? base : { token: state.token, ...base };
  }
}
