// Who is logged in, in every screen's header: name and role, 修改密码, 退出登录.
import { useState } from 'react';
import { ROLE_LABELS } from '../../../core/events/labels';
import { useSession } from './context';

export function UserBar() {
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const { user } = session;
  return (
    <div className="userbar" aria-label="当前用户">
      <span className="userbar-who" data-testid="current-user">
        {user.device ? `屏幕 ${user.device.name}` : user.name}
        <span className="userbar-role">（{ROLE_LABELS[user.role]}）</span>
      </span>
      {!user.device && (
        <button type="button" className="btn btn-small" onClick={session.changePassword}>
          修改密码
        </button>
      )}
      <button
        type="button"
        className="btn btn-small"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void session.logout().finally(() => setBusy(false));
        }}
      >
        退出登录
      </button>
    </div>
  );
}
