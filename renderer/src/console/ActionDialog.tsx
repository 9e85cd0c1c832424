// One dialog for every action that asks for something (a reason, a note, a category,
// a target, a satisfaction): checked in the dispatcher's words before it is sent,
// then sent; the county's or the workflow's refusal is shown in the dialog.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import { SATISFACTION_LABELS } from '../../../core/events/labels';
import { DEFAULT_STALE_AFTER_MS, RECOMMEND_ORDER_TEXT, recommendationKey } from '../../../core/catalog/catalog';
import type { GridEvent, Satisfaction } from '../../../core/model';
import { WORKER_ROLE_LABELS } from '../ui/format';
import { buildArgs, type ActionInput, type ActionSpec, type ExtensionUnit, type FieldSpec } from './actions';
import { photoFromFile } from '../tasks/photos';
import { doneText, useCommands } from './commands';
import { FieldName, GroupedOptions, categoryGroups } from './common';
import { categoryLabel, useReference } from './reference';
import { CooperatingField, ProposalNote } from '../desk/Cooperating';

interface Props {
  spec: ActionSpec;
  event: GridEvent;
  initial?: ActionInput;
  /** dispatch.recommend's answer, for the dispatch target list. */
  recommendations?: ResultOf<'dispatch.recommend'>;
  onClose: () => void;
  onDone: (message: string, n: number) => void;
  /** The dispatch target chosen so far (the map rings the grid worker). */
  onTarget?: (to: { kind: 'department' | 'person'; id: string } | null) => void;
}

export function ActionDialog({ spec, event, initial, recommendations, onClose, onDone, onTarget }: Props) {
  const [input, setInput] = useState<ActionInput>(initial ?? {});
  const titleId = useId();
  const first = useRef<HTMLElement | null>(null);

  useEffect(() => {
    first.current?.focus();
  }, []);

  const target = input.to ?? null;
  useEffect(() => {
    onTarget?.(target);
  }, [onTarget, target]);

  const { submit, error, setError, busy } = useActionSubmit(spec, event, input, onDone);

  const set = (patch: Partial<ActionInput>): void => {
    setInput((prev) => ({ ...prev, ...patch }));
    setError(null);
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <form
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onSubmit={submit}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void submit();
          }
        }}
      >
        <h3 id={titleId}>
          {spec.label}
          <span className="muted small">
            {' '}
            · {event.code} {event.title}
          </span>
        </h3>
        {spec.name === 'event.approveExtension' && event.extensionRequest && <ExtensionRequestNote request={event.extensionRequest} />}
        {spec.fields.map((field, i) => (
          <ActionField
            key={field.key}
            field={field}
            event={event}
            input={input}
            set={set}
            recommendations={recommendations}
            focusRef={i === 0 ? (el: HTMLElement | null) => void (first.current = el) : undefined}
          />
        ))}
        {spec.fields.length === 0 && <p>确定{spec.label}该事件？</p>}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="modal-buttons">
          <button type="button" className="btn" onClick={onClose}>
            取消
          </button>
          <button type="submit" className={`btn btn-${spec.tone ?? 'primary'}`} disabled={busy} ref={spec.fields.length === 0 ? (el) => void (first.current = el) : undefined}>
            确定{spec.label}
          </button>
        </div>
        <p className="muted small">Ctrl+Enter 提交 · Esc 取消</p>
      </form>
    </div>
  );
}

/** Checks the input in the dispatcher's words, sends the command, and keeps its refusal. */
function useActionSubmit(spec: ActionSpec, event: GridEvent, input: ActionInput, onDone: Props['onDone']) {
  const { run } = useCommands();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e?: FormEvent): Promise<void> => {
    e?.preventDefault();
    if (busy) return;
    const built = buildArgs(spec, event, input);
    if (!built.ok) {
      setError(built.message);
      return;
    }
    setBusy(true);
    const outcome = await run(spec.name, built.args);
    setBusy(false);
    if (outcome.ok) onDone(doneText(spec.name), outcome.n);
    else setError(outcome.message);
  };
  return { submit, error, setError, busy };
}

type ExtensionRequest = NonNullable<GridEvent['extensionRequest']>;

/** The unit of an extension request in words ("个工作日"); empty for a unit it does not know. */
export function extensionUnitText(unit: ExtensionRequest['by']['unit']): string {
  return unit === 'workDays' ? '个工作日' : unit === 'workHours' ? '个工作小时' : '';
}

function ExtensionRequestNote({ request }: { request: ExtensionRequest }) {
  return (
    <p className="muted">
      申请延期：{request.by.value}
      {extensionUnitText(request.by.unit)}，理由：
      {request.reason}
    </p>
  );
}

type FocusRef = ((el: HTMLElement | null) => void) | undefined;

/** One of the action's fields, by its kind. */
function ActionField({
  field,
  event,
  input,
  set,
  recommendations,
  focusRef,
}: {
  field: FieldSpec;
  event: GridEvent;
  input: ActionInput;
  set: (patch: Partial<ActionInput>) => void;
  recommendations: ResultOf<'dispatch.recommend'> | undefined;
  focusRef: FocusRef;
}) {
  switch (field.kind) {
    case 'target':
      return (
        <>
          {input.basis && <ProposalNote basis={input.basis} />}
          <DispatchTarget event={event} value={input.to ?? null} onChange={(to) => set({ to })} recommendations={recommendations} focusRef={focusRef} />
          {input.to?.kind === 'department' && <DispatchCooperating lead={input.to.id} event={event} value={input.cooperating} onChange={(cooperating) => set({ cooperating })} />}
        </>
      );
    case 'category':
      return <CategoryField label={field.label} value={input.category ?? ''} current={event.category} onChange={(category) => set({ category })} focusRef={focusRef} />;
    case 'satisfaction':
      return (
        <label className="field">
          {field.label}
          <select ref={focusRef} value={input.satisfaction ?? ''} onChange={(e) => set({ satisfaction: e.target.value })}>
            <option value="">请选择</option>
            {(Object.keys(SATISFACTION_LABELS) as Satisfaction[]).map((s) => (
              <option key={s} value={s}>
                {SATISFACTION_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
      );
    case 'photos':
      return <PhotosField label={field.label} photos={input.photos ?? []} onChange={(photos) => set({ photos })} />;
    case 'limit':
      return <LimitField label={field.label} value={input.by ?? { value: '', unit: 'workDays' }} onChange={(by) => set({ by })} focusRef={focusRef} />;
    case 'event':
      return (
        <label className="field">
          {field.label}
          <input ref={focusRef} value={input.into ?? ''} onChange={(e) => set({ into: e.target.value })} placeholder="目标事件编号" />
        </label>
      );
    default: {
      const key = field.key as 'note' | 'reason';
      return (
        <label className="field">
          <FieldName required={field.required}>{field.label}</FieldName>
          <textarea ref={focusRef} rows={3} value={input[key] ?? ''} placeholder={field.placeholder} onChange={(e) => set({ [key]: e.target.value })} />
        </label>
      );
    }
  }
}

/** Photos of the site, picked from files and reduced to what the workflow carries (tasks/photos.ts). */
function PhotosField({ label, photos, onChange }: { label: string; photos: string[]; onChange: (photos: string[]) => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const pick = async (files: FileList | null): Promise<void> => {
    if (!files || files.length === 0) return;
    setBusy(true);
    const results = await Promise.all([...files].map(photoFromFile));
    setBusy(false);
    const made = results.flatMap((r) => (r.ok ? [r.photo] : []));
    const failed = results.flatMap((r) => (r.ok ? [] : [r.message]));
    setProblem(failed.length > 0 ? failed.join(' ') : null);
    if (made.length > 0) onChange([...photos, ...made]);
  };
  return (
    <fieldset className="field">
      <legend>{label}</legend>
      <label className="field">
        选择照片文件
        <input type="file" accept="image/*" multiple disabled={busy} onChange={(e) => void pick(e.target.files).then(() => (e.target.value = ''))} />
      </label>
      <p className="muted small">照片会压缩为缩略图随反馈上报（系统目前只能随指令传送缩略图，原图请另行留存）。</p>
      {problem && <p className="form-error">{problem}</p>}
      {photos.length > 0 && (
        <div className="photo-thumbs" data-testid="feedback-photos">
          {photos.map((p, i) => (
            <span key={`${i}-${p.length}`}>
              <img src={p} alt={`待上报照片 ${i + 1}`} />
              <button type="button" className="btn btn-link" onClick={() => onChange(photos.filter((_, j) => j !== i))}>
                移除
              </button>
            </span>
          ))}
        </div>
      )}
    </fieldset>
  );
}

const UNIT_LABELS: Readonly<Record<ExtensionUnit, string>> = { workDays: '个工作日', workHours: '个工作小时' };

/** How much longer: a number and a unit of working time. */
function LimitField({ label, value, onChange, focusRef }: { label: string; value: { value: string; unit: ExtensionUnit }; onChange: (v: { value: string; unit: ExtensionUnit }) => void; focusRef: FocusRef }) {
  return (
    <div className="field-row">
      <label className="field">
        <FieldName required>{label}</FieldName>
        <input ref={focusRef} inputMode="numeric" value={value.value} onChange={(e) => onChange({ ...value, value: e.target.value })} />
      </label>
      <label className="field">
        单位
        <select value={value.unit} onChange={(e) => onChange({ ...value, unit: e.target.value as ExtensionUnit })}>
          {(Object.keys(UNIT_LABELS) as ExtensionUnit[]).map((u) => (
            <option key={u} value={u}>
              {UNIT_LABELS[u]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function CategoryField({
  label,
  value,
  current,
  onChange,
  focusRef,
}: {
  label: string;
  value: string;
  current: string;
  onChange: (code: string) => void;
  focusRef: ((el: HTMLElement | null) => void) | undefined;
}) {
  const ref = useReference();
  return (
    <label className="field">
      {label}
      <span className="muted small">（当前：{categoryLabel(ref, current)}）</span>
      <select ref={focusRef} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">请选择</option>
        <GroupedOptions groups={categoryGroups(ref.categories)} />
      </select>
    </label>
  );
}

type Target = { kind: 'department' | 'person'; id: string } | null;

/**
 * Whom to send: the recommended grid workers (headed with the order core/catalog ranks
 * them in, RECOMMEND_ORDER) or a department (the category's lead first).
 */
function DispatchTarget({
  event,
  value,
  onChange,
  recommendations,
  focusRef,
}: {
  event: GridEvent;
  value: Target;
  onChange: (to: Target) => void;
  recommendations: ResultOf<'dispatch.recommend'> | undefined;
  focusRef: ((el: HTMLElement | null) => void) | undefined;
}) {
  const ref = useReference();
  const lead = ref.category.get(event.category)?.department;
  const departments = [...ref.departments].sort((a, b) => (a.id === lead ? -1 : b.id === lead ? 1 : 0));
  return (
    <fieldset className="field dispatch-target">
      <legend>
        派遣对象<span className="req">（必填）</span>
      </legend>
      <div className="target-group" role="radiogroup" aria-label="推荐网格员">
        <h4>推荐网格员（{RECOMMEND_ORDER_TEXT}）</h4>
        {recommendations === undefined && <p className="muted small">正在计算推荐…</p>}
        {recommendations?.length === 0 && <p className="muted small">本网格及相邻网格暂无在岗网格员。</p>}
        {recommendations?.map((r, i) => (
          <label
            key={r.worker.id}
            className={`target-option${value?.kind === 'person' && value.id === r.worker.id ? ' on' : ''}`}
            data-order-key={recommendationKey(r).join(',')}
          >
            <input
              type="radio"
              name="dispatch-target"
              value={r.worker.id}
              ref={i === 0 ? focusRef : undefined}
              checked={value?.kind === 'person' && value.id === r.worker.id}
              onChange={() => onChange({ kind: 'person', id: r.worker.id })}
            />
            <span className="target-name">{r.worker.name}</span>
            <span className="muted small">
              {WORKER_ROLE_LABELS[r.worker.role]}
              {r.sameGrid ? ' · 本网格' : ' · 相邻网格'}
              {r.distanceM !== null ? ` · ${formatDistance(r.distanceM)}` : ' · 无定位'}
              {r.positionAgeMs !== null && r.positionAgeMs > DEFAULT_STALE_AFTER_MS ? '（定位较旧）' : ''}
            </span>
          </label>
        ))}
      </div>
      <label className="field">
        或派遣至部门
        <select
          value={value?.kind === 'department' ? value.id : ''}
          ref={recommendations?.length ? undefined : focusRef}
          onChange={(e) => onChange(e.target.value ? { kind: 'department', id: e.target.value } : null)}
        >
          <option value="">请选择部门</option>
          {departments.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
              {d.id === lead ? '（牵头部门）' : ''}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="btn btn-link" onClick={() => onChange(null)}>
        清除选择
      </button>
    </fieldset>
  );
}

/** The cooperating departments of a dispatch to a department: as chosen, else the category's (the list of matters). */
function DispatchCooperating({ lead, event, value, onChange }: { lead: string; event: GridEvent; value: string[] | undefined; onChange: (ids: string[]) => void }) {
  const ref = useReference();
  const fallback = (ref.category.get(event.category)?.cooperating ?? []).filter((d) => d !== lead);
  return <CooperatingField lead={lead} departments={ref.departments} value={value ?? fallback} onChange={onChange} />;
}

export function formatDistance(m: number): string {
  return m < 1000 ? `${Math.round(m)} 米` : `${(m / 1000).toFixed(1)} 公里`;
}
