// The county link as the dispatcher needs to see it: state and since when,
// commands waiting in the outbox, last sync. Updated by the `link.status` push.
import { useCallback, useState } from 'react';
import type { PayloadOf } from '../../../core/api/contract';
import { usePush, useQuery } from '../platform/hooks';
import { LINK_STATE_LABELS, REFUSAL_LABELS, formatShanghai } from '../ui/format';

export function LinkStatus() {
  const initial = useQuery('link.status');
  const [pushed, setPushed] = useState<PayloadOf<'link.status'> | null>(null);
  usePush('link.status', useCallback((payload) => setPushed(payload), []));

  const status = pushed ?? initial.data;
  if (initial.status === 'error' && !status) return <span className="link link-error">县级联网:{initial.error}</span>;
  if (!status) return <span className="link">县级联网:…</span>;

  const refusal = status.refusal ? `(${REFUSAL_LABELS[status.refusal]})` : '';
  const details = [
    `自 ${formatShanghai(status.since)}`,
    status.queueLength > 0 ? `待发送命令 ${status.queueLength} 条` : null,
    status.lastSyncAt ? `最近同步 ${formatShanghai(status.lastSyncAt)}` : null,
    status.catchingUp ? '正在追赶县级数据' : null,
  ].filter(Boolean);

  return (
    <span className={`link link-${status.state}`}>
      县级联网:{LINK_STATE_LABELS[status.state]}
      {refusal}
      <span className="link-details"> · {details.join(' · ')}</span>
    </span>
  );
}
