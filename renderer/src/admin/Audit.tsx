// 审计日志: the audit trail, newest first, filtered by kind, person, target and time,
// paged backwards (each page the entries before the last one shown).
import { useCallback, useEffect, useState } from 'react';
import type { ResultOf } from '../../../core/api/contract';
import { AUDIT_KINDS, type AuditKind } from '../../../core/api/people';
import { ROLE_LABELS } from '../../../core/events/labels';
import { errorText } from '../console/data';
import { useApi } from '../platform/context';
import { useQuery } from '../platform/hooks';
import { formatShanghai } from '../ui/format';
import { AUDIT_KIND_LABELS, EMPTY_AUDIT, auditArgs, type AuditFilters } from './admin-model';

type Entry = ResultOf<'audit.list'>['entries'][number];

export function Audit() {
  const [filters, setFilters] = useState<AuditFilters>(EMPTY_AUDIT);
  const log = useAuditPages(filters);
  return (
    <section className="admin-card" aria-label="审计日志">
      <h2>审计日志</h2>
      <AuditFilterBar filters={filters} onChange={setFilters} />
      {log.error && (
        <p className="form-error" role="alert">
          {log.error}
        </p>
      )}
      <p className="muted small">共 {log.total} 条（最新在前）。日志只增不改，每条带哈希链，可用 npm run audit -- verify 校验。</p>
      <table className="data-table">
        <thead>
          <tr>
            <th>序号</th>
            <th>时间</th>
            <th>类别</th>
            <th>人员</th>
            <th>位置</th>
            <th>操作</th>
            <th>对象</th>
            <th>说明</th>
          </tr>
        </thead>
        <tbody>
          {log.entries.map((e) => (
            <AuditRow key={e.seq} entry={e} />
          ))}
        </tbody>
      </table>
      {log.more && (
        <button type="button" className="btn" style={{ alignSelf: 'flex-start' }} onClick={log.next}>
          更早的记录
        </button>
      )}
    </section>
  );
}

function useAuditPages(filters: AuditFilters) {
  const api = useApi();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    async (before?: number) => {
      const checked = auditArgs(filters, before);
      if (!checked.ok) return setError(checked.message);
      try {
        const page = await api.call('audit.list', checked.args);
        setEntries((prev) => (before === undefined ? page.entries : [...prev, ...page.entries]));
        setTotal(page.total);
        setError(null);
      } catch (err) {
        setError(errorText(err));
      }
    },
    [api, filters],
  );
  useEffect(() => {
    void load();
  }, [load]);
  const last = entries[entries.length - 1];
  return { entries, total, error, more: last !== undefined && entries.length < total && last.seq > 1, next: () => void load(last?.seq) };
}

function AuditFilterBar({ filters, onChange }: { filters: AuditFilters; onChange: (f: AuditFilters) => void }) {
  const accounts = useQuery('accounts.list');
  const set = (patch: Partial<AuditFilters>): void => onChange({ ...filters, ...patch });
  return (
    <div className="form-grid">
      <label>
        类别
        <select value={filters.kind} onChange={(e) => set({ kind: e.target.value as AuditKind | '' })}>
          <option value="">全部</option>
          {AUDIT_KINDS.map((k) => (
            <option key={k} value={k}>
              {AUDIT_KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <label>
        人员
        <select value={filters.actorId} onChange={(e) => set({ actorId: e.target.value })}>
          <option value="">全部</option>
          {(accounts.data ?? []).map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}（{a.username}）
            </option>
          ))}
        </select>
      </label>
      <label>
        对象（事件或账号编号）
        <input value={filters.target} onChange={(e) => set({ target: e.target.value })} />
      </label>
      <label>
        起始时间
        <input type="datetime-local" value={filters.from} onChange={(e) => set({ from: e.target.value })} />
      </label>
      <label>
        结束时间
        <input type="datetime-local" value={filters.to} onChange={(e) => set({ to: e.target.value })} />
      </label>
    </div>
  );
}

function AuditRow({ entry }: { entry: Entry }) {
  const role = (ROLE_LABELS as Partial<Record<string, string>>)[entry.role] ?? entry.role;
  return (
    <tr data-kind={entry.kind}>
      <td className="mono">{entry.seq}</td>
      <td className="mono">{formatShanghai(entry.at)}</td>
      <td>{AUDIT_KIND_LABELS[entry.kind]}</td>
      <td>
        {entry.actorName}
        {role ? <span className="muted">（{role}）</span> : null}
      </td>
      <td className="small">{entry.seat}</td>
      <td className="mono small">{entry.action}</td>
      <td className="mono small">{entry.target ?? '—'}</td>
      <td className="small">{entry.detail}</td>
    </tr>
  );
}
