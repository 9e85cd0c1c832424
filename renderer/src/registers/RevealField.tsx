// One masked register field (phone, ID number, address) with 查看 → reason → the value,
// for this view only. The reveal is the service's recorded call (registers.reveal: the
// reason goes into the audit trail); a role that may not reveal sees the button not at all.
import { useId, useState, type FormEvent } from 'react';
import { useApi } from '../platform/context';
import { useSession } from '../session/context';
import { errorText } from '../console/data';

export type RevealType = 'person' | 'house' | 'organisation';
export type RevealFieldName = 'phone' | 'idNumber' | 'address';
const LABELS: Readonly<Record<RevealFieldName, string>> = { phone: '电话', idNumber: '身份证号', address: '地址' };

export function RevealField({ type, id, field, masked }: { type: RevealType; id: string; field: RevealFieldName; masked: string }) {
  const api = useApi();
  const { may } = useSession();
  const reasonId = useId();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [value, setValue] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (masked === '') return <span className="muted">—</span>;
  const label = LABELS[field];
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (reason.trim().length < 2) return setError('请说明查看原因');
    try {
      const result = await api.call('registers.reveal', { type, id, field, reason: reason.trim() });
      setValue(result.value ?? '（未登记）');
      setAsking(false);
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <span className="mono" data-testid={`reg-${field}-${id}`}>
      {value ?? masked}
      {may('registers.reveal') && value === null && !asking && (
        <button type="button" className="btn btn-small" onClick={() => setAsking(true)} aria-label={`查看完整${label}`}>
          查看
        </button>
      )}
      {asking && (
        <form className="reveal-form" onSubmit={(e) => void submit(e)} aria-label={`查看完整${label}`}>
          <label htmlFor={reasonId}>查看原因</label>
          <input id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} autoFocus />
          <button type="submit" className="btn btn-small btn-primary">
            确认查看
          </button>
          <button type="button" className="btn btn-small" onClick={() => setAsking(false)}>
            取消
          </button>
          {error && <span className="error">{error}</span>}
        </form>
      )}
    </span>
  );
}
