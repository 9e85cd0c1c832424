// The web shell's command line as `npm run serve` runs it: with no --county it starts
// the bundled county simulator and the replica, prints its one line, serves the API
// with the synced demo town, and stops cleanly on SIGTERM.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { SOCKET } from '../../core/api/channels';
import type { ApiResponse } from '../../core/api/contract';
import { exited, useCli } from '../service/test-cli';

const { run, temp } = useCli();

describe('npm run serve', () => {
  it('runs the full demo without --county: simulator, replica, API; stops on SIGTERM', async () => {
    const dir = temp();
    const db = join(dir, 'data', 'replica.sqlite');
    const shell = run('electron/web/cli.ts', ['--port', '0', '--db', db, '--renderer', join(dir, 'none')]);
    const [, url] = await shell.line(/^GridDeck listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
    expect(shell.output()).toMatch(/county: the bundled county simulator at http:\/\/127\.0\.0\.1:\d+/);
    expect(existsSync(join(dir, 'data', 'county.sqlite'))).toBe(true);

    const socket = io(`${url}${SOCKET.namespace}`, { transports: ['websocket'], reconnection: false, forceNew: true });
    try {
      const invoke = (method: string, args: unknown = {}) => socket.timeout(10_000).emitWithAck(SOCKET.invoke, method, args) as Promise<ApiResponse>;
      // The shell opens after the first full sync: the town is there at once.
      expect(await invoke('grids.tree')).toMatchObject({ ok: true, result: { code: '430624103', name: '古培镇' } });
      expect(await invoke('app.info')).toMatchObject({ ok: true, result: { mode: 'web', demo: true } });
      expect(await invoke('link.status')).toMatchObject({ ok: true, result: { state: 'online' } });
    } finally {
      socket.close();
    }
    shell.proc.kill('SIGTERM');
    expect(await exited(shell.proc)).toBe(0);
    expect(shell.output()).toContain('GridDeck stopped (SIGTERM)');
  }, 60_000);

  it('refuses --county without --town', async () => {
    const shell = run('electron/web/cli.ts', ['--county', 'http://127.0.0.1:9']);
    expect(await exited(shell.proc)).toBe(2);
  }, 30_000);
});
