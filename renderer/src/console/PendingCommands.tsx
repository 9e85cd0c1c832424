// Commands whose answer was lost (issue 15): the client sends them again under their
// idempotency key until the data service answers (core/api/client.ts). Until then the
// status bar says how many are waiting for confirmation (待确认), so the dispatcher
// knows not to do them again; the count goes when the answers arrive.
import { useEffect, useState } from 'react';
import type { PendingCommand } from '../../../core/api/client';
import { commandLabel } from './actions';
import { useApi } from '../platform/context';

export function PendingCommands() {
  const api = useApi();
  const [pending, setPending] = useState<readonly PendingCommand[]>(() => api.pendingCommands());
  useEffect(() => {
    setPending(api.pendingCommands());
    return api.onCommands((change) => setPending(change.pending));
  }, [api]);
  if (pending.length === 0) return null;
  const names = [...new Set(pending.map((p) => commandLabel(p.method)))].join('、');
  return (
    <span className="sb-item sb-queue" data-testid="commands-unconfirmed" title="与数据服务的连接中断时发出的指令，恢复后用同一编号自动重发，不会重复办理">
      指令待确认 {pending.length} 条（{names}），正在重发，请勿重复操作
    </span>
  );
}
