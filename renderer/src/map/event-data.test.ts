import { describe, expect, it } from 'vitest';
import type { GridEvent } from '../../../core/model';
import { handled, reported, run } from '../console/test-events';
import { MapEventData } from './event-data';
import { OPEN_STATUSES } from './events';
import type { MapDataSource } from './source';

function setup(list: GridEvent[], single: Map<string, GridEvent>) {
  const calls: string[] = [];
  const source = {
    events: () => {
      calls.push('events');
      return Promise.resolve(list);
    },
    event: (id: string) => {
      calls.push(`event:${id}`);
      return Promise.resolve(single.get(id) ?? null);
    },
  } as unknown as MapDataSource;
  let changes = 0;
  const data = new MapEventData(source, { open: OPEN_STATUSES, keepClosed: () => false, changed: () => changes++, error: () => undefined });
  return { data, calls, changes: () => changes };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('MapEventData', () => {
  it('loads the open events, then applies the events a change carries without asking', async () => {
    const { data, calls } = setup([reported('e-1')], new Map());
    await data.load();
    expect(data.loaded).toBe(true);
    const v = data.version;
    const fresh = data.change(['e-2', 'e-1'], new Map<string, GridEvent | null>([['e-2', reported('e-2')], ['e-1', null]]));
    expect(fresh).toEqual(['e-2']);
    expect([...data.events.keys()]).toEqual(['e-2']);
    expect(data.version).toBeGreaterThan(v);
    expect(calls).toEqual(['events']);
  });

  it('asks for the events a change did not carry, one call each', async () => {
    const closed = run(handled('e-3'), 'event.verify', { id: 'e-3' }, Date.now());
    const { data, calls } = setup([handled('e-3')], new Map([['e-3', closed], ['e-4', reported('e-4')]]));
    await data.load();
    data.change(['e-3', 'e-4']);
    await settle();
    expect(calls).toEqual(['events', 'event:e-3', 'event:e-4']);
    expect(data.events.has('e-4')).toBe(true);
    expect(data.events.get('e-3')?.status).toBe(closed.status);
  });

  it('loads everything again after a change without ids', async () => {
    const { data, calls } = setup([], new Map());
    data.change(undefined);
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toEqual(['events']);
    data.destroy();
  });
});
