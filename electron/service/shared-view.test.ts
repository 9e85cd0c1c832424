import { describe, expect, it } from 'vitest';
import { createDispatcher, createPushHub } from './service';
import { createSharedView } from './shared-view';

const T = Date.parse('2026-11-28T19:00:00+08:00');

describe('the shared view', () => {
  const setup = () => {
    const pushes = createPushHub();
    const seen: unknown[] = [];
    pushes.subscribe((topic, payload) => topic === 'view.shared' && seen.push(payload));
    const handlers = createSharedView(pushes, () => T);
    const handle = createDispatcher(handlers as never, { error: () => {} });
    return { handle, seen };
  };

  it('keeps the latest view a screen shares, numbers it, pushes it, and stops on null', async () => {
    const { handle, seen } = setup();
    expect(await handle('view.shared', {})).toEqual({ ok: true, result: null });
    const view = { camera: { lon: 112.9, lat: 28.6, zoom: 14, bearing: 0, pitch: 0 }, selection: { kind: 'grid', id: '430624103201001' } };
    const first = await handle('view.share', { view });
    expect(first).toEqual({ ok: true, result: { view, by: '调度台', at: '2026-11-28T19:00:00+08:00', version: 1 } });
    await handle('view.share', { view: { ...view, gridFill: 'overdue' }, by: '会商屏' });
    expect(await handle('view.shared', {})).toMatchObject({ ok: true, result: { by: '会商屏', version: 2, view: { gridFill: 'overdue' } } });
    await handle('view.share', { view: null });
    expect(await handle('view.shared', {})).toEqual({ ok: true, result: null });
    expect(seen.map((p) => (p === null ? null : (p as { version: number }).version))).toEqual([1, 2, null]);
  });

  it('refuses a view that is not an object, too heavy, or an unknown key, and keeps the one it had', async () => {
    const { handle, seen } = setup();
    await handle('view.share', { view: { camera: { lon: 1, lat: 2, zoom: 3 } } });
    for (const args of [{ view: 'everything' }, { view: [1, 2] }, { view: {}, by: '' }, { view: {}, extra: 1 }, {}]) {
      const r = await handle('view.share', args);
      expect(r.ok, JSON.stringify(args)).toBe(false);
    }
    const heavy = await handle('view.share', { view: { filters: { categories: Array.from({ length: 5000 }, (_, i) => `c${i}-${'x'.repeat(8)}`) } } });
    expect(heavy).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect((heavy as { error: { message: string } }).error.message).toContain('共享视图过大');
    expect(await handle('view.shared', {})).toMatchObject({ ok: true, result: { version: 1 } });
    expect(seen).toHaveLength(1);
  });
});
