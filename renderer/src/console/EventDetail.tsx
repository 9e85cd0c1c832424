// The event in full: where (a small map with its grid), what (category, source,
// description, photos), who reported it (masked until the dispatcher asks), its
// deadlines counting down in working time, what it is waiting for (commands not yet
// confirmed by the county), the actions the workflow allows now, likely duplicates,
// and its whole history.
import { FieldEventBar } from '../emergency/FieldDesk';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import { SOURCE_LABELS, TIER_LABELS, formatLimit } from '../../../core/events/labels';
import type { GridEvent } from '../../../core/model';
import { offeredActions, commandLabel, type ActionSpec } from './actions';
import { CLOCK_KIND_LABELS, CLOCK_STATE_LABELS, eventClocks } from './clocks';
import { CALENDAR, PendingBadge, StatusBadge, URGENCY_LABELS, UrgencyBadge, formatSeconds, useNow } from './common';
import { errorText } from './data';
import { useApi, useEventStore } from '../platform/context';
import type { EventChange } from '../platform/event-store';
import { useEventChanges } from '../platform/hooks';
import { formatDistance } from './ActionDialog';
import { actorLabel, assigneeLabel, categoryLabel, gridLabel, useReference } from './reference';
import { useSession } from '../session/context';
import { historyActorText } from './history';
import { Reporter } from './Reporter';
import { EventSupervisions, SuperviseAction } from '../desk/Supervise';
import { mayCall } from '../../../core/api/access';
import { AtAddress } from '../registers/AtAddress';

export interface DetailState {
  event: GridEvent | null;
  pending: ResultOf<'commands.pending'>;
  status: 'loading' | 'ok' | 'missing' | 'error';
  error?: string;
}

/**
 * The open event and its unsettled commands, kept current by the event store: a change
 * that carries the event costs no call; its pending commands are asked again only when
 * the change says it has some, or had some.
 */
export function useEventDetail(id: string | null): DetailState & { reload: () => void } {
  const api = useApi();
  const store = useEventStore();
  const [state, setState] = useState<DetailState>({ event: null, pending: [], status: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (id === null) return;
    let live = true;
    const release = store.hold(id, true);
    Promise.all([store.load(id, true), api.call('commands.pending', { eventId: id })]).then(
      ([event, pending]) => live && setState({ event, pending, status: event ? 'ok' : 'missing' }),
      (e: unknown) => live && setState((prev) => ({ ...prev, status: 'error', error: errorText(e) })),
    );
    return () => {
      live = false;
      release();
    };
  }, [api, store, id, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  const hadPending = useRef(false);
  hadPending.current = state.pending.length > 0;
  useEventChanges(
    useCallback(
      (change: EventChange) => {
        if (id === null || !change.types.includes('event') || (change.ids !== null && !change.ids.includes(id))) return;
        const event = change.events.get(id);
        if (event === undefined) return reload();
        setState((prev) => ({ ...prev, event, status: event ? 'ok' : 'missing' }));
        if (event && (change.pending === null || change.pending.has(id) || hadPending.current)) {
          api.call('commands.pending', { eventId: id }).then(
            (pending) => setState((prev) => (prev.event?.id === id ? { ...prev, pending } : prev)),
            () => undefined,
          );
        }
      },
      [api, id, reload],
    ),
  );
  return { ...state, reload };
}

interface Props {
  detail: DetailState;
  onAction: (spec: ActionSpec) => void;
  notice: { kind: 'ok' | 'error'; text: string } | null;
  duplicates: ReactNode;
}

export function EventDetail({ detail, onAction, notice, duplicates }: Props) {
  const event = detail.event;
  if (detail.status === 'missing') return <p className="muted">本地副本中没有这个事件。</p>;
  if (detail.status === 'error' && !event) return <p className="error">{detail.error}</p>;
  if (!event) return <p className="muted">正在读取事件…</p>;

  return (
    <article className="event-detail" aria-label="事件详情" data-event-id={event.id}>
      <EventHead event={event} pending={detail.pending} />

      <ActionBar event={event} onAction={onAction} />
      <FieldEventBar event={event} />
      {notice && (
        <p className={notice.kind === 'ok' ? 'notice-ok' : 'form-error'} role={notice.kind === 'ok' ? 'status' : 'alert'} data-testid="action-notice">
          {notice.text}
        </p>
      )}

      <div className="ed-grid">
        <EventFacts event={event} />
      </div>

      <Reporter event={event} />
      <AtAddress event={event} />

      {event.description && (
        <section className="ed-section" aria-label="事件描述">
          <h3>描述</h3>
          <p className="ed-desc">{event.description}</p>
        </section>
      )}

      {event.photos.length > 0 && <Photos photos={event.photos} />}

      <Deadlines event={event} />

      <EventSupervisions event={event} />

      {duplicates}

      <History event={event} />
    </article>
  );
}

/** Title, code, status, and the commands still waiting for the county. */
function EventHead({ event, pending }: { event: GridEvent; pending: DetailState['pending'] }) {
  return (
    <header className="ed-head">
      <div className="ed-title">
        <UrgencyBadge urgency={event.urgency} />
        <h2>{event.title}</h2>
      </div>
      <div className="ed-sub">
        <span className="mono">{event.code}</span>
        <StatusBadge status={event.status} />
        {pending.length > 0 && <PendingBadge />}
      </div>
      {pending.length > 0 && (
        <p className="ed-pending small" data-testid="pending-commands">
          待县级平台确认：{pending.map((p) => commandLabel(p.name)).join('、')}
        </p>
      )}
    </header>
  );
}

/** The actions the workflow and the role table allow the person logged in on this event now. */
function ActionBar({ event, onAction }: { event: GridEvent; onAction: (spec: ActionSpec) => void }) {
  const ref = useReference();
  const { actor } = useSession();
  const actions = offeredActions(event, actor, (id) => ref.worker.get(id));
  return (
    <div className="ed-actions" role="toolbar" aria-label="可执行的操作">
      {actions.length === 0 && <span className="muted small">该事件当前没有可执行的操作。</span>}
      {actions.map((a) =>
        // 督办 with its level, deadline and 督办单 (desk/), for the roles that may give one.
        a.name === 'event.supervise' && mayCall(actor.role, 'desk.supervise') ? (
          <SuperviseAction key={a.name} event={event} label={a.label} />
        ) : (
          <button key={a.name} type="button" className={`btn btn-${a.tone ?? 'plain'}`} onClick={() => onAction(a)}>
            {a.label}
            {a.key && <kbd>{a.key}</kbd>}
          </button>
        ),
      )}
    </div>
  );
}

/** What, where, from whom, who handles it, and what happened to it so far. */
function EventFacts({ event }: { event: GridEvent }) {
  const ref = useReference();
  return (
    <dl className="ed-facts">
      <dt>类别</dt>
      <dd>
        {categoryLabel(ref, event.category)} <span className="muted small">（{TIER_LABELS[event.tier]}事项）</span>
      </dd>
      <dt>网格</dt>
      <dd>{gridLabel(ref, event.grid)}</dd>
      <dt>地址</dt>
      <dd>{event.location.address}</dd>
      <dt>位置</dt>
      <dd>
        <span className="mono small">
          {event.location.lon.toFixed(6)}, {event.location.lat.toFixed(6)}
        </span>
        <span className="muted small">（已在右侧地图上标出）</span>
      </dd>
      <dt>来源</dt>
      <dd>{SOURCE_LABELS[event.source]}</dd>
      <dt>紧急程度</dt>
      <dd>{URGENCY_LABELS[event.urgency]}</dd>
      <dt>上报时间</dt>
      <dd>{formatSeconds(event.reportedAt)}</dd>
      <dt>承办</dt>
      <dd>
        {assigneeLabel(ref, event.assignee)}
        {event.assignee && event.assignee.cooperating.length > 0 && (
          <span className="muted small">（配合：{event.assignee.cooperating.map((d) => ref.department.get(d)?.name ?? d).join('、')}）</span>
        )}
      </dd>
      <EventFactsHistory event={event} />
    </dl>
  );
}

/** The facts only some events have: supervision and rework, an extension asked for, a merge. */
function EventFactsHistory({ event }: { event: GridEvent }) {
  return (
    <>
      {(event.supervisionCount > 0 || event.reworkCount > 0) && (
        <>
          <dt>督办/返工</dt>
          <dd>
            督办 {event.supervisionCount} 次 · 返工 {event.reworkCount} 次
          </dd>
        </>
      )}
      {event.extensionRequest && (
        <>
          <dt>延期申请</dt>
          <dd>
            {formatLimit(event.extensionRequest.by)}：{event.extensionRequest.reason}
          </dd>
        </>
      )}
      {event.mergedInto && (
        <>
          <dt>已合并至</dt>
          <dd className="mono">{event.mergedInto}</dd>
        </>
      )}
    </>
  );
}

function Photos({ photos }: { photos: string[] }) {
  return (
    <section className="ed-section" aria-label="现场照片">
      <h3>现场照片（{photos.length}）</h3>
      <div className="ed-photos">
        {photos.map((p, i) => (
          <Photo key={`${i}-${p}`} src={p} n={i + 1} />
        ))}
      </div>
    </section>
  );
}

/** A photo the page may load (same origin, data:, blob:); otherwise its reference as text (the CSP allows no other host). */
function Photo({ src, n }: { src: string; n: number }) {
  const [broken, setBroken] = useState(false);
  const loadable = /^(data:image\/|blob:|\/(?!\/))/.test(src);
  if (!loadable || broken) {
    return (
      <span className="ed-photo-ref small" title={src}>
        照片 {n}：{src.length > 60 ? `${src.slice(0, 60)}…` : src}
      </span>
    );
  }
  return <img className="ed-photo" src={src} alt={`现场照片 ${n}`} onError={() => setBroken(true)} />;
}

function Deadlines({ event }: { event: GridEvent }) {
  const now = useNow(1000);
  const clocks = eventClocks(event, now, CALENDAR);
  return (
    <section className="ed-section" aria-label="办理时限">
      <h3>办理时限</h3>
      {clocks.length === 0 && <p className="muted">没有计时中的时限。</p>}
      <ul className="ed-clocks">
        {clocks.map((c) => (
          <li key={c.kind} className={`ed-clock ed-clock-${c.status.state}`} data-testid={`clock-${c.kind}`}>
            <span className="ed-clock-name">{CLOCK_KIND_LABELS[c.kind]}</span>
            <span className="muted small">
              {formatLimit(c.clock.limit)}
              {c.clock.extensions.length > 0 && `（已延期 ${c.clock.extensions.map(formatLimit).join('、')}）`} · 截止 {formatSeconds(c.status.dueAt)}
            </span>
            <span className={`cbadge cbadge-clock-${c.status.state}`}>{CLOCK_STATE_LABELS[c.status.state]}</span>
            {(c.status.state === 'onTime' || c.status.state === 'warning' || c.status.state === 'overdue' || c.status.state === 'paused') && (
              <span className="ed-clock-left" aria-live="off">
                {c.remaining}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function History({ event }: { event: GridEvent }) {
  const ref = useReference();
  return (
    <section className="ed-section" aria-label="办理记录">
      <h3>办理记录</h3>
      <ol className="ed-history">
        {[...event.history].reverse().map((h, i) => (
          <li key={`${h.at}-${i}`}>
            <span className="ed-h-time mono small">{formatSeconds(h.at)}</span>
            <span className="ed-h-action">{commandLabel(h.action)}</span>
            <span className="ed-h-actor muted">{historyActorText(h, actorLabel(ref, h.actor))}</span>
            {h.note && <span className="ed-h-note">{h.note}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Likely duplicates of a new report (same category, within 200 m and 48 h, open), each mergeable. */
export function Duplicates({ event, onMerge }: { event: GridEvent; onMerge: (into: GridEvent) => void }) {
  const [items, setItems] = useState<ResultOf<'events.duplicates'> | null>(null);
  const mergeable = event.status === 'reported' || event.status === 'accepted';
  const api = useApi();
  useEffect(() => {
    if (!mergeable) return;
    let live = true;
    api.call('events.duplicates', { id: event.id }).then(
      (r) => live && setItems(r),
      () => live && setItems([]),
    );
    return () => {
      live = false;
    };
  }, [api, event.id, mergeable]);
  if (!mergeable || items === null || items.length === 0) return null;
  return (
    <section className="ed-section ed-dups" aria-label="疑似重复事件">
      <h3>疑似重复事件（{items.length}）</h3>
      <p className="muted small">同一类别、相距 200 米以内、前后 48 小时内上报且尚未办结的事件。</p>
      <ul>
        {items.map((d) => (
          <li key={d.event.id}>
            <span className="mono small">{d.event.code}</span> {d.event.title}
            <span className="muted small">
              {' '}
              · 相距 {formatDistance(d.distanceM)} · 相隔 {formatMinutes(d.minutesApart)} · <StatusBadge status={d.event.status} />
            </span>
            <button type="button" className="btn btn-small" onClick={() => onMerge(d.event)}>
              合并到此事件
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function formatMinutes(m: number): string {
  if (m < 60) return `${Math.round(m)} 分钟`;
  return `${Math.floor(m / 60)} 小时${Math.round(m % 60) > 0 ? ` ${Math.round(m % 60)} 分钟` : ''}`;
}
