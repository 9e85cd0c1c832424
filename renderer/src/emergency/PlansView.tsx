// 应急预案库: the town's plans (方案6: 迅速按照应急预案开展工作), listed, read, and for the roles
// the service lets edit them (the dispatcher and the admin: core/api/field.ts
// PLAN_EDIT_METHODS) created, changed, deleted and imported from a file. The form holds a
// plan as the spreadsheet's columns (core/emergency/plans.ts planToRow/planFromRow), so
// what an operator types here is what the import reads; the service checks it again.
import { useId, useRef, useState } from 'react';
import { PLAN_SHEET_COLUMNS, RESOURCE_KINDS, RESOURCE_KIND_LABELS, planFromRow, planToRow, type Plan, type PlanRow } from '../../../core/emergency/plans';
import { ApiCallError } from '../platform/index';
import { useApi } from '../platform/context';
import { useQuery } from '../platform/hooks';
import { useSession } from '../session/context';
import './field.css';
import { FormErrors } from '../ui/FormErrors';

const errorText = (e: unknown): string => (e instanceof ApiCallError ? e.message : String(e));

/** The form's fields: the spreadsheet's columns, the long ones as text areas with a hint of their format. */
const LONG: Partial<Record<keyof PlanRow, string>> = {
  处置步骤: '每行一步:责任角色：步骤内容',
  职责分工: '每行一个:角色：职责',
  联系人: '每行一位:姓名/职务/电话',
};
const SHORT_HINTS: Partial<Record<keyof PlanRow, string>> = { 预案编号: '字母、数字、-、_', 响应级别: '如 Ⅳ级', 适用类别: '事项清单类别编码,以顿号分隔', 关键词: '事件标题中的词,以顿号分隔' };

const EMPTY_ROW: PlanRow = Object.fromEntries(PLAN_SHEET_COLUMNS.map((c) => [c, ''])) as PlanRow;

type Selection = { kind: 'plan'; id: string } | { kind: 'new' } | null;

export function PlansView() {
  const plans = useQuery('emergency.plans');
  const { may } = useSession();
  const canEdit = may('emergency.plans.save');
  const [selected, setSelected] = useState<Selection>(null);
  const [notice, setNotice] = useState<string | null>(null);
  if (plans.status !== 'ok') return <p className="muted">{plans.error ?? '正在读取…'}</p>;
  const list = plans.data;
  const current = selected?.kind === 'plan' ? (list.find((p) => p.id === selected.id) ?? null) : null;
  const done = (message: string, next: Selection): void => {
    setNotice(message);
    setSelected(next);
    plans.reload();
  };
  return (
    <div className="field-two" data-testid="plans-library">
      <div className="field-col">
        <div className="field-tabs">
          <span className="small">共 {list.length} 个预案</span>
          {canEdit && (
            <button type="button" className="btn" onClick={() => setSelected({ kind: 'new' })}>
              新建预案
            </button>
          )}
          {may('emergency.plans.import') && <PlanImportButton onDone={(m) => done(m, null)} />}
        </div>
        {notice && (
          <p className="small" role="status">
            {notice}
          </p>
        )}
        {list.length === 0 ? (
          <p className="muted">预案库为空。{canEdit ? '请新建预案,或从 JSON / Excel 文件导入。' : ''}</p>
        ) : (
          <table className="field-table">
            <thead>
              <tr>
                <th>编号</th>
                <th>名称</th>
                <th>级别</th>
                <th>适用类别</th>
                <th>步骤</th>
              </tr>
            </thead>
            <tbody>
              {list.map((p) => (
                <tr key={p.id} data-testid="plan-row" data-plan={p.id} aria-selected={current?.id === p.id}>
                  <td className="mono">{p.id}</td>
                  <td>
                    <button type="button" className="btn-link" onClick={() => setSelected({ kind: 'plan', id: p.id })}>
                      {p.name}
                    </button>
                  </td>
                  <td>{p.level}</td>
                  <td>{p.categories.join('、')}</td>
                  <td>{p.steps.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="field-col">
        {selected?.kind === 'new' && <PlanForm key="new" plan={null} taken={list.map((p) => p.id)} onDone={done} />}
        {current && canEdit && <PlanForm key={current.id} plan={current} taken={[]} onDone={done} />}
        {current && !canEdit && <PlanDetails plan={current} />}
        {selected === null && <p className="muted">选择左侧的预案查看{canEdit ? '或修改' : ''}。</p>}
      </div>
    </div>
  );
}

/** The form of one plan (null: a new one); saving checks it as the import does, then the service checks again. */
function PlanForm({ plan, taken, onDone }: { plan: Plan | null; taken: readonly string[]; onDone: (message: string, next: Selection) => void }) {
  const api = useApi();
  const [row, setRow] = useState<PlanRow>(plan ? planToRow(plan) : EMPTY_ROW);
  const [errors, setErrors] = useState<string[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = (column: keyof PlanRow, value: string): void => setRow((r) => ({ ...r, [column]: value }));
  const save = async (): Promise<void> => {
    const checked = planFromRow(row);
    if (!checked.ok) return setErrors(checked.errors);
    if (plan === null && taken.includes(checked.plan.id)) return setErrors([`预案编号:${checked.plan.id} 已被其他预案使用`]);
    setBusy(true);
    try {
      const saved = await api.call('emergency.plans.save', { plan: checked.plan });
      setErrors([]);
      onDone(`已保存预案「${saved.name}」`, { kind: 'plan', id: saved.id });
    } catch (e) {
      setErrors([errorText(e)]);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (): Promise<void> => {
    if (plan === null) return;
    setBusy(true);
    try {
      await api.call('emergency.plans.delete', { id: plan.id });
      onDone(`已删除预案「${plan.name}」(已启动的应急处置保留原预案)`, null);
    } catch (e) {
      setErrors([errorText(e)]);
      setBusy(false);
    }
  };
  return (
    <form
      className="field-col"
      aria-label={plan ? `编辑预案 ${plan.name}` : '新建预案'}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h4>{plan ? `编辑预案:${plan.name}` : '新建预案'}</h4>
      <PlanFields row={row} isNew={plan === null} onChange={set} />
      <FormErrors errors={errors} />
      <div className="field-tabs">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          保存预案
        </button>
        {plan && !confirming && (
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => setConfirming(true)}>
            删除预案
          </button>
        )}
        {plan && confirming && (
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void remove()}>
            确认删除「{plan.name}」
          </button>
        )}
      </div>
    </form>
  );
}

/** The plan's columns as inputs; the id is fixed once the plan exists (a new id is a new plan). */
function PlanFields({ row, isNew, onChange }: { row: PlanRow; isNew: boolean; onChange: (column: keyof PlanRow, value: string) => void }) {
  const id = useId();
  return (
    <>
      {PLAN_SHEET_COLUMNS.map((column) =>
        column === '所需资源' ? (
          <ResourceChoice key={column} value={row[column]} onChange={(v) => onChange(column, v)} />
        ) : (
          <label key={column} className="field" htmlFor={`${id}-${column}`}>
            <span className="field-name">
              {column}
              {(LONG[column] ?? SHORT_HINTS[column]) && <span className="muted small">({LONG[column] ?? SHORT_HINTS[column]})</span>}
            </span>
            {LONG[column] ? (
              <textarea id={`${id}-${column}`} rows={column === '处置步骤' ? 7 : 3} value={row[column]} onChange={(e) => onChange(column, e.target.value)} />
            ) : (
              <input id={`${id}-${column}`} value={row[column]} readOnly={!isNew && column === '预案编号'} onChange={(e) => onChange(column, e.target.value)} />
            )}
            </label>
          ),
        )}
    </>
  );
}

/** 所需资源 as check boxes, kept as the row's text (the kinds' Chinese names). */
function ResourceChoice({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const chosen = new Set(value.split(/[,，、;；\s]+/).filter((s) => s.length > 0));
  const toggle = (label: string): void => {
    const next = new Set(chosen);
    if (next.has(label)) next.delete(label);
    else next.add(label);
    onChange(RESOURCE_KINDS.map((k) => RESOURCE_KIND_LABELS[k]).filter((l) => next.has(l)).join('、'));
  };
  return (
    <fieldset className="field">
      <legend className="field-name">所需资源</legend>
      {RESOURCE_KINDS.map((k) => (
        <label key={k} className="small">
          <input type="checkbox" checked={chosen.has(RESOURCE_KIND_LABELS[k])} onChange={() => toggle(RESOURCE_KIND_LABELS[k])} /> {RESOURCE_KIND_LABELS[k]}{' '}
        </label>
      ))}
    </fieldset>
  );
}

/** A plan for a role that may read the library but not change it. */
function PlanDetails({ plan }: { plan: Plan }) {
  return (
    <div className="field-col" aria-label={`预案 ${plan.name}`}>
      <h4>
        {plan.name} {plan.level}
      </h4>
      <p className="small">适用类别:{plan.categories.join('、') || '—'};关键词:{plan.keywords.join('、') || '—'}</p>
      <ol className="field-checklist">
        {plan.steps.map((s) => (
          <li key={s.id}>
            <b>{s.role}</b>:{s.text}
          </li>
        ))}
      </ol>
      {plan.roles.length > 0 && <p className="small">职责分工:{plan.roles.map((r) => `${r.role}(${r.duty})`).join(';')}</p>}
      {plan.contacts.length > 0 && <p className="small">联系人:{plan.contacts.map((c) => `${c.name} ${c.duty} ${c.phone}`).join(';')}</p>}
      <p className="small">所需资源:{plan.resources.map((r) => RESOURCE_KIND_LABELS[r]).join('、') || '—'}</p>
    </div>
  );
}

/** The service's cap (core/api/field.ts PlanImportArgsSchema: about 2 MB as base64). */
const MAX_IMPORT_BYTES = 2_000_000;

/** Import from a .json or .xlsx file: merged into the library (same id replaced); a file with any error imports nothing. */
function PlanImportButton({ onDone }: { onDone: (message: string) => void }) {
  const api = useApi();
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const pick = async (file: File): Promise<void> => {
    if (file.size > MAX_IMPORT_BYTES) return setError(`文件过大(${(file.size / 1e6).toFixed(1)} MB),上限 2 MB`);
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    try {
      const r = await api.call('emergency.plans.import', { fileName: file.name, content: btoa(binary), mode: 'merge' });
      setError(null);
      onDone(`已从 ${file.name} 导入 ${r.imported} 个预案,预案库共 ${r.total} 个`);
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <>
      <input
        ref={input}
        type="file"
        accept=".json,.xlsx"
        hidden
        aria-label="导入预案文件"
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void pick(f);
          e.target.value = '';
        }}
      />
      <button type="button" className="btn" onClick={() => input.current?.click()}>
        从文件导入
      </button>
      {error && (
        <span className="form-error small" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
