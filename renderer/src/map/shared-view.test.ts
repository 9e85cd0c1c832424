import { describe, expect, it } from 'vitest';
import { follow, type Followed } from './shared-view';

const NONE: Followed = { view: null, by: null, version: 0 };
const shared = (version: number, view: Record<string, unknown> = { camera: { lon: 112.9, lat: 28.6, zoom: 14 } }) => ({ view, by: '调度台', at: '2026-11-28T19:00:00+08:00', version });

describe('following a shared view', () => {
  it('takes the newest view, validated, with its defaults', () => {
    const a = follow(NONE, shared(2));
    expect(a.by).toBe('调度台');
    expect(a.view?.camera).toMatchObject({ lon: 112.9, lat: 28.6, zoom: 14, bearing: 0 });
    expect(a.view?.layers.grids).toBe(true);
    // An older answer arriving late changes nothing.
    expect(follow(a, shared(1, { camera: { lon: 1, lat: 1, zoom: 3 } }))).toBe(a);
    // Nor does a first answer of "nobody shares" that left before the share.
    expect(follow(a, null, 0)).toBe(a);
  });

  it('goes back to its own view when sharing stops, and does not follow an invalid view', () => {
    const a = follow(NONE, shared(3));
    const stopped = follow(a, null);
    expect(stopped).toEqual({ view: null, by: null, version: 4 });
    const bad = follow(stopped, shared(5, { camera: { lon: 'east' } }));
    expect(bad.view).toBeNull();
    expect(bad.version).toBe(5);
    expect(bad.view === null && bad.error).toMatch(/调度台共享的视图无法显示/);
  });
});
