// Deciding an item (a leader: lead and cooperating departments, deadline, instruction, the
// action it runs as a workflow command), ending the meeting into its minutes, and the
// filed minutes: listed, searched, downloaded again (.docx, .pdf).
import { useCallback, useState } from 'react';
import type { DecisionAction } from '../../../core/meeting/model';
import { DECISION_ACTION_LABELS, DECISION_ACTIONS } from '../../../core/meeting/model';
import { useApi } from '../platform/context';
import { usePush, useQuery } from '../platform/hooks';
import { useSession } from '../session/context';
import { useMeetingApi, type MeetingDetail } from './MeetingScreen';
import { mapSnapshot } from './snapshot';

export function DecisionPanel({ detail, itemId, onChanged }: { detail: MeetingDetail; itemId: string | null; onChanged: () => void }) {
  const departments = useQuery('departments.list');
  const { api, run, error, busy } = useMeetingApi(onChanged);
  const item = detail.items.find((i) => i.id === itemId) ?? null;
  const [action, setAction] = useState<DecisionAction>('supervise');
  const [lead, setLead] = useState('');
  const [coop, setCoop] = useState<string[]>([]);
  const [deadline, setDeadline] = useState('');
  const [instruction, setInstruction] = useState('');
  const [withMap, setWithMap] = useState(true);
  const decide = (): void => {
    if (!item) return;
    const snapshot = withMap ? mapSnapshot(document.querySelector('.mt-map')) : null;
    void run(() =>
      api.call('meeting.decide', {
        meetingId: detail.meeting.id,
        itemId: item.id,
        action,
        ...(lead ? { leadDepartment: lead } : {}),
        cooperating: coop.filter((c) => c !== lead),
        ...(deadline ? { deadline } : {}),
        instruction,
        ...(snapshot ? { snapshot } : {}),
      }),
    ).then((ok) => ok && setInstruction(''));
  };
  const decided = detail.decisions.filter((d) => d.itemId === itemId);
  return (
    <section className="cpanel" aria-label="会商决定">
      <h2>会商决定{item ? `：${item.title}` : ''}</h2>
      {!item && <p className="mt-muted">演示到议题后可作出决定</p>}
      <fieldset className="mt-form" disabled={!item || busy} style={{ border: 0, padding: 0, margin: 0 }}>
        <label htmlFor="mt-action">决定</label>
        <select id="mt-action" value={action} onChange={(e) => setAction(e.target.value as DecisionAction)}>
          {DECISION_ACTIONS.filter((a) => item?.eventId || a === 'keep').map((a) => (
            <option key={a} value={a}>
              {DECISION_ACTION_LABELS[a]}
            </option>
          ))}
        </select>
        <label htmlFor="mt-lead">牵头单位</label>
        <select id="mt-lead" value={lead} onChange={(e) => setLead(e.target.value)}>
          <option value="">（无）</option>
          {(departments.data ?? []).map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
        <span>配合单位</span>
        <div className="mt-row" role="group" aria-label="配合单位">
          {(departments.data ?? []).filter((d) => d.id !== lead).map((d) => (
            <label key={d.id}>
              <input type="checkbox" checked={coop.includes(d.id)} onChange={(e) => setCoop(e.target.checked ? [...coop, d.id] : coop.filter((x) => x !== d.id))} /> {d.name}
            </label>
          ))}
        </div>
        <label htmlFor="mt-deadline">办结时限</label>
        <input id="mt-deadline" type="date" value={deadline} onChange={(e) => setDeadline(e.target.value)} />
        <label htmlFor="mt-instruction">会商意见</label>
        <textarea id="mt-instruction" rows={3} value={instruction} onChange={(e) => setInstruction(e.target.value)} />
        <span />
        <label>
          <input type="checkbox" checked={withMap} onChange={(e) => setWithMap(e.target.checked)} /> 附地图截图
        </label>
      </fieldset>
      <div className="mt-row" style={{ marginTop: 6 }}>
        <button type="button" className="btn btn-primary" disabled={!item || busy || instruction.trim() === ''} onClick={decide}>
          作出决定
        </button>
      </div>
      {error && <p className="mt-error" role="alert">{error}</p>}
      <DecisionList decisions={decided} />
    </section>
  );
}

function DecisionList({ decisions }: { decisions: MeetingDetail['decisions'] }) {
  return (
    <ul className="mt-list" aria-label="本议题的决定">
      {decisions.map((d) => (
        <li key={d.id} data-testid="decision">
          <span>
            {DECISION_ACTION_LABELS[d.action]} · {d.instruction} {d.deadline ? `· 时限 ${d.deadline}` : ''} {d.commandId ? `· 指令 ${d.commandId.split(':').pop()}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Saves a base64 file as the browser's download. */
function saveFile(file: { fileName: string; mime: string; base64: string }): void {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function MinutesPanel({ detail, onChanged }: { detail: MeetingDetail | null; onChanged: () => void }) {
  const { may } = useSession();
  const api = useApi();
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  const list = useQuery(search ? 'minutes.search' : 'minutes.list', search ? { text: search } : {});
  const { run, error, busy } = useMeetingApi(() => {
    list.reload();
    onChanged();
  });
  const open = detail !== null && detail.meeting.status !== 'ended';
  // A meeting that ends (here or on another screen, or after this screen's call timed out) files new minutes.
  const { reload } = list;
  usePush('meeting.state', useCallback((state: unknown) => state === null && (reload(), onChanged()), [reload, onChanged]));
  return (
    <section className="cpanel" aria-label="会商纪要">
      <h2>会商纪要</h2>
      {open && may('meeting.end') && (
        <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void run(() => api.call('meeting.end', { meetingId: detail.meeting.id }))}>
          结束会商并生成纪要
        </button>
      )}
      <div className="mt-row">
        <input aria-label="搜索纪要" placeholder="按事件、部门、文字搜索" value={text} onChange={(e) => setText(e.target.value)} style={{ flex: 1 }} />
        <button type="button" className="btn" onClick={() => setSearch(text.trim())}>
          搜索
        </button>
      </div>
      {error && <p className="mt-error" role="alert">{error}</p>}
      <ul className="mt-list" aria-label="纪要列表">
        {((list.data ?? []) as { id: string; number: string; title: string }[]).map((m) => (
          <li key={m.id} data-testid="minutes-row" data-minutes-id={m.id}>
            <span>
              {m.number} {m.title}
            </span>
            {(['docx', 'pdf'] as const).map((format) => (
              <button key={format} type="button" className="btn" onClick={() => void run(async () => saveFile(await api.call('minutes.download', { id: m.id, format })))}>
                {format === 'docx' ? 'Word' : 'PDF'}
              </button>
            ))}
          </li>
        ))}
      </ul>
    </section>
  );
}
