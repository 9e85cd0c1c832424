// The bottom line of the console: the county link (online or offline since when), the
// commands kept locally for the county, and the commands it refused.
import type { ResultOf } from '../../../core/api/contract';
import type { Connection } from '../platform';
import { LINK_STATE_LABELS, REFUSAL_LABELS, formatShanghai } from '../ui/format';
import { PendingCommands } from './PendingCommands';

interface Props {
  link: ResultOf<'link.status'> | null;
  connection: Connection;
  rejected: number;
  onShowRejected: () => void;
}

const CONNECTION_LABELS = { connected: '已连接', connecting: '连接中', disconnected: '连接中断', refused: '被拒绝' } as const;

export function StatusBar({ link, connection, rejected, onShowRejected }: Props) {
  const offline = link !== null && link.state !== 'online';
  return (
    <footer className={`statusbar${offline ? ' statusbar-offline' : ''}`} aria-label="状态栏">
      <span className={`sb-item link-${link?.state ?? 'none'}`} data-testid="link-state">
        县级联网：{link ? LINK_STATE_LABELS[link.state] : '…'}
        {link?.refusal ? `（${REFUSAL_LABELS[link.refusal]}）` : ''}
        {link?.stalled ? '（县级平台无响应）' : ''}
      </span>
      {link?.offlineSince && link.state !== 'online' && <span className="sb-item">离线自 {formatShanghai(link.offlineSince)}</span>}
      <span className={`sb-item${(link?.queueLength ?? 0) > 0 ? ' sb-queue' : ''}`} data-testid="queue-length">
        待同步命令 {link?.queueLength ?? 0} 条
        {link?.unsent !== undefined && link.unsent > 0 && link.unsent !== link.queueLength ? `（其中未发送 ${link.unsent} 条）` : ''}
      </span>
      <PendingCommands />
      {link?.lastSyncAt && <span className="sb-item muted">最近同步 {formatShanghai(link.lastSyncAt)}</span>}
      {link?.catchingUp && <span className="sb-item">正在追赶县级数据…</span>}
      <button type="button" className={`sb-item sb-button${rejected > 0 ? ' sb-bad' : ''}`} onClick={onShowRejected} data-testid="rejected-button">
        被拒命令 {rejected} 条
      </button>
      <span className={`sb-item sb-right conn-${connection.state}`}>数据服务：{CONNECTION_LABELS[connection.state]}</span>
      {link?.detail && link.state !== 'online' && <span className="sb-item muted small">{link.detail}</span>}
    </footer>
  );
}
