// Emergency mode of an urgent event (方案6: 迅速按照应急预案开展工作,组织居民疏散; 方案4: 通过地图
// 定位、语音对讲、消息推送等功能,快速下达指令): the plan that fits it with its checklist ticked
// with times, whom and what lies within the chosen radius, a message to the chosen grid
// workers (worker.notify through the county, queued while the link is down) and, on the
// console's map beside the docked dialog (useDeskMarks), the search circle, the workers
// and resources in it, and the notified workers ringed as they converge on the scene.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import type { PositionFix } from '../../../core/model';
import { RESOURCE_KIND_LABELS } from '../../../core/emergency/plans';
import { useApi } from '../platform/context';
import { usePush, useQuery } from '../platform/hooks';
import { ApiCallError } from '../platform/index';
import { useSession } from '../session/context';
import { formatShanghai, WORKER_ROLE_LABELS } from '../ui/format';
import { distanceM, formatDistance } from './geo';
import { useDeskMarks } from './FieldDesk';
import type { MapMarks } from '../map/desk-marks';

type Emergency = NonNullable<ResultOf<'emergency.get'>>;
type Nearby = ResultOf<'emergency.nearby'>;

const RADII = [500, 1000, 2000, 5000];
const REFRESH_MS = 3000;
const NEARBY_REFRESH_MS = 5000;
const LIVE_FLUSH_MS = 1000;
const NOTICE_STATE: Record<string, string> = { queued: '待发送(已存入本地队列)', applied: '已送达县级平台', rejected: '被拒绝' };

const errorText = (e: unknown): string => (e instanceof ApiCallError ? e.message : String(e));

export function EmergencyView({ eventId }: { eventId: string }) {
  const api = useApi();
  const { may } = useSession();
  const [emergency, setEmergency] = useState<Emergency | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    api.call('emergency.get', { eventId }).then(setEmergency, (e: unknown) => setError(errorText(e)));
  }, [api, eventId]);
  useEffect(() => {
    reload();
    const t = setInterval(reload, REFRESH_MS);
    return () => clearInterval(t);
  }, [reload]);

  const open = (): void => {
    setError(null);
    api.call('emergency.open', { eventId }).then(setEmergency, (e: unknown) => setError(errorText(e)));
  };
  if (emergency === undefined) return <p className="muted">{error ?? '正在读取…'}</p>;
  if (emergency === null) {
    return (
      <div className="field-start">
        <p>该事件尚未启动应急处置。启动后将按事件类别匹配应急预案,逐项勾选处置步骤,并可搜索周边网格员、应急队伍和物资。</p>
        {may('emergency.open') ? (
          <button type="button" className="btn btn-danger" onClick={open}>
            启动应急预案
          </button>
        ) : (
          <p className="muted">当前角色只能查看。</p>
        )}
        {error && <p className="form-error">{error}</p>}
      </div>
    );
  }
  return <ActiveEmergency emergency={emergency} onChange={setEmergency} error={error} setError={setError} />;
}

function ActiveEmergency({ emergency, onChange, error, setError }: { emergency: Emergency; onChange: (e: Emergency) => void; error: string | null; setError: (e: string | null) => void }) {
  const api = useApi();
  const { may } = useSession();
  const [radiusM, setRadius] = useState(emergency.radiusM);
  const nearby = useQuery('emergency.nearby', { eventId: emergency.eventId, radiusM });
  const reloadNearby = nearby.reload;
  useEffect(() => {
    const t = setInterval(reloadNearby, NEARBY_REFRESH_MS);
    return () => clearInterval(t);
  }, [reloadNearby]);
  const live = useLivePositions();
  const notified = useMemo(() => [...new Map(emergency.notices.flatMap((n) => n.workers.map((w) => [w.id, w] as const))).values()], [emergency.notices]);
  const { lon, lat } = emergency.event.location;
  const marks = useMemo(() => mapMarks(emergency.eventId, { lon, lat, radiusM }, nearby.data, notified), [emergency.eventId, lon, lat, radiusM, nearby.data, notified]);
  useDeskMarks(emergency.status === 'active' ? marks : null);
  const close = (): void => {
    api.call('emergency.close', { eventId: emergency.eventId }).then(onChange, (e: unknown) => setError(errorText(e)));
  };
  const e = emergency.event;
  return (
    <div className="field-emergency" data-testid="emergency" data-status={emergency.status}>
      <header className="field-emergency-head">
        <div>
          <h4>{e.title}</h4>
          <p className="small muted">
            <span className="mono">{e.code}</span> · {e.location.address} · 启动于 {formatShanghai(emergency.openedAt)}({emergency.openedBy})
            {emergency.status === 'closed' && ` · 已于 ${formatShanghai(emergency.closedAt)} 结束`}
          </p>
        </div>
        {emergency.status === 'active' && may('emergency.close') && (
          <button type="button" className="btn" onClick={close}>
            结束应急处置
          </button>
        )}
      </header>
      {error && <p className="form-error">{error}</p>}
      <div className="field-columns">
        <PlanChecklist emergency={emergency} onChange={onChange} setError={setError} />
        <div className="field-col">
          <p className="small muted field-map-note" data-testid="map-note">
            右侧地图:红圈为搜索半径 {formatDistance(radiusM)},蓝圈为周边网格员,红色粗圈为已通知的网格员(随定位实时移动),彩色圆点为应急队伍与物资。
          </p>
          <OnTheWay notified={notified} live={live} center={e.location} />
        </div>
        <div className="field-col">
          <label className="field-radius">
            搜索半径
            <select value={radiusM} onChange={(ev) => setRadius(Number(ev.target.value))} aria-label="搜索半径">
              {RADII.map((r) => (
                <option key={r} value={r}>
                  {formatDistance(r)}
                </option>
              ))}
            </select>
          </label>
          {nearby.status === 'ok' ? <NearbyLists emergency={emergency} nearby={nearby.data} onSent={onChange} setError={setError} /> : <p className="muted">{nearby.error ?? '正在搜索…'}</p>}
          <Notices emergency={emergency} />
        </div>
      </div>
    </div>
  );
}

/**
 * The latest fix of every worker, kept from the positions pushes (and the first read). The
 * pushes come up to ten a second: they are gathered and shown once a second.
 */
function useLivePositions(): Map<string, PositionFix> {
  const first = useQuery('workers.positions');
  const [live, setLive] = useState<Map<string, PositionFix>>(new Map());
  const pending = useRef<Map<string, PositionFix>>(new Map());
  useEffect(() => {
    if (first.status === 'ok') setLive((m) => new Map([...first.data.map((f) => [f.workerId, f] as const), ...m]));
  }, [first.status, first.data]);
  const onPositions = useCallback((p: { items: PositionFix[] }) => {
    for (const f of p.items) if ((pending.current.get(f.workerId)?.at ?? 0) <= f.at) pending.current.set(f.workerId, f);
  }, []);
  usePush('positions', onPositions);
  useEffect(() => {
    const t = setInterval(() => {
      if (pending.current.size === 0) return;
      const batch = pending.current;
      pending.current = new Map();
      setLive((m) => {
        const next = new Map(m);
        for (const f of batch.values()) if ((next.get(f.workerId)?.at ?? 0) <= f.at) next.set(f.workerId, f);
        return next;
      });
    }, LIVE_FLUSH_MS);
    return () => clearInterval(t);
  }, []);
  return live;
}

/** The emergency's marks on the console's map: the circle, the workers in it (the notified ones apart), the resources. */
function mapMarks(eventId: string, circle: { lon: number; lat: number; radiusM: number }, nearby: Nearby | undefined, notified: { id: string; name: string }[]): MapMarks {
  const sent = new Set(notified.map((w) => w.id));
  return {
    key: `emergency:${eventId}`,
    circle,
    workers: [
      ...(nearby?.workers ?? []).filter((w) => !sent.has(w.worker.id)).map((w) => ({ id: w.worker.id, tone: 'nearby' as const, label: w.worker.name })),
      ...notified.map((w) => ({ id: w.id, tone: 'notified' as const, label: w.name })),
    ],
    points: (nearby?.resources ?? []).map((r) => ({ id: r.resource.id, lon: r.resource.location.lon, lat: r.resource.location.lat, tone: r.resource.kind, label: r.resource.name })),
  };
}

function PlanChecklist({ emergency, onChange, setError }: { emergency: Emergency; onChange: (e: Emergency) => void; setError: (e: string | null) => void }) {
  const api = useApi();
  const { may } = useSession();
  const canTick = emergency.status === 'active' && may('emergency.check');
  const tick = (stepId: string, done: boolean): void => {
    api.call('emergency.check', { eventId: emergency.eventId, stepId, done }).then(onChange, (e: unknown) => setError(errorText(e)));
  };
  const p = emergency.plan;
  const done = emergency.checklist.filter((c) => c.doneAt !== null).length;
  return (
    <section className="field-col" aria-label="应急预案">
      <h4 data-testid="plan-name">
        {p.name} {p.level && <span className="badge">{p.level}</span>}
      </h4>
      <p className="small muted">
        处置步骤 {done}/{emergency.checklist.length}
      </p>
      <ol className="field-checklist">
        {emergency.checklist.map((c) => (
          <li key={c.stepId} className={c.doneAt ? 'done' : ''}>
            <label>
              <input type="checkbox" checked={c.doneAt !== null} disabled={!canTick} onChange={(ev) => tick(c.stepId, ev.target.checked)} />
              <span>
                <b>{c.role}</b>:{c.text}
              </span>
            </label>
            {c.doneAt && (
              <span className="small muted">
                {' '}
                ✓ {formatShanghai(c.doneAt)} {c.doneBy}
              </span>
            )}
          </li>
        ))}
      </ol>
      {p.contacts.length > 0 && (
        <>
          <h5>联系人</h5>
          <ul className="small">
            {p.contacts.map((c) => (
              <li key={c.name}>
                {c.name}({c.duty}){c.phone}
              </li>
            ))}
          </ul>
        </>
      )}
      {p.resources.length > 0 && <p className="small">所需资源:{p.resources.map((r) => RESOURCE_KIND_LABELS[r]).join('、')}</p>}
    </section>
  );
}

function NearbyLists({ emergency, nearby, onSent, setError }: { emergency: Emergency; nearby: Nearby; onSent: (e: Emergency) => void; setError: (e: string | null) => void }) {
  const api = useApi();
  const { may } = useSession();
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const e = emergency.event;
  const [text, setText] = useState(`【应急】${e.title},请立即赶赴现场(${e.location.address})`);
  const canNotify = emergency.status === 'active' && may('worker.notify');
  const send = (): void => {
    setError(null);
    api
      .call('worker.notify', { workers: [...chosen], text, eventId: e.id })
      .then(() => api.call('emergency.get', { eventId: e.id }))
      .then((next) => {
        setChosen(new Set());
        if (next) onSent(next);
      }, (err: unknown) => setError(errorText(err)));
  };
  return (
    <>
      <h5>
        网格员({nearby.workers.length})
      </h5>
      <ul className="field-list" aria-label="周边网格员">
        {nearby.workers.length === 0 && <li className="muted small">半径内没有在岗网格员的定位</li>}
        {nearby.workers.map((w) => (
          <li key={w.worker.id} data-testid="nearby-worker" data-worker={w.worker.id}>
            <label>
              {canNotify && (
                <input
                  type="checkbox"
                  checked={chosen.has(w.worker.id)}
                  onChange={(ev) => setChosen((s) => (ev.target.checked ? new Set([...s, w.worker.id]) : new Set([...s].filter((x) => x !== w.worker.id))))}
                />
              )}
              {w.worker.name} <span className="muted small">{WORKER_ROLE_LABELS[w.worker.role]}</span>
            </label>
            <span className="mono small">{formatDistance(w.distanceM)}</span>
          </li>
        ))}
      </ul>
      {canNotify && (
        <div className="field-notify">
          <textarea aria-label="通知内容" value={text} maxLength={500} onChange={(ev) => setText(ev.target.value)} rows={2} />
          <button type="button" className="btn btn-primary" disabled={chosen.size === 0 || text.trim() === ''} onClick={send}>
            通知选中的网格员({chosen.size})
          </button>
        </div>
      )}
      <h5>应急队伍与物资({nearby.resources.length})</h5>
      <ul className="field-list" aria-label="周边应急资源">
        {nearby.resources.length === 0 && <li className="muted small">半径内没有登记的队伍或物资</li>}
        {nearby.resources.map((r) => (
          <li key={r.resource.id}>
            <span>
              <span className="badge">{RESOURCE_KIND_LABELS[r.resource.kind]}</span> {r.resource.name} <span className="muted small">{r.resource.detail}</span>
            </span>
            <span className="mono small">{formatDistance(r.distanceM)}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The notified workers with their distance to the scene now, from the live positions. */
function OnTheWay({ notified, live, center }: { notified: { id: string; name: string }[]; live: Map<string, PositionFix>; center: { lon: number; lat: number } }) {
  if (notified.length === 0) return null;
  return (
    <ul className="field-list" aria-label="已通知网格员">
      {notified.map((w) => {
        const f = live.get(w.id);
        const d = f ? Math.round(distanceM(f.lon, f.lat, center.lon, center.lat)) : null;
        return (
          <li key={w.id} data-testid="notified-worker" data-worker={w.id} data-distance={d ?? ''}>
            <span>{w.name}</span>
            <span className="small">{d === null ? '暂无定位' : `距现场 ${formatDistance(d)}`}</span>
          </li>
        );
      })}
    </ul>
  );
}

function Notices({ emergency }: { emergency: Emergency }) {
  if (emergency.notices.length === 0) return null;
  return (
    <>
      <h5>已发通知</h5>
      <ul className="field-list" aria-label="已发通知">
        {emergency.notices.map((n) => (
          <li key={n.n} data-testid="notice" data-state={n.state}>
            <span>
              {formatShanghai(n.at)} 通知 {n.workers.map((w) => w.name).join('、')}:{n.text}
            </span>
            <span className={`small ${n.state === 'rejected' ? 'error' : ''}`}>
              {NOTICE_STATE[n.state]}
              {n.state === 'rejected' && `:${n.code === 'unknown-command' ? '县级平台不支持消息推送' : (n.message ?? n.code)}`}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
