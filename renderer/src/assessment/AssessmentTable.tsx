// One table of the assessment: rows (a worker, department, village or grid) × figures,
// with score and rank where the scheme gives them. Every count, and both parts of every
// ratio, is a button that opens the events behind it.
import type { AssessmentTable as Table } from '../../../core/api/assessment';
import type { FigureValue } from '../../../core/assessment/figures';
import { figureText, percent } from './format';

export interface DrillRequest {
  target: Table['target'];
  id: string;
  name: string;
  figure: string;
  label: string;
  part: 'num' | 'den';
}

interface Props {
  table: Table;
  previous?: Table | undefined;
  onDrill: (d: DrillRequest) => void;
}

export function AssessmentTable({ table, previous, onDrill }: Props) {
  const scored = table.rows.some((r) => r.score !== undefined);
  const prevRow = new Map((previous?.rows ?? []).map((r) => [r.id, r]));
  return (
    <div className="assess-table-wrap">
      <table className="assess-table" data-testid={`table-${table.target}`}>
        <thead>
          <tr>
            {scored && <th>名次</th>}
            <th>名称</th>
            {table.columns.map((c) => (
              <th key={c.key}>
                {c.label}
                {c.unit ? `（${c.unit}）` : ''}
              </th>
            ))}
            {scored && <th>总分{table.fullScore ? `（满分${table.fullScore}）` : ''}</th>}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row.id}>
              {scored && <td className="num">{row.rank}</td>}
              <td>
                {row.name}
                {row.parent && <span className="muted small"> {row.parent}</span>}
              </td>
              {table.columns.map((c) => (
                <td key={c.key} className="num" data-testid={`fig-${table.target}-${row.id}-${c.key}`}>
                  <Cell
                    value={row.values[c.key]}
                    unit={c.unit}
                    drill={c.drill ? (part) => onDrill({ target: table.target, id: row.id, name: row.name, figure: c.key, label: c.label, part }) : null}
                  />
                  {previous && <Prev value={prevRow.get(row.id)?.values[c.key]} />}
                </td>
              ))}
              {scored && (
                <td className="num strong" data-testid={`score-${table.target}-${row.id}`}>
                  {row.score?.toFixed(2)}
                  {previous && prevRow.get(row.id)?.score !== undefined && <span className="muted small"> 上期 {prevRow.get(row.id)?.score?.toFixed(2)}</span>}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Cell({ value, unit, drill }: { value: FigureValue | undefined; unit: string | undefined; drill: ((part: 'num' | 'den') => void) | null }) {
  if (!value) return <>—</>;
  if (value.d !== undefined) {
    return (
      <span className="ratio">
        <span className="rate">{percent(value.rate)}</span>{' '}
        <span className="muted small">
          {drill ? <Link n={value.n ?? 0} onClick={() => drill('num')} part="num" /> : value.n}/
          {drill ? <Link n={value.d} onClick={() => drill('den')} part="den" /> : value.d}
        </span>
      </span>
    );
  }
  if (drill && value.n !== null) return <Link n={value.n} onClick={() => drill('num')} part="num" />;
  return <>{figureText(value, unit)}</>;
}

function Link({ n, onClick, part }: { n: number; onClick: () => void; part: 'num' | 'den' }) {
  return (
    <button type="button" className="linkish" data-part={part} onClick={onClick} disabled={n === 0} title="在事件队列中查看这些事件">
      {n}
    </button>
  );
}

function Prev({ value }: { value: FigureValue | undefined }) {
  if (!value) return null;
  return <div className="muted small">上期 {value.d !== undefined ? percent(value.rate) : (value.n ?? '—')}</div>;
}
