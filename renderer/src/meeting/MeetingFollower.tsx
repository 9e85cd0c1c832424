// The meeting on a follower's screen (the wall, a LAN browser with a device token, any
// screen following the presenter): the item on screen with its reasons, the event in
// full (status, deadlines, history, photos: masked by the service for this room), the
// figures of its grid and category, the agenda's progress, and 脱离跟随 / 重新跟随.
import type { GridEvent } from '../../../core/model';
import { COMMAND_LABELS, STATUS_LABELS } from '../../../core/events/labels';
import type { AgendaItem, MeetingState } from '../../../core/meeting/model';
import { OUTCOME_LABELS } from '../../../core/meeting/model';
import type { Follower } from './follow';
import './meeting.css';

export function MeetingFollower({ follower }: { follower: Follower }) {
  const { state, events } = follower;
  if (!state) return null;
  const index = state.items.findIndex((i) => i.id === follower.itemId);
  const item = index >= 0 ? state.items[index]! : null;
  return (
    <aside className="mt-follower" aria-label="会商" data-testid="meeting-follower" data-following={follower.following ? 'yes' : 'no'}>
      <header className="mt-follower-head">
        <strong>{state.meeting.title}</strong>
        <span>{follower.following ? `跟随${state.by}` : '已脱离跟随'}</span>
        {follower.following ? (
          <button type="button" className="mt-btn" onClick={follower.breakAway}>
            脱离跟随
          </button>
        ) : (
          <button type="button" className="mt-btn mt-btn-primary" onClick={follower.rejoin}>
            重新跟随
          </button>
        )}
      </header>
      <ol className="mt-agenda" aria-label="议程">
        {state.items.map((i) => (
          <li key={i.id} className={i.id === follower.itemId ? 'mt-current' : i.id === state.itemId ? 'mt-presented' : ''}>
            {follower.following ? (
              <span>{i.title}</span>
            ) : (
              <button type="button" className="mt-link" onClick={() => follower.look(i.id)}>
                {i.title}
              </button>
            )}
          </li>
        ))}
      </ol>
      {item ? <ItemCard item={item} position={`${index + 1}/${state.items.length}`} event={item.eventId ? (events.get(item.eventId) ?? null) : null} figures={item.id === state.itemId ? state.figures : null} /> : <p className="mt-muted">等待主持人开始第一项议题</p>}
    </aside>
  );
}

function ItemCard({ item, position, event, figures }: { item: AgendaItem; position: string; event: GridEvent | null; figures: MeetingState['figures'] }) {
  return (
    <section className="mt-item" data-testid="meeting-current-item" data-item-id={item.id}>
      <div className="mt-item-pos">议题 {position}</div>
      <h2>{item.title}</h2>
      <div className="mt-reasons">
        {item.reasons.map((r) => (
          <span key={r.code + r.text} className="mt-reason">
            {r.text}
          </span>
        ))}
        {item.outcome && <span className={`mt-reason mt-outcome-${item.outcome}`}>上次决定:{OUTCOME_LABELS[item.outcome]}</span>}
      </div>
      {event && <EventFacts event={event} />}
      {figures && (
        <dl className="mt-figures">
          <dt>本网格未办结</dt>
          <dd>{figures.gridOpen}</dd>
          <dt>本网格同类(30天)</dt>
          <dd>{figures.sameCategory30d}</dd>
          <dt>全镇同类(30天)</dt>
          <dd>{figures.townCategory30d}</dd>
        </dl>
      )}
    </section>
  );
}

export function EventFacts({ event }: { event: GridEvent }) {
  const due = event.deadlines.finish ?? event.deadlines.accept ?? event.deadlines.verify;
  return (
    <div className="mt-event" data-testid="item-event" data-event-id={event.id}>
      <p>
        {event.code} · {STATUS_LABELS[event.status]} · {event.location.address}
        {due ? ` · 时限 ${due.dueAt.slice(5, 16).replace('T', ' ')}` : ''}
      </p>
      <p className="mt-desc">{event.description}</p>
      {event.photos.length > 0 && <p className="mt-muted">现场照片 {event.photos.length} 张</p>}
      <ol className="mt-history" aria-label="办理经过">
        {event.history.slice(-6).map((h, n) => (
          <li key={`${h.at}-${n}`}>
            {h.at.slice(5, 16).replace('T', ' ')} {(COMMAND_LABELS as Partial<Record<string, string>>)[h.action] ?? h.action} {h.name ?? ''} {h.note}
          </li>
        ))}
      </ol>
    </div>
  );
}
