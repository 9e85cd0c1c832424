// 会商秘书: the consultation meeting's secretary. The meeting itself (agenda, attendance,
// minutes) is issue 10 and not built yet, and the screen says so. What works now is the
// meeting's one shared map: the secretary follows the view a screen shares (the
// dispatcher casting, the leader presenting), or shares their own for the wall to follow.
import { useEffect, useState } from 'react';
import { GridMap } from '../map/GridMap';
import { useFollowedView, useShareView } from '../map/shared-view';
import { defaultViewState, type MapViewState } from '../map/view-state';
import { RoleHeader } from '../roles/RoleHeader';
import { useSession } from '../session/context';
import '../console/console.css';

export function SecretaryApp() {
  const { may } = useSession();
  const followed = useFollowedView();
  const [own, setOwn] = useState<MapViewState>(() => defaultViewState());
  const [sharing, setSharing] = useState(false);
  const shareError = useShareView(own, sharing, '会商秘书');
  // While following, the map shows the shared view; taking over starts from it.
  const following = !sharing && followed.view !== null;
  useEffect(() => {
    if (following && followed.view) setOwn(followed.view);
  }, [following, followed.view]);
  return (
    <div className="console role-app">
      <RoleHeader title="会商">
        {may('view.share') && (
          <label className="btn">
            <input type="checkbox" checked={sharing} onChange={(e) => setSharing(e.target.checked)} /> 共享我的地图视图（大屏跟随）
          </label>
        )}
      </RoleHeader>
      <p className="role-note" role="note">
        会商议程、参会签到和会议纪要将在后续版本（会商功能）中提供；目前可查看和共享会商使用的地图视图。
        {following && followed.by ? ` 正在跟随：${followed.by}共享的视图。` : sharing ? ' 正在共享本地图的视图。' : ' 当前没有屏幕共享视图，显示本机视图。'}
        {'error' in followed && followed.error ? ` ${followed.error}` : ''}
        {shareError ? ` 共享失败：${shareError}` : ''}
      </p>
      <main className="role-main" style={{ gridTemplateColumns: '1fr' }}>
        <section className="cpanel cpanel-map" aria-label="地图">
          <GridMap mode="console" view={following && followed.view ? followed.view : own} onViewChange={setOwn} />
        </section>
      </main>
    </div>
  );
}
