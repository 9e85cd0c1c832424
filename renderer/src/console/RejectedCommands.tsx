// Commands the county refused, with its reason: the dispatcher redoes one (the same
// command, prefilled, with fresh arguments) or drops it from the list.
import { useEffect, useState } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import { useApi, useEventStore } from '../platform/context';
import { commandLabel } from './actions';
import { formatSeconds } from './common';
import { errorText } from './data';
import { useSession } from '../session/context';

type Rejected = ResultOf<'commands.rejected'>[number];

interface Props {
  items: ResultOf<'commands.rejected'>;
  onRedo: (command: Rejected) => void;
  onDismissed: () => void;
  onClose: () => void;
  onOpenEvent: (id: string) => void;
}

export function RejectedCommands({ items, onRedo, onDismissed, onClose, onOpenEvent }: Props) {
  const [error, setError] = useState<string | null>(null);
  const api = useApi();
  const dismiss = async (n: number): Promise<void> => {
    try {
      await api.call('commands.dismiss', { n });
      setError(null);
      onDismissed();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <aside className="drawer" role="region" aria-label="被拒命令">
      <header className="drawer-head">
        <h2>被县级平台拒绝的命令（{items.length}）</h2>
        <button type="button" className="btn" onClick={onClose}>
          关闭
        </button>
      </header>
      <p className="muted small">县级平台拒绝的命令已在本地撤销。可按原内容重做（需要时修改后再发），或确认后移出列表。</p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {items.length === 0 && <p className="muted">没有被拒绝的命令。</p>}
      <ul className="rejected-list">
        {items.map((c) => (
          <RejectedItem key={c.n} command={c} onRedo={onRedo} onDismiss={dismiss} onOpenEvent={onOpenEvent} />
        ))}
      </ul>
    </aside>
  );
}

function RejectedItem({
  command,
  onRedo,
  onDismiss,
  onOpenEvent,
}: {
  command: Rejected;
  onRedo: (c: Rejected) => void;
  onDismiss: (n: number) => Promise<void>;
  onOpenEvent: (id: string) => void;
}) {
  const args = (command.args ?? {}) as { id?: unknown; title?: unknown; code?: unknown };
  const eventId = typeof args.id === 'string' ? args.id : null;
  const [label, setLabel] = useState<string | null>(typeof args.title === 'string' ? `${String(args.code ?? '')} ${args.title}` : null);
  const store = useEventStore();
  const { may } = useSession();
  useEffect(() => {
    if (eventId === null || label !== null) return;
    let live = true;
    store.load(eventId).then(
      (e) => live && setLabel(e ? `${e.code} ${e.title}` : eventId),
      () => live && setLabel(eventId),
    );
    return () => {
      live = false;
    };
  }, [store, eventId, label]);
  return (
    <li className="rejected-item" data-testid="rejected-item" data-n={command.n}>
      <div>
        <strong>{commandLabel(command.name)}</strong>
        {eventId && (
          <button type="button" className="btn btn-link" onClick={() => onOpenEvent(eventId)}>
            {label ?? '…'}
          </button>
        )}
      </div>
      <div className="rejected-reason">拒绝原因：{command.message || command.code}</div>
      <div className="muted small">
        发出 {formatSeconds(command.at)} · 被拒 {formatSeconds(command.rejectedAt)} · 第 {command.n} 号命令
      </div>
      {may('commands.dismiss') && (
        <div className="rejected-buttons">
          <button type="button" className="btn btn-primary" onClick={() => onRedo(command)}>
            重做
          </button>
          <button type="button" className="btn" onClick={() => void onDismiss(command.n)}>
            移出列表
          </button>
        </div>
      )}
    </li>
  );
}
