// The wall's emergency panel: the active emergencies (方案5: 迅速启动网格应急机制), each with
// its plan, the checklist's progress and how many notified workers are on the scene. It
// names nobody (emergency.board carries no personal data); it shows only while one runs,
// and costs no call at all while none does (the push `field.changed` announces one).
import { useEffect } from 'react';
import { usePush, useQuery } from '../platform/hooks';
import { formatShanghai } from '../ui/format';

const REFRESH_MS = 5000;

export function WallEmergency() {
  const board = useQuery('emergency.board');
  const { reload } = board;
  // Read again when the desk changes; polled (workers arriving on the scene) only while one runs.
  usePush('field.changed', reload);
  const running = board.status === 'ok' && board.data.length > 0;
  useEffect(() => {
    if (!running) return undefined;
    const t = setInterval(reload, REFRESH_MS);
    return () => clearInterval(t);
  }, [reload, running]);
  if (board.status !== 'ok' || board.data.length === 0) return null;
  return (
    <section className="wl-emergency" aria-label="应急处置" data-testid="wall-emergency">
      <h2>应急处置进行中({board.data.length})</h2>
      {board.data.slice(0, 3).map((e) => (
        <div key={e.eventId} className="wl-emergency-row" data-event={e.eventId}>
          <strong>{e.title}</strong>
          <span>
            {e.planName} · 步骤 {e.stepsDone}/{e.stepsTotal} · 已通知 {e.notified} 人,到场 {e.onScene} 人 · {formatShanghai(e.openedAt).slice(11)} 启动
          </span>
        </div>
      ))}
    </section>
  );
}
