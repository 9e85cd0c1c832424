// A village or grid of the town, from grids.list (the caller's scope applies).
import { useQuery } from '../platform/hooks';

export function GridPicker({ value, onChange, allowAll }: { value: string; onChange: (code: string) => void; allowAll?: boolean }) {
  const grids = useQuery('grids.list', {});
  const list = grids.status === 'ok' ? grids.data.filter((g) => g.level > 1).sort((a, b) => (a.code < b.code ? -1 : 1)) : [];
  return (
    <label className="reg-picker">
      网格
      <select value={value} onChange={(e) => onChange(e.target.value)} aria-label="选择网格">
        {allowAll && <option value="">全镇</option>}
        {!allowAll && value === '' && <option value="">请选择</option>}
        {list.map((g) => (
          <option key={g.code} value={g.code}>
            {g.level === 2 ? g.name : `\u3000${g.name}`}
          </option>
        ))}
      </select>
    </label>
  );
}
