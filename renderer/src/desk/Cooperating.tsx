// The dispatch dialog's cooperating departments (配合部门, county-link's assignee.cooperating)
// and where its pre-filled choice came from (a dispatch rule or the list of matters).
import type { Department } from '../../../core/model';

export function CooperatingField({ lead, departments, value, onChange }: { lead: string; departments: readonly Department[]; value: readonly string[]; onChange: (ids: string[]) => void }) {
  const others = departments.filter((d) => d.id !== lead);
  const chosen = new Set(value);
  return (
    <fieldset className="field desk-cooperating" aria-label="配合部门">
      <legend>配合部门（可多选）</legend>
      {others.map((d) => (
        <label key={d.id} className="desk-check">
          <input
            type="checkbox"
            checked={chosen.has(d.id)}
            onChange={(e) => onChange(e.target.checked ? [...value.filter((x) => x !== d.id), d.id] : value.filter((x) => x !== d.id))}
          />
          {d.name}
        </label>
      ))}
    </fieldset>
  );
}

export function ProposalNote({ basis }: { basis: string }) {
  return <p className="muted small desk-proposal">已按{basis}预填派遣对象与配合部门，可修改。</p>;
}
