// Alerts: a short beep (WebAudio, no sound file) and a notice when an urgent event
// arrives or a deadline turns amber or red, and a bell keeping the unread ones.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { GridEvent } from '../../../core/model';
import { detectAlerts, loudestAlert, markOwn, mergeAlerts, newWatchState, type Alert } from './alerts';
import { CALENDAR, formatShort } from './common';
import { useCoalesced } from './data';
import { useApi } from '../platform/context';
import type { EventChange } from '../platform/event-store';
import { useEventChanges } from '../platform/hooks';
import { OPEN_STATUSES } from './tabs';

const MAX_KEPT = 100;

/** A beep through WebAudio. Browsers allow sound only after a user gesture, so the context is made on the first one. */
function useBeep(): (kind: Alert['kind']) => void {
  const ctx = useRef<AudioContext | null>(null);
  useEffect(() => {
    const unlock = (): void => {
      if (!ctx.current) {
        try {
          ctx.current = new AudioContext();
        } catch {
          return;
        }
      }
      void ctx.current.resume().catch(() => undefined);
    };
    window.addEventListener('pointerdown', unlock, true);
    window.addEventListener('keydown', unlock, true);
    return () => {
      window.removeEventListener('pointerdown', unlock, true);
      window.removeEventListener('keydown', unlock, true);
    };
  }, []);
  return useCallback((kind) => {
    const ac = ctx.current;
    if (!ac || ac.state !== 'running') return;
    // Red: two high beeps; amber and urgent arrivals: one.
    const tones = kind === 'overdue' ? [880, 880] : kind === 'urgent' ? [988] : [660];
    tones.forEach((freq, i) => {
      const osc = ac.createOscillator();
      const gain = ac.createGain();
      const start = ac.currentTime + i * 0.22;
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.25, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.18);
      osc.connect(gain).connect(ac.destination);
      osc.start(start);
      osc.stop(start + 0.2);
    });
  }, []);
}

export interface AlertsState {
  alerts: Alert[];
  unread: number;
  toast: Alert | null;
  markAllRead: () => void;
  dismissToast: () => void;
  muted: boolean;
  setMuted: (m: boolean) => void;
  /** An event this console entered itself: its arrival is no news to this dispatcher (its deadlines still alert). */
  markOwn: (eventId: string) => void;
}

/** Watches the most pressing open events and the newest reports; raises alerts on what changed. */
export function useAlerts(): AlertsState {
  const state = useRef(newWatchState());
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [readUpTo, setReadUpTo] = useState(0);
  const [toast, setToast] = useToast();
  const [muted, setMuted] = useState(false);
  const mutedRef = useRef(muted);
  mutedRef.current = muted;
  const beep = useBeep();

  const raise = useCallback(
    (events: readonly GridEvent[]) => {
      const raised = detectAlerts(state.current, events, Date.now(), CALENDAR);
      if (raised.length === 0) return;
      setAlerts((prev) => mergeAlerts(prev, raised, MAX_KEPT));
      const loudest = loudestAlert(raised);
      setToast(loudest);
      if (!mutedRef.current) beep(loudest.kind);
    },
    [beep, setToast],
  );
  useWatchedEvents(raise);

  const unread = alerts.filter((a) => a.at > readUpTo).length;
  return {
    alerts,
    unread,
    toast,
    markAllRead: useCallback(() => setReadUpTo(Date.now()), []),
    dismissToast: useCallback(() => setToast(null), [setToast]),
    muted,
    setMuted,
    markOwn: useCallback((eventId: string) => markOwn(state.current, eventId), []),
  };
}

/** The alert shown as a notice, gone by itself after 8 seconds. */
function useToast(): [Alert | null, (toast: Alert | null) => void] {
  const [toast, setToast] = useState<Alert | null>(null);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 8000);
    return () => clearTimeout(timer);
  }, [toast]);
  return [toast, setToast];
}

/**
 * Keeps the watched events (the most pressing open ones and the newest reports) and hands
 * them to `raise`: asked every 15 seconds and after a change the pushes do not carry,
 * updated in place from the events the pushes carry.
 */
function useWatchedEvents(raise: (events: readonly GridEvent[]) => void): void {
  const busy = useRef(false);
  const api = useApi();
  /** The watched events: the last lists, kept current by the changes the pushes carry. */
  const watched = useRef(new Map<string, GridEvent>());

  const check = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    try {
      const [pressing, newest] = await Promise.all([
        api.call('events.list', { status: [...OPEN_STATUSES], sort: 'risk', paging: { offset: 0, limit: 200 } }),
        api.call('events.list', { status: ['reported'], sort: 'reportedAt', paging: { offset: 0, limit: 50 } }),
      ]);
      const seen = new Map<string, GridEvent>();
      for (const e of [...newest.items, ...pressing.items]) seen.set(e.id, e);
      watched.current = seen;
      raise([...seen.values()]);
    } catch {
      // The next change or tick tries again; the status bar tells about the connection.
    } finally {
      busy.current = false;
    }
  }, [api, raise]);

  useEffect(() => {
    void check();
    const timer = setInterval(() => void check(), 15_000);
    return () => clearInterval(timer);
  }, [check]);
  const recheck = useCoalesced(() => void check(), 1000);
  useEventChanges(
    useCallback(
      (change: EventChange) => {
        if (!change.types.includes('event')) return;
        const ids = change.ids ?? [];
        if (change.ids === null || ids.some((id) => !change.events.has(id))) return recheck();
        // The carried events are watched as they are now; closed ones leave the watch.
        for (const id of ids) {
          const e = change.events.get(id);
          if (e && OPEN_STATUSES.includes(e.status)) watched.current.set(id, e);
          else watched.current.delete(id);
        }
        raise([...watched.current.values()]);
      },
      [recheck, raise],
    ),
  );
}

export function Bell({ state, onOpen }: { state: AlertsState; onOpen: (eventId: string) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="bell">
      <button
        type="button"
        className="btn bell-button"
        aria-expanded={open}
        aria-label={`提醒，${state.unread} 条未读`}
        onClick={() => {
          setOpen((v) => !v);
          if (!open) state.markAllRead();
        }}
      >
        <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" className="bell-icon">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        提醒
        {state.unread > 0 && (
          <span className="bell-count" data-testid="bell-unread">
            {state.unread}
          </span>
        )}
      </button>
      {open && (
        <div className="bell-list" role="region" aria-label="提醒列表">
          <div className="bell-head">
            <strong>提醒</strong>
            <label className="small">
              <input type="checkbox" checked={state.muted} onChange={(e) => state.setMuted(e.target.checked)} /> 静音
            </label>
          </div>
          {state.alerts.length === 0 && <p className="muted small">暂无提醒。</p>}
          <ul>
            {state.alerts.map((a) => (
              <li key={a.key} className={`bell-item bell-${a.kind}`}>
                <button
                  type="button"
                  className="btn-link"
                  onClick={() => {
                    setOpen(false);
                    onOpen(a.eventId);
                  }}
                >
                  <span className="small muted">{formatShort(new Date(a.at).toISOString())}</span> {a.text}
                  <span className="mono small muted"> {a.code}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

export function Toast({ alert, onOpen, onClose }: { alert: Alert | null; onOpen: (eventId: string) => void; onClose: () => void }) {
  if (!alert) return null;
  return (
    <div className={`toast toast-${alert.kind}`} role="status" aria-live="polite">
      <button type="button" className="btn-link" onClick={() => onOpen(alert.eventId)}>
        {alert.text}
      </button>
      <button type="button" className="toast-close" aria-label="关闭提醒" onClick={onClose}>
        ×
      </button>
    </div>
  );
}
