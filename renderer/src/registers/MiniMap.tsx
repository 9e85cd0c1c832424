// A grid's outline with its houses and organisations as points (registers.layers): the
// profile's map. Plain SVG in the grid's own box (equirectangular at its latitude).
import type { Grid } from '../../../core/model';
import { useQuery } from '../platform/hooks';

const W = 420;
const H = 300;

function rings(g: Grid): number[][][] {
  return g.geometry.type === 'Polygon' ? [g.geometry.coordinates[0] ?? []] : g.geometry.coordinates.map((p) => p[0] ?? []);
}

export function MiniMap({ grid }: { grid: Grid }) {
  const layers = useQuery('registers.layers', { grid: grid.code });
  const outline = rings(grid);
  const xs = outline.flat().map((p) => p[0]!);
  const ys = outline.flat().map((p) => p[1]!);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const k = Math.cos(((y0 + y1) / 2) * (Math.PI / 180));
  const scale = Math.min(W / ((x1 - x0) * k || 1), H / (y1 - y0 || 1));
  const px = (lon: number, lat: number): [number, number] => [(lon - x0) * k * scale, H - (lat - y0) * scale];
  return (
    <figure className="reg-map" aria-label="网格地图" data-testid="reg-map">
      <svg width={W} height={H} viewBox={`-4 -4 ${W + 8} ${H + 8}`}>
        {outline.map((ring, i) => (
          <polygon key={i} points={ring.map((p) => px(p[0]!, p[1]!).join(',')).join(' ')} fill="rgba(37,99,235,0.06)" stroke="#2563eb" />
        ))}
        {layers.status === 'ok' &&
          layers.data.houses.map((h) => {
            const [cx, cy] = px(h.lon, h.lat);
            return <circle key={h.id} cx={cx} cy={cy} r={1.8} fill="#64748b" />;
          })}
        {layers.status === 'ok' &&
          layers.data.organisations.map((o) => {
            const [cx, cy] = px(o.lon, o.lat);
            return (
              <rect key={o.id} x={cx - 3.5} y={cy - 3.5} width={7} height={7} fill={o.kind === 'enterprise' ? '#d97706' : '#059669'}>
                <title>{o.name}</title>
              </rect>
            );
          })}
      </svg>
      <figcaption className="muted small">● 房屋 ■ 单位（绿）/ 企业（橙）</figcaption>
    </figure>
  );
}
