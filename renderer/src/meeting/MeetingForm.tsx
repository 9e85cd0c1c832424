// A meeting's facts: title, date, place, chair, attendees (people: one per line, "姓名 职务")
// and departments. Creates a meeting (its agenda opens with the last meeting's decisions)
// or changes one that has not ended.
import { useState } from 'react';
import type { Meeting } from '../../../core/meeting/model';
import { shanghaiDate } from '../../../core/time/shanghai';
import { useQuery } from '../platform/hooks';
import { useSession } from '../session/context';
import { useMeetingApi } from './MeetingScreen';

/** "王镇长 镇长" per line → attendees. */
export function parseAttendees(text: string): { name: string; title: string }[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [name = '', ...rest] = line.split(/\s+/);
      return { name: name.slice(0, 40), title: rest.join(' ').slice(0, 60) };
    });
}

export function MeetingForm({ meeting, onSaved }: { meeting: Meeting | null; onSaved: (id: string) => void }) {
  const { may } = useSession();
  const departments = useQuery('departments.list');
  const { api, run, error, busy } = useMeetingApi(() => undefined);
  const [title, setTitle] = useState(meeting?.title ?? '网格化工作会商会');
  const [date, setDate] = useState(meeting?.date ?? shanghaiDate(Date.now()));
  const [place, setPlace] = useState(meeting?.place ?? '');
  const [chair, setChair] = useState(meeting?.chair ?? '');
  const [people, setPeople] = useState((meeting?.attendees ?? []).map((a) => `${a.name} ${a.title}`.trim()).join('\n'));
  const [depts, setDepts] = useState<string[]>(meeting?.departments ?? []);
  const editable = meeting === null ? may('meeting.create') : meeting.status !== 'ended' && may('meeting.update');
  const save = async (): Promise<void> => {
    const fields = { title, date, place, chair, attendees: parseAttendees(people), departments: depts };
    let id = meeting?.id ?? null;
    const ok = await run(async () => {
      if (meeting) await api.call('meeting.update', { id: meeting.id, ...fields });
      else id = (await api.call('meeting.create', fields)).meeting.id;
    });
    if (ok && id) onSaved(id);
  };
  return (
    <section className="cpanel" aria-label="会议信息">
      <h2>{meeting ? '会议信息' : '新建会商'}</h2>
      <fieldset disabled={!editable || busy} className="mt-form" style={{ border: 0, padding: 0, margin: 0 }}>
        <label htmlFor="mt-title">名称</label>
        <input id="mt-title" value={title} onChange={(e) => setTitle(e.target.value)} />
        <label htmlFor="mt-date">日期</label>
        <input id="mt-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        <label htmlFor="mt-place">地点</label>
        <input id="mt-place" value={place} onChange={(e) => setPlace(e.target.value)} />
        <label htmlFor="mt-chair">主持人</label>
        <input id="mt-chair" value={chair} onChange={(e) => setChair(e.target.value)} />
        <label htmlFor="mt-people">参会人员</label>
        <textarea id="mt-people" rows={4} placeholder="每行一人：姓名 职务" value={people} onChange={(e) => setPeople(e.target.value)} />
        <span>参会部门</span>
        <div className="mt-row" role="group" aria-label="参会部门">
          {(departments.data ?? []).map((d) => (
            <label key={d.id}>
              <input type="checkbox" checked={depts.includes(d.id)} onChange={(e) => setDepts(e.target.checked ? [...depts, d.id] : depts.filter((x) => x !== d.id))} /> {d.name}
            </label>
          ))}
        </div>
      </fieldset>
      {editable && (
        <div className="mt-row" style={{ marginTop: 8 }}>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void save()}>
            {meeting ? '保存会议信息' : '创建会商'}
          </button>
        </div>
      )}
      {error && <p className="mt-error" role="alert">{error}</p>}
    </section>
  );
}
