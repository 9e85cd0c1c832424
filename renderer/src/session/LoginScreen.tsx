// The login screen: username and password (auth.login), the refusal in plain words
// (wrong password, locked until …), and on the demo only the demo's accounts with a
// one-click fill. The wall's page without a session says first that the screen is not
// enrolled and how to enrol it; a viewer account may still log in there by hand.
import { useId, useState, type FormEvent } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import { ROLE_LABELS } from '../../../core/events/labels';
import { useApi } from '../platform/context';
import { useQuery } from '../platform/hooks';
import { demoAccountsOf, loginErrorText, type DemoAccount } from './session-model';
import './session.css';

type AuthResult = ResultOf<'auth.login'>;

interface Props {
  /** Why the person is here again (session ended, logged out), shown above the form. */
  message: string | null;
  onLoggedIn: (result: AuthResult) => void;
  /** The wall's page: explain enrolment first. */
  wall?: boolean;
}

export function LoginScreen({ message, onLoggedIn, wall = false }: Props) {
  const info = useQuery('app.info');
  const town = info.data?.town.name;
  const demo = demoAccountsOf(info.data);
  const form = useLoginForm(onLoggedIn);
  return (
    <main className="login-page">
      <section className="login-card" aria-labelledby="login-title">
        <h1 id="login-title">网格指挥舱 GridDeck{town ? ` · ${town}` : ''}</h1>
        {wall && <WallNotEnrolled />}
        {message && (
          <p className="login-message" role="status">
            {message}
          </p>
        )}
        <LoginForm form={form} wall={wall} />
        {demo.length > 0 && <DemoAccounts accounts={demo} onFill={form.fill} />}
      </section>
    </main>
  );
}

function useLoginForm(onLoggedIn: (result: AuthResult) => void) {
  const api = useApi();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    if (username.trim() === '' || password === '') {
      setError('请输入用户名和密码。');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await api.call('auth.login', { username: username.trim(), password });
      onLoggedIn(result);
    } catch (err) {
      setError(loginErrorText(err));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };
  const fill = (account: DemoAccount): void => {
    setUsername(account.username);
    setPassword(account.password);
    setError(null);
  };
  return { username, setUsername, password, setPassword, error, busy, submit, fill };
}

function LoginForm({ form, wall }: { form: ReturnType<typeof useLoginForm>; wall: boolean }) {
  const userId = useId();
  const passId = useId();
  return (
    <form className="login-form" onSubmit={(e) => void form.submit(e)} aria-label="登录">
      {wall && <h2>使用大屏账号登录</h2>}
      <label htmlFor={userId}>用户名</label>
      <input
        id={userId}
        name="username"
        autoComplete="username"
        autoFocus={!wall}
        value={form.username}
        onChange={(e) => form.setUsername(e.target.value)}
        maxLength={64}
      />
      <label htmlFor={passId}>密码</label>
      <input
        id={passId}
        name="password"
        type="password"
        autoComplete="current-password"
        value={form.password}
        onChange={(e) => form.setPassword(e.target.value)}
        maxLength={128}
      />
      {form.error && (
        <p className="form-error" role="alert">
          {form.error}
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={form.busy}>
        {form.busy ? '正在登录…' : '登录'}
      </button>
    </form>
  );
}

function WallNotEnrolled() {
  return (
    <div className="login-wall" role="alert">
      <h2>此屏幕未授权</h2>
      <p>大屏须由管理员授权后才能显示：管理员在“系统管理 → 设备令牌”中为这块屏幕签发令牌，并在这块屏幕上打开一次签发时给出的链接（形如 /wall#device=…）。</p>
      <p className="muted small">链接只能使用一次；令牌被吊销后，屏幕会立即停止显示并回到本页。</p>
    </div>
  );
}

function DemoAccounts({ accounts, onFill }: { accounts: DemoAccount[]; onFill: (a: DemoAccount) => void }) {
  return (
    <section className="login-demo" aria-label="演示账号">
      <h2>演示账号</h2>
      <p className="muted small">仅演示环境提供：点击“填入”后再点“登录”。</p>
      <table>
        <thead>
          <tr>
            <th scope="col">用户名</th>
            <th scope="col">角色</th>
            <th scope="col">密码</th>
            <th scope="col">
              <span className="sr-only">操作</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <tr key={a.username} data-username={a.username}>
              <td className="mono">{a.username}</td>
              <td>{ROLE_LABELS[a.role]}</td>
              <td className="mono">{a.password}</td>
              <td>
                <button type="button" className="btn btn-small" onClick={() => onFill(a)} aria-label={`填入 ${a.username}`}>
                  填入
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
