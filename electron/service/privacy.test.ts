// The data service masks residents' personal data per caller: a viewer (the wall,
// read-only tokens) never receives it, a dispatcher does.
import { describe, expect, it } from 'vitest';
import type { GridEvent } from '../../core/model';
import { callerOf, withPrivacy } from './privacy';
import type { ApiService } from './service';
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
};
const inner: ApiService['handle'] = async (method) =>
  method in answers ? { ok: true, result: answers[method] } : { ok: false, error: { code: 'forbidden', message: '不行' } };
const handle = withPrivacy(inner);

const UNMASKED = /1[3-9]\d{9}|\d{17}[\dXx]|张三丰|88号/;

describe('withPrivacy', () => {
  it('gives a dispatcher, and a caller that names no role, the data unmasked', async () => {
    for (const caller of [{ role: 'dispatcher' as const }, { role: 'leader' as const }, undefined]) {
      const r = await handle('events.get', { id: 'e-1' }, caller);
      expect(r).toEqual({ ok: true, result: event });
    }
  });

  it('never gives a viewer a name, phone, ID number or door number', async () => {
    for (const method of ['events.list', 'events.get', 'workers.list']) {
      const r = await handle(method, {}, { role: 'viewer' });
      expect(r.ok).toBe(true);
      expect(JSON.stringify(r)).not.toMatch(UNMASKED);
    }
    const r = await handle('events.get', { id: 'e-1' }, { role: 'viewer' });
    expect(r.ok && (r.result as GridEvent).reporter).toEqual({ name: '张**', phone: '138****5678', idNumber: '430624********1234' });
    expect(r.ok && (r.result as GridEvent).location.address).toBe('幸福路**号*栋***');
  });

  it("hides the demo county's control URL from viewers", async () => {
    expect(await handle('app.info', {}, { role: 'viewer' })).toEqual({ ok: true, result: { version: '1', demo: true } });
    expect(await handle('app.info', {}, { role: 'dispatcher' })).toEqual({ ok: true, result: answers['app.info'] });
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
