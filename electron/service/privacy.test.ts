// The data service masks residents' personal data for every caller: phone and ID
// numbers for every role, names and addresses too for a room's screens (viewer,
// secretary) and the admin. The reveal is the one answer left as it is.
import { describe, expect, it } from 'vitest';
import type { GridEvent } from '../../core/model';
import { callerOf, pushForCaller, withPrivacy } from './privacy';
import type { ApiService, PushListener } from './service';
import { freshWorkflow } from '../../core/events/transition';

const event: GridEvent = {
  id: 'e-1',
  code: 'GP20261128-0001',
  title: '噪音扰民',
  description: '来电人电话13812345678',
  category: '0101',
  status: 'reported',
  urgency: 'normal',
  source: 'hotline',
  location: { lon: 112.9, lat: 28.6, address: '幸福路88号2栋301' },
  grid: '430624103001001',
  reportedAt: '2026-11-28T09:00:00+08:00',
  reporter: { name: '张三丰', phone: '13812345678', idNumber: '430624199001011234' },
  ...freshWorkflow(),
  tier: 'simple',
};

const answers: Record<string, unknown> = {
  'events.list': { items: [event], total: 1, offset: 0, limit: 100 },
  'events.get': event,
  'app.info': { version: '1', demo: true, demoCounty: 'http://127.0.0.1:9' },
  'workers.list': [{ id: 'w-1', name: '刘德明', phone: '13600002222' }],
  'personal.reveal': { phone: '13812345678' },
};
const inner: ApiService['handle'] = async (method) =>
  method in answers ? { ok: true, result: answers[method] } : { ok: false, error: { code: 'forbidden', message: '不行' } };
const handle = withPrivacy(inner);

const UNMASKED = /1[3-9]\d{9}|\d{17}[\dXx]|张三丰|88号/;

describe('withPrivacy', () => {
  it('gives the roles that work a case names and addresses, never a phone or ID number', async () => {
    for (const caller of [{ role: 'dispatcher' as const }, { role: 'leader' as const }, { role: 'department' as const }, { role: 'village' as const }, undefined]) {
      const r = await handle('events.get', { id: 'e-1' }, caller);
      expect(r.ok && (r.result as GridEvent).reporter).toEqual({ name: '张三丰', phone: '138****5678', idNumber: '430624********1234' });
      expect(r.ok && (r.result as GridEvent).location.address).toBe('幸福路88号2栋301');
      expect(r.ok && (r.result as GridEvent).description).toBe('来电人电话138****5678');
      // A grid worker's phone is the work's own.
      expect(await handle('workers.list', {}, caller)).toEqual({ ok: true, result: answers['workers.list'] });
    }
  });

  it('leaves the reveal, the recorded exception, as it is', async () => {
    expect(await handle('personal.reveal', {}, { role: 'dispatcher' })).toEqual({ ok: true, result: { phone: '13812345678' } });
  });

  it('never gives a viewer, a secretary or an admin a name, phone, ID number or door number', async () => {
    for (const role of ['viewer', 'secretary', 'admin'] as const) {
      for (const method of ['events.list', 'events.get', 'workers.list']) {
        const r = await handle(method, {}, { role });
        expect(r.ok).toBe(true);
        expect(JSON.stringify(r)).not.toMatch(UNMASKED);
      }
    }
    const r = await handle('events.get', { id: 'e-1' }, { role: 'viewer' });
    expect(r.ok && (r.result as GridEvent).reporter).toEqual({ name: '张**', phone: '138****5678', idNumber: '430624********1234' });
    expect(r.ok && (r.result as GridEvent).location.address).toBe('幸福路**号*栋***');
  });

  it("hides the demo county's control URL from viewers", async () => {
    expect(await handle('app.info', {}, { role: 'viewer' })).toEqual({ ok: true, result: { version: '1', demo: true } });
    expect(await handle('app.info', {}, { role: 'dispatcher' })).toEqual({ ok: true, result: answers['app.info'] });
  });

  it('masks each push once per level, and each caller gets its own level', () => {
    const got: Record<string, unknown[]> = { dispatcher: [], leader: [], viewer: [] };
    const listeners = (['dispatcher', 'leader', 'viewer'] as const).map((role) =>
      pushForCaller(((_topic: string, payload: unknown) => got[role]!.push(payload)) as PushListener, { role }),
    );
    const payload = { types: ['event'], ids: ['e-1'], events: [event] };
    for (const l of listeners) l('entities.changed', payload as never);
    const [d, l, v] = [got.dispatcher![0], got.leader![0], got.viewer![0]] as { events: GridEvent[]; masked?: boolean }[];
    expect(d).toBe(l);
    expect(d?.events[0]?.reporter).toEqual({ name: '张三丰', phone: '138****5678', idNumber: '430624********1234' });
    expect(d?.masked).toBeUndefined();
    expect(v?.masked).toBe(true);
    expect(JSON.stringify(v)).not.toMatch(UNMASKED);
    expect(JSON.stringify(d)).not.toMatch(/1[3-9]\d{9}|\d{17}[\dXx]/);
  });

  it('passes errors through unchanged', async () => {
    expect(await handle('nope', {}, { role: 'viewer' })).toEqual({ ok: false, error: { code: 'forbidden', message: '不行' } });
  });
});

describe('callerOf (requests from the Electron main process)', () => {
  it('takes the window the main process named: the wall is a viewer, a malformed context too', () => {
    expect(callerOf({})).toEqual({ role: 'dispatcher' });
    expect(callerOf({ context: { seat: { kind: 'window', window: 'console' } } })).toEqual({ role: 'dispatcher' });
    expect(callerOf({ context: { seat: { kind: 'window', window: 'wall' }, view: 'wall' } })).toEqual({ role: 'viewer' });
    expect(callerOf({ context: null })).toEqual({ role: 'viewer' });
    expect(callerOf({ context: 'dispatcher' })).toEqual({ role: 'viewer' });
  });
});
