// The meeting's screen for the people who run it (会商, issue 10): the secretary builds the
// agenda (candidates with their reasons, topics, order), fixes date, place, chair and
// attendees, presents (the item on screen and the map, which every follower follows) and
// ends the meeting into its minutes; a leader presents and decides. Each control shows
// only when the role may call its method (the service refuses the others anyway).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import { errorText } from '../console/data';
import { useApi } from '../platform/context';
import { useConnection, useQuery } from '../platform/hooks';
import { useSession } from '../session/context';
import { AgendaPanel, CandidatesPanel } from './AgendaPanels';
import { DecisionPanel, MinutesPanel } from './DecisionPanels';
import { MeetingForm } from './MeetingForm';
import { PresenterPanel } from './PresenterPanel';
import { useMeetingState } from './follow';
import './meeting.css';

export type MeetingDetail = NonNullable<ResultOf<'meeting.get'>>;

/** Runs an action, reports its error, and reloads what it changed. */
export function useAction(after: () => void): { run: (fn: () => Promise<unknown>) => Promise<boolean>; error: string | null; busy: boolean } {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(
    async (fn: () => Promise<unknown>) => {
      setBusy(true);
      try {
        await fn();
        setError(null);
        return true;
      } catch (e) {
        setError(errorText(e));
        return false;
      } finally {
        setBusy(false);
        after();
      }
    },
    [after],
  );
  return { run, error, busy };
}

export function MeetingScreen() {
  const { may } = useSession();
  const meetings = useQuery('meeting.list', {});
  // One follower of the meeting's state for the whole screen: the presenter's controls and the decisions read it.
  const { state } = useMeetingState();
  const [selected, setSelected] = useState<string | null>(null);
  const current = selected ?? meetings.data?.find((m) => m.status !== 'ended')?.id ?? null;
  const detail = useQuery('meeting.get', { id: current ?? '-' });
  const reload = useCallback(() => {
    meetings.reload();
    detail.reload();
  }, [meetings, detail]);
  useRetry(reload, meetings.status === 'error' || detail.status === 'error');
  const data = current && detail.status === 'ok' ? detail.data : null;
  const open = data !== null && data.meeting.status !== 'ended';
  return (
    <main className="mt-screen" data-testid="meeting-screen">
      <div className="mt-col">
        <section className="cpanel" aria-label="会商列表">
          <h2>会商</h2>
          <select aria-label="选择会商" value={current ?? ''} onChange={(e) => setSelected(e.target.value || null)}>
            <option value="">（新建会商）</option>
            {(meetings.data ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.date} {m.title}（{m.status === 'ended' ? '已结束' : m.status === 'inProgress' ? '会商中' : '筹备中'}）
              </option>
            ))}
          </select>
        </section>
        {(may('meeting.create') || data) && (
          <MeetingForm
            key={data?.meeting.id ?? 'new'}
            meeting={data?.meeting ?? null}
            onSaved={(id) => {
              setSelected(id);
              reload();
            }}
          />
        )}
        {open && may('meeting.item.add') && <CandidatesPanel meetingId={data.meeting.id} onChanged={reload} />}
      </div>
      <PresenterPanel detail={open ? data : null} live={open && state?.meeting.id === data.meeting.id ? state : null} onChanged={reload} />
      <div className="mt-col">
        {data && <AgendaPanel detail={data} onChanged={reload} />}
        {open && may('meeting.decide') && <DecisionPanel detail={data} itemId={state?.meeting.id === data.meeting.id ? state.itemId : null} onChanged={reload} />}
        <MinutesPanel detail={data} onChanged={reload} />
      </div>
    </main>
  );
}

/** Reads again when the link to the service comes back, and every few seconds while a read failed. */
function useRetry(reload: () => void, failed: boolean): void {
  const connection = useConnection();
  const latest = useRef(reload);
  latest.current = reload;
  const online = connection.state === 'connected';
  const wasOnline = useRef(online);
  useEffect(() => {
    if (online && !wasOnline.current) latest.current();
    wasOnline.current = online;
  }, [online]);
  useEffect(() => {
    if (!failed) return;
    const timer = setInterval(() => latest.current(), 3000);
    return () => clearInterval(timer);
  }, [failed]);
}

/** The api for the panels, with the reload after an action. */
export function useMeetingApi(onChanged: () => void) {
  const api = useApi();
  return { api, ...useAction(onChanged) };
}
