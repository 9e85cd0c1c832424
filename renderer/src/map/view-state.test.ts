import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CAMERA,
  defaultViewState,
  normalizeBearing,
  parseViewState,
  periodOf,
  periodWindow,
  sameCamera,
  sameSelection,
  serializeViewState,
  withCamera,
  withLayer,
  withSelection,
} from './view-state';

describe('the map view state', () => {
  it('has defaults for every field: the demo town overview, the usual layers, load fill', () => {
    const v = defaultViewState();
    expect(v.camera).toEqual(DEFAULT_CAMERA);
    expect(v.layers).toEqual({ grids: true, gridLabels: true, workers: true, trails: true, events: true, density: false, houses: false, organisations: false });
    expect(v).toMatchObject({ gridFill: 'load', selection: null, timeWindow: null, filters: {} });
  });

  it('parses a partial view, filling the rest, from an object or JSON text', () => {
    const r = parseViewState('{"camera":{"lon":112.91,"lat":28.6,"zoom":15},"selection":{"kind":"event","id":"e1"}}');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.view.camera).toEqual({ lon: 112.91, lat: 28.6, zoom: 15, bearing: 0, pitch: 0 });
    expect(r.view.selection).toEqual({ kind: 'event', id: 'e1' });
    expect(r.view.layers.grids).toBe(true);
    expect(parseViewState(undefined)).toEqual({ ok: true, view: defaultViewState() });
  });

  it('refuses a bad view with the path of what is wrong', () => {
    const zoom = parseViewState({ camera: { lon: 1, lat: 2, zoom: 40 } });
    expect(zoom.ok).toBe(false);
    expect(!zoom.ok && zoom.error).toContain('camera.zoom');
    expect(parseViewState({ selection: { kind: 'person', id: 'x' } }).ok).toBe(false);
    expect(parseViewState({ filters: { urgency: ['whenever'] } }).ok).toBe(false);
    const window = parseViewState({ timeWindow: { from: '2026-11-28T10:00:00+08:00', to: '2026-11-27T10:00:00+08:00' } });
    expect(!window.ok && window.error).toContain('起始时间不能晚于结束时间');
    expect(parseViewState('{not json')).toEqual({ ok: false, error: '视图不是有效的 JSON' });
  });

  it('serializes to a stable text that parses back to the same view', () => {
    const v = defaultViewState({
      camera: { lon: 112.9123456789, lat: 28.6, zoom: 13.33333, bearing: 0, pitch: 0 },
      filters: { urgency: ['urgent', 'critical'] },
      replay: { workerId: 'w-1', from: '2026-11-28T08:00:00+08:00', to: '2026-11-28T12:00:00+08:00' },
    });
    const text = serializeViewState(v);
    expect(text.startsWith('{"camera":{"lon":112.912346,"lat":28.6,"zoom":13.333')).toBe(true);
    const back = parseViewState(text);
    expect(back.ok && serializeViewState(back.view)).toBe(text);
    // Key order does not depend on how the object was built.
    expect(serializeViewState({ ...v, layers: { ...v.layers } })).toBe(text);
  });

  it('compares cameras within float noise, bearings modulo 360', () => {
    expect(sameCamera(DEFAULT_CAMERA, { ...DEFAULT_CAMERA, lon: DEFAULT_CAMERA.lon + 1e-8 })).toBe(true);
    expect(sameCamera(DEFAULT_CAMERA, { ...DEFAULT_CAMERA, zoom: DEFAULT_CAMERA.zoom + 0.01 })).toBe(false);
    expect(sameCamera({ ...DEFAULT_CAMERA, bearing: 359.999 }, { ...DEFAULT_CAMERA, bearing: -0.001 })).toBe(true);
    expect(normalizeBearing(270)).toBe(-90);
  });

  it('updates return the same object when nothing changes (no needless re-render)', () => {
    const v = defaultViewState();
    expect(withSelection(v, null)).toBe(v);
    expect(withCamera(v, { ...v.camera })).toBe(v);
    expect(withLayer(v, 'grids', true)).toBe(v);
    const selected = withSelection(v, { kind: 'grid', id: '430624103001001' });
    expect(selected.selection).toEqual({ kind: 'grid', id: '430624103001001' });
    expect(withSelection(selected, { kind: 'grid', id: '430624103001001' })).toBe(selected);
    expect(withLayer(v, 'density', true).layers.density).toBe(true);
    expect(sameSelection(null, undefined)).toBe(true);
    expect(sameSelection({ kind: 'grid', id: 'a' }, { kind: 'event', id: 'a' })).toBe(false);
  });
});

describe('time window presets', () => {
  // Saturday 2026-11-28 01:30 in Shanghai (still Friday in UTC).
  const NOW = Date.parse('2026-11-28T01:30:00+08:00');
  it('cover whole Shanghai days up to the end of today', () => {
    expect(periodWindow('today', NOW)).toEqual({ from: '2026-11-28T00:00:00+08:00', to: '2026-11-28T23:59:59+08:00' });
    expect(periodWindow('7d', NOW)).toEqual({ from: '2026-11-22T00:00:00+08:00', to: '2026-11-28T23:59:59+08:00' });
    expect(periodWindow('30d', NOW).from).toBe('2026-10-30T00:00:00+08:00');
  });
  it('are recognised back from a window, another window being custom', () => {
    expect(periodOf(null, NOW)).toBe('');
    expect(periodOf(periodWindow('7d', NOW), NOW)).toBe('7d');
    expect(periodOf({ from: '2026-11-01T00:00:00+08:00', to: '2026-11-02T00:00:00+08:00' }, NOW)).toBe('custom');
    // A window chosen yesterday as "today" is no longer today.
    expect(periodOf(periodWindow('today', NOW - 86_400_000), NOW)).toBe('custom');
  });
});
