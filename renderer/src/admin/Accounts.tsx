// 账号管理: every account of the town, made, changed, disabled and reset here. A role's
// scope is picked where the role has one: the department of a department operator, the
// villages (communities) of a village operator.
import { useId, useState, type FormEvent } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import { ROLE_LABELS } from '../../../core/events/labels';
import { ACCOUNT_ROLES, type AccountRole } from '../../../core/model';
import { scopeProblem } from '../../../core/people/policy';
import { errorText } from '../console/data';
import { useApi } from '../platform/context';
import { useQuery } from '../platform/hooks';
import { useSession } from '../session/context';
import { formatShanghai } from '../ui/format';
import { EMPTY_ACCOUNT, accountCreateArgs, accountState, scopeOf, type AccountForm } from './admin-model';
import { ScopeFields } from './ScopeFields';
import { FormMessage, type FormResult } from './FormMessage';

type Account = ResultOf<'accounts.list'>[number];

export function Accounts() {
  const accounts = useQuery('accounts.list');
  const scopeText = useScopeText();
  const [editing, setEditing] = useState<Account | null>(null);
  return (
    <>
      <CreateAccount onCreated={accounts.reload} />
      {editing && (
        <EditAccount
          account={editing}
          onDone={() => {
            setEditing(null);
            accounts.reload();
          }}
        />
      )}
      <section className="admin-card" aria-label="账号列表">
        <h2>账号列表</h2>
        {accounts.status === 'error' && <p className="form-error">{accounts.error}</p>}
        <table className="data-table">
          <thead>
            <tr>
              <th>用户名</th>
              <th>姓名</th>
              <th>角色</th>
              <th>范围</th>
              <th>状态</th>
              <th>最近登录</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            {(accounts.data ?? []).map((a) => (
              <AccountRow key={a.id} account={a} scopeText={scopeText} onChanged={accounts.reload} onEdit={() => setEditing(a)} />
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

function CreateAccount({ onCreated }: { onCreated: () => void }) {
  const api = useApi();
  const [form, setForm] = useState<AccountForm>(EMPTY_ACCOUNT);
  const [message, setMessage] = useState<FormResult | null>(null);
  const set = (patch: Partial<AccountForm>): void => setForm((f) => ({ ...f, ...patch }));
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const checked = accountCreateArgs(form);
    if (!checked.ok) return setMessage({ ok: false, text: checked.message });
    try {
      const made = await api.call('accounts.create', checked.args);
      setMessage({ ok: true, text: `已创建账号 ${made.username}（${ROLE_LABELS[made.role]}）：首次登录须修改密码。` });
      setForm(EMPTY_ACCOUNT);
      onCreated();
    } catch (err) {
      setMessage({ ok: false, text: errorText(err) });
    }
  };
  return (
    <section className="admin-card" aria-label="新建账号">
      <h2>新建账号</h2>
      <form className="form-stack" onSubmit={(e) => void submit(e)}>
        <div className="form-grid">
          <TextField label="用户名" value={form.username} onChange={(username) => set({ username })} />
          <TextField label="姓名" value={form.name} onChange={(name) => set({ name })} />
          <RoleField value={form.role} onChange={(role) => set({ role })} />
          <TextField label="初始密码" value={form.password} onChange={(password) => set({ password })} type="password" />
        </div>
        <ScopeFields role={form.role} departmentId={form.departmentId} grids={form.grids} onChange={set} />
        <button type="submit" className="btn btn-primary" style={{ alignSelf: 'flex-start' }}>
          创建账号
        </button>
        <FormMessage message={message} />
      </form>
    </section>
  );
}

/** Name, role and scope of an existing account (accounts.update; its sessions end when the role changes). */
function EditAccount({ account, onDone }: { account: Account; onDone: () => void }) {
  const api = useApi();
  const [name, setName] = useState(account.name);
  const [role, setRole] = useState<AccountRole>(account.role);
  const [departmentId, setDepartmentId] = useState(account.departmentId ?? '');
  const [grids, setGrids] = useState<string[]>(account.grids ?? []);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const scope = scopeOf(role);
    const problem = scopeProblem(role, { departmentId: scope.department ? departmentId : null, grids: scope.grids ? grids : null });
    if (problem) return setError(`${problem}。`);
    try {
      await api.call('accounts.update', {
        id: account.id,
        name,
        role,
        departmentId: scope.department ? departmentId : null,
        grids: scope.grids ? grids : null,
      });
      onDone();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <section className="admin-card" aria-label="修改账号">
      <h2>修改账号 {account.username}</h2>
      <form className="form-stack" onSubmit={(e) => void submit(e)}>
        <div className="form-grid">
          <TextField label="姓名" value={name} onChange={setName} />
          <RoleField value={role} onChange={setRole} />
        </div>
        <ScopeFields
          role={role}
          departmentId={departmentId}
          grids={grids}
          onChange={(p) => {
            if (p.departmentId !== undefined) setDepartmentId(p.departmentId);
            if (p.grids !== undefined) setGrids(p.grids);
          }}
        />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="row-actions">
          <button type="submit" className="btn btn-primary">
            保存
          </button>
          <button type="button" className="btn" onClick={onDone}>
            取消
          </button>
        </div>
      </form>
    </section>
  );
}

function AccountRow({ account, scopeText, onChanged, onEdit }: { account: Account; scopeText: (a: Account) => string; onChanged: () => void; onEdit: () => void }) {
  const api = useApi();
  const { user } = useSession();
  const [resetting, setResetting] = useState(false);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const act = async (call: () => Promise<unknown>): Promise<void> => {
    try {
      await call();
      setError(null);
      setResetting(false);
      setPassword('');
      onChanged();
    } catch (err) {
      setError(errorText(err));
    }
  };
  const self = account.id === user.id;
  return (
    <tr data-username={account.username}>
      <td className="mono">{account.username}</td>
      <td>{account.name}</td>
      <td>{ROLE_LABELS[account.role]}</td>
      <td className="small">{scopeText(account)}</td>
      <td>{accountState(account, Date.now())}</td>
      <td>{formatShanghai(account.lastLoginAt)}</td>
      <td>
        <div className="row-actions">
          <button type="button" className="btn btn-small" onClick={onEdit}>
            修改
          </button>
          {!self && (
            <button type="button" className="btn btn-small" onClick={() => void act(() => api.call('accounts.update', { id: account.id, disabled: !account.disabled }))}>
              {account.disabled ? '启用' : '停用'}
            </button>
          )}
          {resetting ? (
            <form className="inline-form" onSubmit={(e) => (e.preventDefault(), void act(() => api.call('accounts.reset', { id: account.id, password })))}>
              <input type="password" aria-label={`${account.username} 的新密码`} value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
              <button type="submit" className="btn btn-small btn-primary">
                确认重置
              </button>
            </form>
          ) : (
            <button type="button" className="btn btn-small" onClick={() => setResetting(true)}>
              重置密码
            </button>
          )}
        </div>
        {error && <span className="form-error small">{error}</span>}
      </td>
    </tr>
  );
}

/** An account's scope in words: its department's name, its villages' names, or 全镇. */
function useScopeText(): (account: Pick<Account, 'departmentId' | 'grids'>) => string {
  const departments = useQuery('departments.list');
  const tree = useQuery('grids.tree');
  return (account) => {
    if (account.departmentId) return departments.data?.find((d) => d.id === account.departmentId)?.name ?? account.departmentId;
    if (!account.grids?.length) return '全镇';
    const names = new Map((tree.data?.children ?? []).flatMap((v) => [[v.code, v.name] as const, ...v.children.map((g) => [g.code, g.name] as const)]));
    return account.grids.map((g) => names.get(g) ?? g).join('、');
  };
}

function TextField({ label, value, onChange, type = 'text' }: { label: string; value: string; onChange: (v: string) => void; type?: string }) {
  const id = useId();
  return (
    <label htmlFor={id}>
      {label}
      <input id={id} type={type} value={value} onChange={(e) => onChange(e.target.value)} autoComplete={type === 'password' ? 'new-password' : 'off'} maxLength={128} />
    </label>
  );
}

function RoleField({ value, onChange }: { value: AccountRole; onChange: (role: AccountRole) => void }) {
  return (
    <label>
      角色
      <select value={value} onChange={(e) => onChange(e.target.value as AccountRole)}>
        {ACCOUNT_ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </select>
    </label>
  );
}
