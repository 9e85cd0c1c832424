// The scope pickers of an account: a department for a department operator, villages
// (communities) for a village operator; nothing for the roles that see the whole town.
import { useQuery } from '../platform/hooks';
import type { AccountRole } from '../../../core/model';
import { scopeOf } from './admin-model';

interface Props {
  role: AccountRole;
  departmentId: string;
  grids: string[];
  onChange: (patch: { departmentId?: string; grids?: string[] }) => void;
}

export function ScopeFields({ role, departmentId, grids, onChange }: Props) {
  const scope = scopeOf(role);
  if (scope.department) return <DepartmentPicker value={departmentId} onChange={(id) => onChange({ departmentId: id })} />;
  if (scope.grids) return <VillagePicker value={grids} onChange={(g) => onChange({ grids: g })} />;
  return <p className="muted small">该角色可查看全镇范围。</p>;
}

function DepartmentPicker({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const departments = useQuery('departments.list');
  return (
    <label className="form-stack">
      所属部门
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">请选择部门</option>
        {(departments.data ?? []).map((d) => (
          <option key={d.id} value={d.id}>
            {d.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function VillagePicker({ value, onChange }: { value: string[]; onChange: (grids: string[]) => void }) {
  const tree = useQuery('grids.tree');
  const villages = tree.data?.children ?? [];
  return (
    <fieldset className="form-stack">
      <legend className="small muted">负责的村（社区）</legend>
      <div className="scope-list">
        {villages.map((v) => (
          <label key={v.code}>
            <input
              type="checkbox"
              checked={value.includes(v.code)}
              onChange={(e) => onChange(e.target.checked ? [...value, v.code] : value.filter((c) => c !== v.code))}
            />
            {v.name}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
