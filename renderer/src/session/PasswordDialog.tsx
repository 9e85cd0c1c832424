// Changing one's own password (auth.password): from the header at any time, or right
// after login when an admin set the password (the person must choose their own first).
import { useId, useState, type FormEvent } from 'react';
import { PASSWORD_MIN_CLASSES, PASSWORD_MIN_LENGTH } from '../../../core/people/policy';
import { useApi } from '../platform/context';
import { errorText } from '../console/data';
import { newPasswordProblem } from './session-model';
import { useSession } from './context';

interface Props {
  /** Forced after login: no cancel, the screen behind waits. */
  forced: boolean;
  onDone: () => void;
  onCancel?: () => void;
}

export function PasswordDialog({ forced, onDone, onCancel }: Props) {
  const api = useApi();
  const username = useSession().user.username;
  const titleId = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const problem = current === '' ? '请输入当前密码。' : newPasswordProblem(next, confirm, { current, username });
    if (problem) return setError(problem);
    setBusy(true);
    try {
      await api.call('auth.password', { current, next });
      onDone();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="modal-backdrop">
      <form className="modal password-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} onSubmit={(e) => void submit(e)}>
        <h3 id={titleId}>修改密码</h3>
        {forced && <p className="notice-warn">您的密码由管理员设置，请先设置自己的新密码再继续使用。</p>}
        <PasswordField label="当前密码" value={current} onChange={setCurrent} autoComplete="current-password" />
        <PasswordField label="新密码" value={next} onChange={setNext} autoComplete="new-password" />
        <PasswordField label="确认新密码" value={confirm} onChange={setConfirm} autoComplete="new-password" />
        <p className="muted small">密码规则：至少 {PASSWORD_MIN_LENGTH} 个字符，包含小写字母、大写字母、数字、符号中至少 {PASSWORD_MIN_CLASSES} 类，且不含用户名。</p>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="modal-buttons">
          {!forced && (
            <button type="button" className="btn" onClick={onCancel}>
              取消
            </button>
          )}
          <button type="submit" className="btn btn-primary" disabled={busy}>
            确认修改
          </button>
        </div>
      </form>
    </div>
  );
}

function PasswordField({ label, value, onChange, autoComplete }: { label: string; value: string; onChange: (v: string) => void; autoComplete: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="password" value={value} onChange={(e) => onChange(e.target.value)} autoComplete={autoComplete} maxLength={128} />
    </div>
  );
}
