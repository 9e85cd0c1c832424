// The list of a role's events: tabs, a search box, the rows (what, where, status, what
// is expected now), and paging.
import type { GridEvent } from '../../../core/model';
import { StatusBadge, UrgencyBadge, formatShort } from '../console/common';
import { gridLabel, useReference } from '../console/reference';
import { useSession } from '../session/context';
import type { WorkPage } from './EventWorkspace';
import { WORK_PAGE, pageText, taskHint, type WorkTab } from './workspace-model';

interface Props {
  tabs: readonly WorkTab[];
  tab: WorkTab;
  onTab: (tab: WorkTab) => void;
  text: string;
  onText: (text: string) => void;
  page: WorkPage;
  offset: number;
  onOffset: (offset: number) => void;
  openId: string | null;
  onOpen: (id: string) => void;
}

export function WorkList({ tabs, tab, onTab, text, onText, page, offset, onOffset, openId, onOpen }: Props) {
  return (
    <div className="queue">
      <div className="tabs-row" role="tablist" aria-label="事件分类">
        {tabs.map((t) => (
          <button key={t.key} type="button" role="tab" aria-selected={t.key === tab.key} onClick={() => onTab(t)}>
            {t.label}
          </button>
        ))}
      </div>
      <div className="queue-tools">
        <input className="queue-search" type="search" aria-label="搜索事件" placeholder="搜索编号、标题、地址" value={text} onChange={(e) => onText(e.target.value)} />
      </div>
      <div className="queue-list scroll" aria-label={tab.label} aria-busy={page.loading}>
        {page.error && (
          <p className="form-error" role="alert">
            {page.error}
          </p>
        )}
        {!page.loading && !page.error && page.items.length === 0 && <p className="muted" style={{ padding: 12 }}>没有事件。</p>}
        <ul className="work-rows">
          {page.items.map((e) => (
            <WorkRow key={e.id} event={e} on={e.id === openId} onOpen={onOpen} />
          ))}
        </ul>
      </div>
      <div className="queue-foot small">
        <span className="muted">{pageText(offset, page.items.length, page.total)}</span>
        <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - WORK_PAGE))}>
          上一页
        </button>
        <button type="button" className="btn btn-small" disabled={offset + WORK_PAGE >= page.total} onClick={() => onOffset(offset + WORK_PAGE)}>
          下一页
        </button>
      </div>
    </div>
  );
}

function WorkRow({ event, on, onOpen }: { event: GridEvent; on: boolean; onOpen: (id: string) => void }) {
  const ref = useReference();
  const { actor } = useSession();
  const hint = taskHint(event, actor);
  return (
    <li>
      <button type="button" className={`work-row${on ? ' on' : ''}`} data-event-id={event.id} aria-current={on} onClick={() => onOpen(event.id)}>
        <span className="work-row-head">
          <UrgencyBadge urgency={event.urgency} />
          <span className="work-row-title">{event.title}</span>
          <StatusBadge status={event.status} />
        </span>
        <span className="muted small">
          <span className="mono">{event.code}</span> · {gridLabel(ref, event.grid)} · {formatShort(event.reportedAt)}
          {hint && <strong className="work-row-hint"> · {hint}</strong>}
        </span>
      </button>
    </li>
  );
}
