// Who reported an event. The service masks residents' personal data for every role
// (138****1234); a role that may reveal (core/api/access.ts) asks for one field with a
// reason (personal.reveal, recorded in the audit trail) and sees it in this view only:
// another event, or the same one opened again, shows the masked value.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { RevealArgsSchema } from '../../../core/api/people';
import type { GridEvent } from '../../../core/model';
import { useApi } from '../platform/context';
import { useSession } from '../session/context';
import { errorText } from './data';

type Field = 'phone' | 'idNumber';
const FIELD_LABELS: Readonly<Record<Field, string>> = { phone: '电话', idNumber: '证件号' };

export function Reporter({ event }: { event: GridEvent }) {
  const { may } = useSession();
  const reporter = event.reporter;
  const canReveal = may('personal.reveal');
  return (
    <section className="ed-section" aria-label="报告人">
      <h3>报告人</h3>
      {reporter === null ? (
        <p className="muted">未登记报告人。</p>
      ) : (
        <dl className="ed-facts ed-reporter" data-testid="reporter">
          <dt>姓名</dt>
          <dd>{reporter.name}</dd>
          {(['phone', 'idNumber'] as const).map((field) =>
            reporter[field] === undefined ? null : (
              <RevealRow key={`${event.id}-${field}`} eventId={event.id} field={field} masked={reporter[field]} canReveal={canReveal} />
            ),
          )}
        </dl>
      )}
      {reporter !== null && <p className="muted small">个人信息已脱敏显示；查看完整信息须说明原因，查看记录将存入审计日志。</p>}
    </section>
  );
}

/** One masked field, with 查看 → reason → the value (for this view only). */
function RevealRow({ eventId, field, masked, canReveal }: { eventId: string; field: Field; masked: string; canReveal: boolean }) {
  const api = useApi();
  const reasonId = useId();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [value, setValue] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setAsking(false);
    setValue(null);
    setReason('');
    setError(null);
  }, [eventId, field]);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const checked = RevealArgsSchema.shape.reason.safeParse(reason);
    if (!checked.success) return setError(checked.error.issues[0]?.message ?? '请说明查看原因');
    try {
      const result = await api.call('personal.reveal', { eventId, field, reason: checked.data });
      setValue(result.value ?? '（未登记）');
      setAsking(false);
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  };
  const label = FIELD_LABELS[field];
  return (
    <>
      <dt>{label}</dt>
      <dd className="mono" data-testid={`reporter-${field}`}>
        {value ?? masked}
        {canReveal && value === null && !asking && (
          <button type="button" className="btn btn-small" onClick={() => setAsking(true)} aria-label={`查看完整${label}`}>
            查看
          </button>
        )}
        {asking && (
          <form className="reveal-form" onSubmit={(e) => void submit(e)} aria-label={`查看完整${label}`}>
            <label htmlFor={reasonId}>查看原因</label>
            <input id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} placeholder="例如：回访报告人" autoFocus />
            <button type="submit" className="btn btn-small btn-primary">
              确认查看
            </button>
            <button type="button" className="btn btn-small" onClick={() => setAsking(false)}>
              取消
            </button>
            {error && (
              <span className="form-error" role="alert">
                {error}
              </span>
            )}
          </form>
        )}
      </dd>
    </>
  );
}
