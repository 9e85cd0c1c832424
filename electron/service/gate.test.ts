// The role gate is the data service's: every call goes through createDispatcher, which
// asks core/api/access.ts before it looks at the arguments or runs a handler. The web
// shell's and the Electron bridge's only part is to name the caller (server.test.ts,
// api.e2e.test.ts and main.test.ts check it end to end).
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../core/api/contract';
import type { Handlers } from './service';
import { createDispatcher } from './service';

/** A handler for every method that only records that it ran. */
function recordingHandlers(ran: string[]): Handlers {
  return Object.fromEntries(METHOD_NAMES.map((m) => [m, () => (ran.push(m), null)])) as unknown as Handlers;
}

describe('the data service gate', () => {
  it('refuses a viewer any command, runs nothing, and answers forbidden in Chinese', async () => {
    const ran: string[] = [];
    const handle = createDispatcher(recordingHandlers(ran));
    expect(await handle('event.accept', { id: 'e-1' }, { role: 'viewer' })).toEqual({ ok: false, error: { code: 'forbidden', message: '大屏无权执行“受理”' } });
    expect(await handle('view.share', { view: null }, { role: 'viewer' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(ran).toEqual([]);
  });

  it('lets a dispatcher, and a caller that names none, run the command', async () => {
    const ran: string[] = [];
    const handle = createDispatcher(recordingHandlers(ran));
    expect(await handle('event.accept', { id: 'e-1' }, { role: 'dispatcher' })).toEqual({ ok: true, result: null });
    expect(await handle('event.accept', { id: 'e-2' })).toEqual({ ok: true, result: null });
    expect(ran).toEqual(['event.accept', 'event.accept']);
  });

  it('lets a viewer query', async () => {
    const ran: string[] = [];
    const handle = createDispatcher(recordingHandlers(ran));
    expect(await handle('events.get', { id: 'e-1' }, { role: 'viewer' })).toEqual({ ok: true, result: null });
    expect(ran).toEqual(['events.get']);
  });

  it('checks the method first, the role second, the arguments last', async () => {
    const handle = createDispatcher(recordingHandlers([]));
    expect(await handle('event.drop', {}, { role: 'viewer' })).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await handle('event.accept', { nonsense: true }, { role: 'viewer' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await handle('event.accept', { nonsense: true }, { role: 'dispatcher' })).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });

  it('refuses a role it does not know, whatever the method', async () => {
    const handle = createDispatcher(recordingHandlers([]));
    expect(await handle('app.info', {}, { role: 'root' } as never)).toMatchObject({ ok: false, error: { code: 'forbidden', message: '当前用户无权查询此项数据(app.info)' } });
  });
});
