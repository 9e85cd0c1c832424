// The map's legend: what the grid fill, the workers' and the events' colours mean,
// built from the same palette and class breaks as the layers, so it cannot drift. The
// fill's classes are fitted to the town's own counts (events.ts fillBreaks): the legend
// shows their actual bounds and how many grids each holds.
import { formatShanghai } from '../ui/format';
import { breakLabels, DEFAULT_FILL_BREAKS, URGENCY_LABELS, type FillClasses } from './events';
import { REGISTER_COLOURS, REGISTER_MIN_ZOOM } from './register-layers';
import type { MapPalette, Rgba } from './theme';
import type { GridFill, MapViewState } from './view-state';

const css = (c: Rgba, alpha?: number): string => `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${((alpha ?? c[3]) / 255).toFixed(3)})`;

/** Fill swatches are drawn opaque enough to read: the map's fills are translucent over the base map. */
const swatch = (c: Rgba): string => css(c, Math.max(c[3], 150));

export function Legend({ view, palette, wall, fill = null }: { view: MapViewState; palette: MapPalette; wall: boolean; fill?: FillClasses | null }) {
  return (
    <div className={`map-legend${wall ? ' map-legend-wall' : ''}`} aria-label="图例">
      {view.layers.grids && view.gridFill !== 'none' && <FillSection fill={view.gridFill} palette={palette} classes={fill} />}
      {view.layers.workers && <WorkersSection palette={palette} trails={view.layers.trails} />}
      {view.layers.events && <EventsSection palette={palette} />}
      {view.layers.density && <DensitySection timeWindow={view.timeWindow} palette={palette} />}
      {(view.layers.houses || view.layers.organisations) && <RegistersSection houses={view.layers.houses} organisations={view.layers.organisations} />}
    </div>
  );
}

/**
 * The grids' fill: one step per class of the in-progress or the overdue count, with the
 * class's bounds (fitted to the town's spread once the counts are known) and its grids.
 */
function FillSection({ fill, palette, classes }: { fill: Exclude<GridFill, 'none'>; palette: MapPalette; classes: FillClasses | null }) {
  const ramp = fill === 'overdue' ? palette.overdueRamp : palette.loadRamp;
  const breaks = (classes?.breaks ?? DEFAULT_FILL_BREAKS)[fill];
  const grids = classes?.grids[fill];
  const labels = breakLabels(breaks);
  return (
    <section data-testid="legend-fill">
      <h4>
        {fill === 'overdue' ? '网格超时事件(件)' : '网格在办事件(件)'}
        {classes && <small className="legend-note">按本镇各网格分布分级</small>}
      </h4>
      <div className="legend-ramp">
        {labels.map((label, k) => (
          <span key={label} className="legend-step" data-grids={grids?.[k]} title={grids ? `${grids[k] ?? 0} 个网格` : undefined}>
            <i style={{ background: k === 0 ? 'transparent' : swatch(ramp[k] ?? ramp[ramp.length - 1]!) }} />
            {label}
          </span>
        ))}
      </div>
    </section>
  );
}

function WorkersSection({ palette, trails }: { palette: MapPalette; trails: boolean }) {
  return (
    <section>
      <h4>网格员</h4>
      <div className="legend-row">
        <span className="legend-item">
          <b className="dot" style={{ background: css(palette.onDuty) }} />
          在岗
        </span>
        <span className="legend-item">
          <b className="dot" style={{ background: css(palette.offDuty) }} />
          不在岗
        </span>
        <span className="legend-item">
          <b className="dot" style={{ background: css(palette.onDuty, 70) }} />
          定位过时
        </span>
        {trails && (
          <span className="legend-item">
            <b className="line" style={{ background: css(palette.trail) }} />
            近 10 分钟轨迹
          </span>
        )}
      </div>
    </section>
  );
}

function EventsSection({ palette }: { palette: MapPalette }) {
  return (
    <section>
      <h4>事件</h4>
      <div className="legend-row">
        {(['normal', 'urgent', 'critical'] as const).map((u) => (
          <span key={u} className="legend-item">
            <b className="dot dot-event" style={{ background: css(palette.urgency[u]) }} />
            {URGENCY_LABELS[u]}
          </span>
        ))}
        <span className="legend-item">
          <b className="ring" style={{ borderColor: css(palette.pulse) }} />
          新事件
        </span>
        <span className="legend-item">
          <b className="ring" style={{ borderColor: css(palette.overduePulse) }} />
          超时
        </span>
      </div>
    </section>
  );
}

function DensitySection({ timeWindow, palette }: { timeWindow: MapViewState['timeWindow']; palette: MapPalette }) {
  return (
    <section>
      <h4>
        事件密度
        <small className="legend-period">
          {timeWindow ? `${formatShanghai(timeWindow.from).slice(5, 10)} 至 ${formatShanghai(timeWindow.to).slice(5, 10)}` : '近7天'}
        </small>
      </h4>
      <div className="legend-heat" style={{ background: `linear-gradient(90deg, ${palette.heatRamp.map((c) => `rgb(${c.join(',')})`).join(', ')})` }} />
      <div className="legend-heat-labels">
        <span>低</span>
        <span>高</span>
      </div>
    </section>
  );
}

/** The registers' points (register-layers.ts): drawn close up only. */
function RegistersSection({ houses, organisations }: { houses: boolean; organisations: boolean }) {
  return (
    <section data-testid="legend-registers">
      <h4>
        登记
        <small className="legend-note">放大到 {REGISTER_MIN_ZOOM} 级以上显示</small>
      </h4>
      <div className="legend-row">
        {houses && (
          <span className="legend-item">
            <b className="dot" style={{ background: css(REGISTER_COLOURS.house) }} />
            房屋
          </span>
        )}
        {organisations && (
          <>
            <span className="legend-item">
              <b className="dot" style={{ background: css(REGISTER_COLOURS.organisation) }} />
              单位
            </span>
            <span className="legend-item">
              <b className="dot" style={{ background: css(REGISTER_COLOURS.enterprise) }} />
              企业
            </span>
          </>
        )}
      </div>
    </section>
  );
}
