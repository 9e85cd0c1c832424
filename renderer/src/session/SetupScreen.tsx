// First run outside the demo: no account exists yet, so the first admin is made here
// (auth.setup), then logged in. The service answers auth.setup only while no account exists.
import { useId, useState, type FormEvent } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import { useApi } from '../platform/context';
import { errorText } from '../console/data';
import { newPasswordProblem } from './session-model';
import './session.css';

type AuthResult = ResultOf<'auth.login'>;

export function SetupScreen({ onDone, onRecheck }: { onDone: (result: AuthResult) => void; onRecheck: () => void }) {
  const api = useApi();
  const [username, setUsername] = useState('admin');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const problem = username.trim() === '' ? '请输入用户名。' : name.trim() === '' ? '请输入姓名。' : newPasswordProblem(password, confirm, { username });
    if (problem) return setError(problem);
    setBusy(true);
    try {
      // auth.setup logs the new admin in (its answer is auth.login's).
      onDone(await api.call('auth.setup', { username: username.trim(), name: name.trim(), password }));
    } catch (err) {
      setError(errorText(err));
      onRecheck();
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="login-page">
      <section className="login-card" aria-labelledby="setup-title">
        <h1 id="setup-title">首次使用：创建管理员账号</h1>
        <p>本系统还没有任何账号。请先创建第一个管理员账号；管理员登录后再为调度员、领导、部门和村（社区）工作站等人员开设账号。</p>
        <form className="login-form" onSubmit={(e) => void submit(e)} aria-label="创建管理员">
          <Field label="用户名" value={username} onChange={setUsername} autoComplete="username" />
          <Field label="姓名" value={name} onChange={setName} autoComplete="name" />
          <Field label="密码" value={password} onChange={setPassword} autoComplete="new-password" type="password" />
          <Field label="确认密码" value={confirm} onChange={setConfirm} autoComplete="new-password" type="password" />
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="btn btn-primary" disabled={busy}>
            创建并登录
          </button>
        </form>
      </section>
    </main>
  );
}

function Field(p: { label: string; value: string; onChange: (v: string) => void; autoComplete: string; type?: string }) {
  const id = useId();
  return (
    <>
      <label htmlFor={id}>{p.label}</label>
      <input id={id} type={p.type ?? 'text'} value={p.value} onChange={(e) => p.onChange(e.target.value)} autoComplete={p.autoComplete} maxLength={128} />
    </>
  );
}
