// The field desk's small map: an SVG in metres around a centre (the incident, or the
// town), with the search circle, grid outlines, and points by kind. Positions change as
// the pushes bring them, and the points move with them.
import type { MultiPolygon, Polygon } from 'geojson';
import { pathOf, projection } from './geo';

export interface MapPoint {
  id: string;
  lon: number;
  lat: number;
  /** worker, notified (a worker told to come), a resource kind, or a device state. */
  kind: string;
  label: string;
}

export interface MapArea {
  id: string;
  geometry: Polygon | MultiPolygon;
  /** CSS class: unpatrolled, patrolled. */
  tone: string;
  label: string;
}

export function FieldMap({
  center,
  radiusM,
  points,
  areas = [],
  label,
  halfSpanM,
}: {
  center: { lon: number; lat: number };
  /** The search circle (none when null). */
  radiusM: number | null;
  points: readonly MapPoint[];
  areas?: readonly MapArea[];
  label: string;
  /** Half the shown width; default 1.25 × the radius. */
  halfSpanM?: number;
}) {
  const p = projection(center.lon, center.lat);
  const half = halfSpanM ?? (radiusM ?? 1000) * 1.25;
  const r = half / 60;
  return (
    <svg className="field-map" viewBox={`${-half} ${-half} ${2 * half} ${2 * half}`} role="img" aria-label={label}>
      {areas.map((a) => (
        <path key={a.id} d={pathOf(a.geometry, p)} className={`area area-${a.tone}`} data-grid={a.id} strokeWidth={r / 4}>
          <title>{a.label}</title>
        </path>
      ))}
      {radiusM !== null && <circle cx={0} cy={0} r={radiusM} className="radius" strokeWidth={r / 3} />}
      {radiusM !== null && <circle cx={0} cy={0} r={r * 1.2} className="incident" />}
      {points.map((pt) => {
        const x = p.x(pt.lon);
        const y = p.y(pt.lat);
        const square = pt.kind !== 'worker' && pt.kind !== 'notified';
        return (
          <g key={`${pt.kind}:${pt.id}`} className={`pt pt-${pt.kind}`} data-testid={`map-${pt.kind}`} data-id={pt.id}>
            {square ? <rect x={x - r * 0.7} y={y - r * 0.7} width={r * 1.4} height={r * 1.4} /> : <circle cx={x} cy={y} r={pt.kind === 'notified' ? r : r * 0.7} />}
            <title>{pt.label}</title>
          </g>
        );
      })}
    </svg>
  );
}
