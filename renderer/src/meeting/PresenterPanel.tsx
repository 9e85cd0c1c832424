// Presenting (会商): the item on screen and the map every follower follows. Next and
// previous move the item and fly the map to its event; while 主持演示 is on, every move of
// this map is sent (throttled) as the meeting's view. Off, the map follows whoever presents.
import { useEffect, useMemo, useRef, useState } from 'react';
import { GridMap } from '../map/GridMap';
import { defaultViewState, parseViewState, serializeViewState, type MapViewState } from '../map/view-state';
import { throttle } from '../wall/throttle';
import { useSession } from '../session/context';
import type { MeetingState } from '../../../core/meeting/model';
import { useAgendaEvents } from './follow';
import { EventFacts } from './MeetingFollower';
import { useMeetingApi, type MeetingDetail } from './MeetingScreen';

/** The most view updates a second while the presenter moves the map (each is a write and a push to every follower). */
const SHARE_EVERY_MS = 400;

export function PresenterPanel({ detail, live, onChanged }: { detail: MeetingDetail | null; live: MeetingState | null; onChanged: () => void }) {
  const { may } = useSession();
  const events = useAgendaEvents(detail?.items, live?.event);
  const { api, run, error, busy } = useMeetingApi(onChanged);
  const [presenting, setPresenting] = useState(false);
  const [own, setOwn] = useState<MapViewState>(() => defaultViewState());
  const presented = useMemo(() => (live?.view ? parseViewState(live.view) : null), [live]);
  // Not presenting: the map follows the meeting's view.
  const view = !presenting && presented?.ok ? presented.view : own;
  const latest = useRef(view);
  latest.current = view;
  const meetingId = detail?.meeting.id ?? null;
  const share = useMemo(
    () =>
      throttle(() => {
        if (meetingId) void api.call('meeting.present', { meetingId, view: JSON.parse(serializeViewState(latest.current)) as Record<string, unknown> }).catch(() => undefined);
      }, SHARE_EVERY_MS),
    [api, meetingId],
  );
  useEffect(() => () => share.cancel(), [share]);
  const items = detail?.items ?? [];
  const index = items.findIndex((i) => i.id === live?.itemId);
  const present = (to: number): void => {
    const item = items[to];
    if (!item || !meetingId) return;
    const at = item.eventId ? events.get(item.eventId)?.location : undefined;
    const next = at ? defaultViewState({ ...view, camera: { lon: at.lon, lat: at.lat, zoom: 16, bearing: 0, pitch: 0 }, selection: { kind: 'event', id: item.eventId! } }) : view;
    setOwn(next);
    setPresenting(true);
    void run(() => api.call('meeting.present', { meetingId, itemId: item.id, view: JSON.parse(serializeViewState(next)) as Record<string, unknown> }));
  };
  const item = index >= 0 ? items[index]! : null;
  const canPresent = detail !== null && may('meeting.present');
  return (
    <div className="mt-col" style={{ display: 'grid', gridTemplateRows: 'auto 1fr auto' }}>
      <PresenterControls canPresent={canPresent} busy={busy} index={index} items={items} live={live !== null} presenting={presenting} setPresenting={setPresenting} present={present} error={error} />
      <section className="cpanel mt-map" aria-label="会商地图">
        <GridMap
          mode="console"
          view={view}
          onViewChange={(next) => {
            setOwn(next);
            latest.current = next;
            if (presenting) share();
          }}
        />
      </section>
      {item && (
        <section className="cpanel" aria-label="当前议题">
          {item.eventId && events.get(item.eventId) ? <EventFacts event={events.get(item.eventId)!} /> : <p className="mt-muted">{item.title}</p>}
          {live?.figures && (
            <p className="mt-muted">
              本网格未办结 {live.figures.gridOpen} 件 · 本网格同类（30天）{live.figures.sameCategory30d} 件 · 全镇同类（30天）{live.figures.townCategory30d} 件
            </p>
          )}
          {may('meeting.item.note') && <NoteEditor key={item.id} meetingId={meetingId!} itemId={item.id} note={item.note} onChanged={onChanged} />}
        </section>
      )}
    </div>
  );
}

interface ControlsProps {
  canPresent: boolean;
  busy: boolean;
  index: number;
  items: MeetingDetail['items'];
  live: boolean;
  presenting: boolean;
  setPresenting(on: boolean): void;
  present(to: number): void;
  error: string | null;
}

function PresenterControls({ canPresent, busy, index, items, live, presenting, setPresenting, present, error }: ControlsProps) {
  const item = index >= 0 ? items[index] : undefined;
  return (
    <section className="cpanel" aria-label="主持演示">
      <div className="mt-row">
        {canPresent && (
          <>
            <button type="button" className="btn btn-primary" disabled={busy || items.length === 0} onClick={() => present(index < 0 ? 0 : index)}>
              {live ? '演示当前议题' : '开始会商'}
            </button>
            <button type="button" className="btn" disabled={busy || index <= 0} onClick={() => present(index - 1)}>
              上一项
            </button>
            <button type="button" className="btn" disabled={busy || index >= items.length - 1} onClick={() => present(index + 1)}>
              下一项
            </button>
            <label className="btn">
              <input type="checkbox" checked={presenting} onChange={(e) => setPresenting(e.target.checked)} /> 主持演示（大屏跟随本地图）
            </label>
          </>
        )}
        <span data-testid="presented-item" data-item-id={item?.id ?? ''}>
          {item ? `第 ${index + 1}/${items.length} 项：${item.title}` : items.length > 0 || live ? '尚未开始演示' : '请选择或新建会商'}
        </span>
      </div>
      {error && <p className="mt-error" role="alert">{error}</p>}
    </section>
  );
}

function NoteEditor({ meetingId, itemId, note, onChanged }: { meetingId: string; itemId: string; note: string; onChanged: () => void }) {
  const { api, run, error, busy } = useMeetingApi(onChanged);
  const [text, setText] = useState(note);
  return (
    <div className="mt-row">
      <textarea aria-label="讨论情况" rows={2} style={{ flex: 1 }} value={text} onChange={(e) => setText(e.target.value)} placeholder="讨论情况（写入会商纪要）" />
      <button type="button" className="btn" disabled={busy} onClick={() => void run(() => api.call('meeting.item.note', { meetingId, itemId, note: text }))}>
        保存讨论情况
      </button>
      {error && <span className="mt-error">{error}</span>}
    </div>
  );
}
