// Track replay on the console's map: with a grid worker selected, pick a period (the
// last hour, today, yesterday); the map draws the track with its stops (停留) and the
// worker's place at the cursor, which the slider moves or playback runs forward.
import { useEffect, useRef, useState } from 'react';
import { toIso } from '../../../core/time/shanghai';
import { formatShanghai } from '../ui/format';
import { useQuery } from '../platform/hooks';
import { advance, REPLAY_PERIODS, REPLAY_SPEEDS, replayFor, replayKey, seek, type ReplaySummary } from './replay';
import type { MapViewState } from './view-state';

const TICK_MS = 200;

type Replay = NonNullable<MapViewState['replay']>;
type PeriodKey = (typeof REPLAY_PERIODS)[number]['key'];

export function ReplayPanel({ view, summary, onChange }: { view: MapViewState; summary: ReplaySummary | null; onChange: (view: MapViewState) => void }) {
  const replay = view.replay ?? null;
  const workerId = replay?.workerId ?? (view.selection?.kind === 'worker' ? view.selection.id : null);
  const workers = useQuery('workers.list', {});
  const [speed, setSpeed] = useState(REPLAY_SPEEDS[0]!);
  const [playing, setPlaying] = usePlayback(view, onChange, speed);

  if (!workerId) return null;
  const name = workers.status === 'ok' ? (workers.data.find((w) => w.id === workerId)?.name ?? workerId) : '';
  if (!replay) {
    const start = (period: PeriodKey): void => {
      setPlaying(false);
      onChange({ ...view, replay: replayFor(workerId, period, Date.now()) });
    };
    return <ReplayStart name={name} onStart={start} />;
  }
  const loaded = summary && summary.key === replayKey(replay) ? summary : null;
  return (
    <div className="grid-map-replay grid-map-replay-on" role="group" aria-label="轨迹回放">
      <ReplayHead name={name} replay={replay} loaded={loaded} />
      <ReplayControls
        replay={replay}
        loaded={loaded}
        playing={playing}
        setPlaying={setPlaying}
        speed={speed}
        setSpeed={setSpeed}
        onReplay={(next) => onChange({ ...view, replay: next })}
      />
    </div>
  );
}

/**
 * Playback: while playing, the cursor moves forward every tick at the speed, and stops
 * at the end or when the replay ends. The interval reads the latest view without
 * restarting on every cursor step.
 */
function usePlayback(view: MapViewState, onChange: (view: MapViewState) => void, speed: number) {
  const [playing, setPlaying] = useState(false);
  const latest = useRef({ view, onChange });
  latest.current = { view, onChange };
  const replay = view.replay ?? null;

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      const { view: v, onChange: change } = latest.current;
      if (!v.replay) return setPlaying(false);
      const next = advance(v.replay, TICK_MS, speed);
      change({ ...v, replay: { ...v.replay, at: next.at } });
      if (next.done) setPlaying(false);
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [playing, speed]);
  useEffect(() => {
    if (!replay) setPlaying(false);
  }, [replay]);
  return [playing, setPlaying] as const;
}

/** No replay yet: the worker's name and a button per period. */
function ReplayStart({ name, onStart }: { name: string; onStart: (period: PeriodKey) => void }) {
  return (
    <div className="grid-map-replay" role="group" aria-label="轨迹回放">
      <span className="grid-map-replay-title">轨迹回放 {name}</span>
      {REPLAY_PERIODS.map((p) => (
        <button key={p.key} type="button" onClick={() => onStart(p.key)}>
          {p.label}
        </button>
      ))}
    </div>
  );
}

function ReplayHead({ name, replay, loaded }: { name: string; replay: Replay; loaded: ReplaySummary | null }) {
  return (
    <div className="grid-map-replay-head">
      <span className="grid-map-replay-title">
        轨迹回放 {name} · {formatShanghai(replay.from)} — {formatShanghai(replay.to)}
      </span>
      <span className="grid-map-replay-summary" data-testid="replay-summary">
        {loaded ? (loaded.fixes === 0 ? '该时段没有定位记录' : `定位 ${loaded.fixes} 个 · 停留 ${loaded.stops} 处`) : '正在读取轨迹…'}
      </span>
    </div>
  );
}

interface ControlsProps {
  replay: Replay;
  loaded: ReplaySummary | null;
  playing: boolean;
  setPlaying: (playing: boolean) => void;
  speed: number;
  setSpeed: (speed: number) => void;
  /** A new replay state (the cursor moved), or null: leave the replay. */
  onReplay: (replay: Replay | null) => void;
}

/** Play or pause (from the start again at the end), the cursor, the speed, leave. */
function ReplayControls({ replay, loaded, playing, setPlaying, speed, setSpeed, onReplay }: ControlsProps) {
  const from = Date.parse(replay.from);
  const to = Date.parse(replay.to);
  const at = replay.at ? Date.parse(replay.at) : to;
  return (
    <div className="grid-map-replay-row">
      <button type="button" onClick={() => (at >= to ? (onReplay(seek(replay, from)), setPlaying(true)) : setPlaying(!playing))} disabled={!loaded || loaded.fixes === 0}>
        {playing ? '暂停' : '播放'}
      </button>
      <input
        type="range"
        aria-label="回放时刻"
        min={from}
        max={to}
        step={1000}
        value={at}
        onChange={(e) => {
          setPlaying(false);
          onReplay(seek(replay, Number(e.target.value)));
        }}
      />
      <output className="mono" aria-label="当前时刻">
        {toIso(at).slice(11, 19)}
      </output>
      <select aria-label="回放速度" value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
        {REPLAY_SPEEDS.map((s) => (
          <option key={s} value={s}>
            {s}×
          </option>
        ))}
      </select>
      <button type="button" onClick={() => onReplay(null)}>
        退出回放
      </button>
    </div>
  );
}
