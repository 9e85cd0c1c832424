import { describe, expect, it } from 'vitest';
import type { PayloadOf } from '../../../core/api/contract';
import type { GridEvent } from '../../../core/model';
import { reported } from '../console/test-events';
import { createEventStore, staleIds, type EventChange, type Hold } from './event-store';

type Payload = PayloadOf<'entities.changed'>;

function setup(replica: Map<string, GridEvent>) {
  const calls: string[] = [];
  let push: (p: Payload) => void = () => undefined;
  const api = {
    call: ((method: string, args: { id: string }) => {
      calls.push(`${method}:${args.id}`);
      return Promise.resolve(replica.get(args.id) ?? null);
    }) as never,
  };
  const store = createEventStore(api, (listener) => {
    push = listener;
    return () => undefined;
  });
  const changes: EventChange[] = [];
  store.subscribe((c) => changes.push(c));
  return { store, calls, changes, push: (p: Payload) => push(p) };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('event store', () => {
  it('hands on the events a push carries without a call, and keeps them', () => {
    const e = reported('e-1');
    const { store, calls, changes, push } = setup(new Map());
    push({ types: ['event'], ids: ['e-1', 'e-2'], events: [e], gone: ['e-2'], pending: ['e-1'] });
    expect(calls).toEqual([]);
    expect(changes).toHaveLength(1);
    expect(changes[0]?.events.get('e-1')).toEqual(e);
    expect(changes[0]?.events.get('e-2')).toBeNull();
    expect(changes[0]?.pending?.has('e-1')).toBe(true);
    expect(store.get('e-1')).toEqual(e);
  });

  it('asks once for a held event the push did not carry, for all its holders', async () => {
    const e = reported('e-1');
    const { store, calls, changes, push } = setup(new Map([['e-1', e]]));
    store.hold('e-1');
    store.hold('e-1');
    push({ types: ['event'], ids: ['e-1', 'e-9'] });
    await settle();
    expect(calls).toEqual(['events.get:e-1']);
    expect(changes[0]?.events.get('e-1')).toEqual(e);
    expect(changes[0]?.events.has('e-9')).toBe(false);
  });

  it('fetches a held event in full when the push carried it masked', async () => {
    const e = reported('e-1');
    const { store, calls, push } = setup(new Map([['e-1', e]]));
    const release = store.hold('e-1', true);
    push({ types: ['event'], ids: ['e-1'], events: [{ ...e, reporter: null }], masked: true });
    await settle();
    expect(calls).toEqual(['events.get:e-1']);
    release();
    push({ types: ['event'], ids: ['e-1'], events: [{ ...e, reporter: null }], masked: true });
    await settle();
    expect(calls).toHaveLength(1);
  });

  it('load shares one call between concurrent askers and then answers from memory', async () => {
    const e = reported('e-1');
    const { store, calls } = setup(new Map([['e-1', e]]));
    const [a, b] = await Promise.all([store.load('e-1'), store.load('e-1')]);
    expect(a).toEqual(e);
    expect(b).toEqual(e);
    await store.load('e-1');
    expect(calls).toEqual(['events.get:e-1']);
  });
});

describe('staleIds', () => {
  const e = reported('e-1');
  const held = new Map<string, Hold>([
    ['e-1', { count: 1, full: 1 }],
    ['e-2', { count: 2, full: 0 }],
  ]);
  it('names the held events a push did not carry, all held ones when it named none', () => {
    expect(staleIds(held, { types: ['event'], ids: ['e-1', 'e-2', 'e-3'], events: [e] }, new Map([['e-1', e]]))).toEqual(['e-2']);
    expect(staleIds(held, { types: ['event'] }, new Map())).toEqual(['e-1', 'e-2']);
  });
  it('and a held-in-full event carried masked, unless it is gone', () => {
    expect(staleIds(held, { types: ['event'], ids: ['e-1'], masked: true }, new Map([['e-1', e]]))).toEqual(['e-1']);
    expect(staleIds(held, { types: ['event'], ids: ['e-1'], masked: true }, new Map([['e-1', null]]))).toEqual([]);
    expect(staleIds(held, { types: ['event'], ids: ['e-2'], masked: true }, new Map([['e-2', e]]))).toEqual([]);
  });
});
