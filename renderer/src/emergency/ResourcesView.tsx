// 应急队伍与物资: the town's register of emergency teams, materials stores, shelters and
// vehicles (方案6: 迅速按照应急预案开展工作,组织居民疏散), listed, and for the roles the service
// lets change it (the dispatcher and the admin: core/api/field.ts RESOURCE_EDIT_METHODS)
// added, changed, retired and put back. The form is checked as the service checks it
// (core/emergency/resources.ts ResourceDraftSchema); the service places the entry in the
// grid its point lies in. The town's own data: it works with the county link down.
import { useCallback, useId, useMemo, useState } from 'react';
import { RESOURCE_KINDS, RESOURCE_KIND_LABELS } from '../../../core/emergency/plans';
import { ResourceDraftSchema, pointIn, type Resource } from '../../../core/emergency/resources';
import type { Grid } from '../../../core/model';
import { ApiCallError } from '../platform/index';
import { useApi } from '../platform/context';
import { usePush, useQuery } from '../platform/hooks';
import { useSession } from '../session/context';
import './field.css';
import { FormErrors } from '../ui/FormErrors';

const errorText = (e: unknown): string => (e instanceof ApiCallError ? e.message : String(e));

type Selection = { kind: 'entry'; id: string } | { kind: 'new' } | null;

export function ResourcesView() {
  const { may } = useSession();
  const [showRetired, setShowRetired] = useState(false);
  const list = useQuery('emergency.resources', { includeRetired: showRetired });
  const grids = useQuery('grids.list', { level: 3 });
  const canEdit = may('emergency.resources.save');
  const [selected, setSelected] = useState<Selection>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const reload = list.reload;
  usePush('field.changed', useCallback((c: { kind: string }) => c.kind === 'resources' && reload(), [reload]));
  if (list.status !== 'ok') return <p className="muted">{list.error ?? '正在读取…'}</p>;
  const rows = list.data;
  const gridName = new Map((grids.data ?? []).map((g) => [g.code, g.name]));
  const current = selected?.kind === 'entry' ? (rows.find((r) => r.id === selected.id) ?? null) : null;
  const done = (message: string, next: Selection): void => {
    setNotice(message);
    setSelected(next);
    reload();
  };
  return (
    <div className="field-two" data-testid="resources-register">
      <div className="field-col">
        <div className="field-tabs">
          <span className="small">共 {rows.length} 条</span>
          {canEdit && (
            <button type="button" className="btn" onClick={() => setSelected({ kind: 'new' })}>
              新增队伍或物资
            </button>
          )}
          <label className="small">
            <input type="checkbox" checked={showRetired} onChange={(e) => setShowRetired(e.target.checked)} /> 显示已停用
          </label>
        </div>
        {notice && (
          <p className="small" role="status">
            {notice}
          </p>
        )}
        {rows.length === 0 ? (
          <p className="muted">登记簿为空。{canEdit ? '请新增本镇的应急队伍、物资仓库、避难场所和应急车辆。' : ''}</p>
        ) : (
          <ResourceTable rows={rows} gridName={gridName} current={current?.id ?? null} onPick={(id) => setSelected({ kind: 'entry', id })} />
        )}
      </div>
      <div className="field-col">
        {selected?.kind === 'new' && <ResourceForm key="new" entry={null} grids={grids.data ?? []} onDone={done} />}
        {current && canEdit && <ResourceForm key={current.id} entry={current} grids={grids.data ?? []} onDone={done} />}
        {current && !canEdit && <ResourceDetails entry={current} gridName={gridName} />}
        {selected === null && <p className="muted">选择左侧的条目查看{canEdit ? '或修改' : ''}。</p>}
      </div>
    </div>
  );
}

const retired = (r: Resource): boolean => r.retiredAt !== undefined && r.retiredAt !== null;

function ResourceTable({ rows, gridName, current, onPick }: { rows: readonly Resource[]; gridName: ReadonlyMap<string, string>; current: string | null; onPick: (id: string) => void }) {
  return (
    <table className="field-table">
      <thead>
        <tr>
          <th>类型</th>
          <th>名称</th>
          <th>所在网格</th>
          <th>说明</th>
          <th>状态</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id} data-testid="resource-row" data-resource={r.id} aria-selected={current === r.id} className={retired(r) ? 'muted' : undefined}>
            <td>{RESOURCE_KIND_LABELS[r.kind]}</td>
            <td>
              <button type="button" className="btn-link" onClick={() => onPick(r.id)}>
                {r.name}
              </button>
            </td>
            <td>{r.grid ? (gridName.get(r.grid) ?? r.grid) : '—'}</td>
            <td className="small">{r.detail}</td>
            <td>{retired(r) ? '已停用' : '在用'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface FormState {
  kind: Resource['kind'];
  name: string;
  grid: string;
  lon: string;
  lat: string;
  detail: string;
  contactName: string;
  phone: string;
}

const formOf = (r: Resource | null): FormState => ({
  kind: r?.kind ?? 'materials',
  name: r?.name ?? '',
  grid: r?.grid ?? '',
  lon: r ? String(r.location.lon) : '',
  lat: r ? String(r.location.lat) : '',
  detail: r?.detail ?? '',
  contactName: r?.contact?.name ?? '',
  phone: r?.contact?.phone ?? '',
});

/** The form's values as the service's draft, or the errors found before asking it. */
function draftOf(f: FormState, id: string | undefined): { ok: true; draft: unknown } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const lon = Number(f.lon);
  const lat = Number(f.lat);
  if (f.lon.trim() === '' || f.lat.trim() === '' || !Number.isFinite(lon) || !Number.isFinite(lat)) errors.push('请选择所在网格或填写经纬度');
  const hasContact = f.contactName.trim() !== '' || f.phone.trim() !== '';
  const draft = { ...(id ? { id } : {}), kind: f.kind, name: f.name, location: { lon, lat }, detail: f.detail, contact: hasContact ? { name: f.contactName, phone: f.phone } : null };
  const checked = ResourceDraftSchema.safeParse(draft);
  if (!checked.success) errors.push(...checked.error.issues.map((i) => i.message));
  return errors.length > 0 ? { ok: false, errors: [...new Set(errors)] } : { ok: true, draft };
}

/** One entry's form (null: a new one): choosing a grid places it at a point inside that grid; the point can be typed too. */
function ResourceForm({ entry, grids, onDone }: { entry: Resource | null; grids: readonly Grid[]; onDone: (message: string, next: Selection) => void }) {
  const api = useApi();
  const [f, setF] = useState<FormState>(() => formOf(entry));
  const [errors, setErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<FormState>): void => setF((s) => ({ ...s, ...patch }));
  const run = async (what: () => Promise<Resource>, message: (r: Resource) => string): Promise<void> => {
    setBusy(true);
    try {
      const r = await what();
      setErrors([]);
      onDone(message(r), { kind: 'entry', id: r.id });
    } catch (e) {
      setErrors([errorText(e)]);
    } finally {
      setBusy(false);
    }
  };
  const save = (): void => {
    const d = draftOf(f, entry?.id);
    if (!d.ok) return setErrors(d.errors);
    void run(() => api.call('emergency.resources.save', { resource: d.draft as never }), (r) => `已保存「${r.name}」(${RESOURCE_KIND_LABELS[r.kind]})`);
  };
  const retire = (on: boolean): void => {
    if (!entry) return;
    void run(() => api.call('emergency.resources.retire', { id: entry.id, retired: on }), (r) => (on ? `已停用「${r.name}」,应急处置的周边搜索不再列出` : `已恢复启用「${r.name}」`));
  };
  return (
    <form
      className="field-col"
      aria-label={entry ? `编辑 ${entry.name}` : '新增队伍或物资'}
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <h4>{entry ? `编辑:${entry.name}${retired(entry) ? '(已停用)' : ''}` : '新增队伍或物资'}</h4>
      <ResourceFields f={f} grids={grids} set={set} />
      <FormErrors errors={errors} />
      <div className="field-tabs">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          保存
        </button>
        {entry && !retired(entry) && (
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => retire(true)}>
            停用
          </button>
        )}
        {entry && retired(entry) && (
          <button type="button" className="btn" disabled={busy} onClick={() => retire(false)}>
            恢复启用
          </button>
        )}
      </div>
    </form>
  );
}

/** The form's inputs: choosing a grid places the entry at a point inside it (the point can be typed too). */
function ResourceFields({ f, grids, set }: { f: FormState; grids: readonly Grid[]; set: (patch: Partial<FormState>) => void }) {
  const id = useId();
  const sorted = useMemo(() => [...grids].sort((a, b) => (a.code < b.code ? -1 : 1)), [grids]);
  const chooseGrid = (code: string): void => {
    const g = grids.find((x) => x.code === code);
    if (!g) return set({ grid: '' });
    const p = pointIn(g);
    set({ grid: code, lon: String(p.lon), lat: String(p.lat) });
  };
  const field = (label: string, key: keyof FormState, props: { inputMode?: 'decimal' | 'tel'; placeholder?: string } = {}) => (
    <label className="field" htmlFor={`${id}-${key}`}>
      <span className="field-name">{label}</span>
      <input id={`${id}-${key}`} value={f[key]} onChange={(e) => set({ [key]: e.target.value } as Partial<FormState>)} {...props} />
    </label>
  );
  return (
    <>
      <label className="field" htmlFor={`${id}-kind`}>
        <span className="field-name">类型</span>
        <select id={`${id}-kind`} value={f.kind} onChange={(e) => set({ kind: e.target.value as Resource['kind'] })}>
          {RESOURCE_KINDS.map((k) => (
            <option key={k} value={k}>
              {RESOURCE_KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      {field('名称', 'name')}
      <label className="field" htmlFor={`${id}-grid`}>
        <span className="field-name">
          所在网格<span className="muted small">(选择后定位到网格内一点,可再修改经纬度)</span>
        </span>
        <select id={`${id}-grid`} value={f.grid} onChange={(e) => chooseGrid(e.target.value)}>
          <option value="">—</option>
          {sorted.map((g) => (
            <option key={g.code} value={g.code}>
              {g.name}
            </option>
          ))}
        </select>
      </label>
      <div className="field-tabs">
        {field('经度', 'lon', { inputMode: 'decimal' })}
        {field('纬度', 'lat', { inputMode: 'decimal' })}
      </div>
      {field('说明', 'detail', { placeholder: '如:编织袋 500 条、救生衣 20 件;队员 8 人;可容纳 200 人' })}
      <div className="field-tabs">
        {field('联系人', 'contactName')}
        {field('联系电话', 'phone', { inputMode: 'tel' })}
      </div>
    </>
  );
}

/** An entry for a role that may read the register but not change it. */
function ResourceDetails({ entry, gridName }: { entry: Resource; gridName: ReadonlyMap<string, string> }) {
  return (
    <div className="field-col" aria-label={entry.name}>
      <h4>
        {entry.name}({RESOURCE_KIND_LABELS[entry.kind]}){retired(entry) ? ' 已停用' : ''}
      </h4>
      <p className="small">所在网格:{entry.grid ? (gridName.get(entry.grid) ?? entry.grid) : '—'}</p>
      <p className="small">位置:{entry.location.lon.toFixed(5)}, {entry.location.lat.toFixed(5)}</p>
      {entry.detail && <p className="small">{entry.detail}</p>}
      {entry.contact && (
        <p className="small">
          联系人:{entry.contact.name} {entry.contact.phone}
        </p>
      )}
    </div>
  );
}
