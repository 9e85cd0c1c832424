// The meeting's decisions as watched items in the console (会商, issue 10): a badge with
// the decisions not kept yet (missed ones in red) and, opened, their list with deadlines;
// a leader also gets the way to the meeting screen (/#meeting).
import { useState } from 'react';
import { DECISION_ACTION_LABELS, OUTCOME_LABELS } from '../../../core/meeting/model';
import { useQuery } from '../platform/hooks';
import { useSession } from '../session/context';
import { MEETING_HASH } from './route';
import './meeting.css';

export function FollowupsBadge() {
  const { may } = useSession();
  const followups = useQuery('meeting.followups', { open: true });
  const [open, setOpen] = useState(false);
  const list = followups.data ?? [];
  const missed = list.filter((f) => f.outcome === 'missed').length;
  return (
    <span style={{ position: 'relative' }}>
      {may('meeting.decide') && (
        <a className="btn" href={`/${MEETING_HASH}`}>
          会商
        </a>
      )}
      <button type="button" className="btn" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="meeting-followups" title="会商决定的落实情况">
        会商督办 {list.length > 0 && <span className={missed > 0 ? 'mt-badge' : 'mt-badge mt-badge-calm'}>{missed > 0 ? `${missed}超期` : list.length}</span>}
      </button>
      {open && (
        <div className="mt-popover" role="dialog" aria-label="会商决定落实情况">
          {list.length === 0 && <p className="mt-muted">没有待落实的会商决定</p>}
          <ul className="mt-list">
            {list.map((f) => (
              <li key={f.decision.id}>
                <span>
                  {f.itemTitle} · {DECISION_ACTION_LABELS[f.decision.action]} · 时限 {f.decision.deadline}
                </span>
                <span className={`mt-reason mt-outcome-${f.outcome}`}>{OUTCOME_LABELS[f.outcome]}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </span>
  );
}
