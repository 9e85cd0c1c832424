// Intake by hand: a report by the 12345 hotline, a walk-in or WeChat, typed in by the
// dispatcher. The place is picked on the map (or typed as longitude/latitude) and its
// grid found from the point; the report is created with an id made here, so it is
// queued and shown at once even while the county link is down.
import { useCallback, useEffect, useId, useRef, useState, type Dispatch, type FormEvent, type RefObject, type SetStateAction } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import { SOURCE_LABELS } from '../../../core/events/labels';
import type { EventSource, Urgency } from '../../../core/model';
import { useApi } from '../platform/context';
import { FieldName, GroupedOptions, URGENCY_LABELS, categoryGroups } from './common';
import { useCommands } from './commands';
import { errorText } from './data';
import { buildCreate, emptyIntake, intakeSources, gridFoundText, parseLonLat, roundCoord, type IntakeInput } from './intake';
import { useReference } from './reference';
import { useOptionalSession } from '../session/context';

interface Props {
  initial?: IntakeInput;
  /** The form takes the console map's clicks while open (pick mode), and gives them back when closed. */
  onPickMode?: (pick: ((lon: number, lat: number) => void) | null) => void;
  /** The point chosen so far, for the map to ring. */
  onPoint?: (point: { lon: number; lat: number } | null) => void;
  onClose: () => void;
  onCreated: (eventId: string, code: string) => void;
}

export function IntakeForm({ initial, onPickMode, onPoint, onClose, onCreated }: Props) {
  const role = useOptionalSession()?.user.role ?? 'dispatcher';
  const form = useIntakeInput(initial ?? emptyIntake(role));
  const { input, set, error, setError } = form;
  const titleId = useId();
  const firstRef = useRef<HTMLInputElement | null>(null);

  useEffect(() => firstRef.current?.focus(), []);
  const located = useLocatedGrid(input.lon, input.lat, form.setInput, setError);
  useMapPoint(input.lon, input.lat, form.pick, onPickMode, onPoint);
  const { submit, busy } = useIntakeSubmit(input, setError, onCreated);

  return (
    <div className="intake-dock">
      <form
        className="modal intake"
        role="dialog"
        aria-modal="false"
        aria-labelledby={titleId}
        onSubmit={submit}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          }
        }}
      >
        <h3 id={titleId}>手工登记事件</h3>
        <div className="intake-fields">
          <WhatFields input={input} set={set} firstRef={firstRef} sources={intakeSources(role)} />
          <ReporterFields input={input} set={set} />
          <PlaceFields form={form} located={located} />
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="modal-buttons">
          <button type="button" className="btn" onClick={onClose}>
            取消
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            登记上报
          </button>
        </div>
        <p className="muted small">断网时也可登记：事件先存入本地，联网后自动报送县级平台。</p>
      </form>
    </div>
  );
}

type IntakeFormState = ReturnType<typeof useIntakeInput>;
type Set = (patch: Partial<IntakeInput>) => void;
type Located = ResultOf<'grids.locate'> | undefined;

/** The form's input, the coordinates as typed, and its error (cleared by any edit). */
function useIntakeInput(initial: IntakeInput) {
  const [input, setInput] = useState<IntakeInput>(initial);
  const [lonText, setLonText] = useState(initial?.lon?.toString() ?? '');
  const [latText, setLatText] = useState(initial?.lat?.toString() ?? '');
  const [error, setError] = useState<string | null>(null);

  const set = (patch: Partial<IntakeInput>): void => {
    setInput((prev) => ({ ...prev, ...patch }));
    setError(null);
  };

  const pick = useCallback((pLon: number, pLat: number): void => {
    const rLon = roundCoord(pLon);
    const rLat = roundCoord(pLat);
    setLonText(String(rLon));
    setLatText(String(rLat));
    setInput((prev) => ({ ...prev, lon: rLon, lat: rLat, grid: null }));
    setError(null);
  }, []);

  const typed = (lonT: string, latT: string): void => {
    setLonText(lonT);
    setLatText(latT);
    const point = parseLonLat(lonT, latT);
    set({ lon: point?.lon ?? null, lat: point?.lat ?? null, grid: null });
  };

  return { input, setInput, set, lonText, latText, typed, pick, error, setError };
}

/** The grid of the point, from the data service's grid index (asked 200 ms after the point settles). */
function useLocatedGrid(
  lon: number | null,
  lat: number | null,
  setInput: Dispatch<SetStateAction<IntakeInput>>,
  setError: (error: string | null) => void,
): Located {
  const api = useApi();
  const [located, setLocated] = useState<Located>(undefined);
  useEffect(() => {
    if (lon === null || lat === null) {
      setLocated(undefined);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api
        .call('grids.locate', { lon, lat })
        .then(
          (r) => {
            if (!live) return;
            setLocated(r);
            setInput((prev) => ({ ...prev, grid: r?.grid.code ?? null }));
          },
          (e: unknown) => live && setError(errorText(e)),
        );
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, lon, lat, setInput, setError]);
  return located;
}

/** Takes the map's clicks while the form is open, and tells the map the point to ring. */
function useMapPoint(
  lon: number | null,
  lat: number | null,
  pick: (lon: number, lat: number) => void,
  onPickMode: Props['onPickMode'],
  onPoint: Props['onPoint'],
): void {
  useEffect(() => {
    onPickMode?.(pick);
    return () => onPickMode?.(null);
  }, [onPickMode, pick]);

  useEffect(() => {
    onPoint?.(lon !== null && lat !== null ? { lon, lat } : null);
  }, [onPoint, lon, lat]);
  useEffect(() => () => onPoint?.(null), [onPoint]);
}

/** Checks the report and creates it with an id made here. */
function useIntakeSubmit(input: IntakeInput, setError: (error: string | null) => void, onCreated: Props['onCreated']) {
  const { run } = useCommands();
  const [busy, setBusy] = useState(false);
  const submit = async (e?: FormEvent): Promise<void> => {
    e?.preventDefault();
    if (busy) return;
    const id = crypto.randomUUID();
    const built = buildCreate(input, id, Date.now());
    if (!built.ok) {
      setError(built.message);
      return;
    }
    setBusy(true);
    const outcome = await run('event.create', built.args);
    setBusy(false);
    if (outcome.ok) onCreated(id, String(built.args.code));
    else setError(outcome.message);
  };
  return { submit, busy };
}

/** What happened: title, description, category, urgency, source. */
function WhatFields({ input, set, firstRef, sources }: { input: IntakeInput; set: Set; firstRef: RefObject<HTMLInputElement | null>; sources: readonly EventSource[] }) {
  const ref = useReference();
  return (
    <>
      <label className="field">
        <FieldName required>事件标题</FieldName>
        <input ref={firstRef} value={input.title} onChange={(e) => set({ title: e.target.value })} maxLength={200} />
      </label>
      <label className="field">
        事件描述
        <textarea rows={3} value={input.description} onChange={(e) => set({ description: e.target.value })} maxLength={2000} />
      </label>
      <div className="field-row">
        <label className="field">
          <FieldName required>事件类别</FieldName>
          <select value={input.category} onChange={(e) => set({ category: e.target.value })}>
            <option value="">请选择</option>
            <GroupedOptions groups={categoryGroups(ref.categories)} />
          </select>
        </label>
        <label className="field">
          紧急程度
          <select value={input.urgency} onChange={(e) => set({ urgency: e.target.value as Urgency })}>
            {(['normal', 'urgent', 'critical'] as const).map((u) => (
              <option key={u} value={u}>
                {URGENCY_LABELS[u]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          来源
          <select value={input.source} onChange={(e) => set({ source: e.target.value as EventSource })}>
            {sources.map((s) => (
              <option key={s} value={s}>
                {SOURCE_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
      </div>
    </>
  );
}

/** Who reported it: personal data, seen only by those handling the case. */
function ReporterFields({ input, set }: { input: IntakeInput; set: Set }) {
  return (
    <fieldset className="field">
      <legend>报告人（个人信息，仅办案人员可见）</legend>
      <div className="field-row">
        <label className="field">
          姓名
          <input value={input.reporterName} onChange={(e) => set({ reporterName: e.target.value })} maxLength={50} autoComplete="off" />
        </label>
        <label className="field">
          电话
          <input value={input.reporterPhone} onChange={(e) => set({ reporterPhone: e.target.value })} maxLength={32} autoComplete="off" inputMode="tel" />
        </label>
        <label className="field">
          证件号
          <input value={input.reporterId} onChange={(e) => set({ reporterId: e.target.value })} maxLength={32} autoComplete="off" />
        </label>
      </div>
    </fieldset>
  );
}

/** Where: the address, the point (picked on the map or typed), and the grid found for it. */
function PlaceFields({ form, located }: { form: IntakeFormState; located: Located }) {
  const { input, set, lonText, latText, typed } = form;
  return (
    <>
      <label className="field">
        <FieldName required>事发地址</FieldName>
        <input value={input.address} onChange={(e) => set({ address: e.target.value })} maxLength={200} />
      </label>
      <div className="field-row">
        <label className="field">
          经度
          <input value={lonText} onChange={(e) => typed(e.target.value, latText)} inputMode="decimal" />
        </label>
        <label className="field">
          纬度
          <input value={latText} onChange={(e) => typed(lonText, e.target.value)} inputMode="decimal" />
        </label>
      </div>
      <p className="intake-grid-found" data-testid="intake-grid" aria-live="polite">
        {gridFoundText(input, located)}
      </p>
    </>
  );
}
