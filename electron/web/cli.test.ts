// The web shell's command line as `npm run serve` runs it: with no --county it starts
// the bundled county simulator and the replica, prints its one line and the demo's
// accounts, serves the API with the synced demo town to a browser that logs in, and
// stops cleanly on SIGTERM. On a LAN bind it serves HTTPS with the certificate whose
// fingerprint it printed.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
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
    // No access token any more: the demo's accounts, one line each.
    expect(shell.output()).not.toMatch(/token/i);
    const [, username, password] = await shell.line(/^demo account (\S+) \(dispatcher\): (\S+)$/m);

    const socket = io(`${url}${SOCKET.namespace}`, { transports: ['websocket'], reconnection: false, forceNew: true });
    try {
      const invoke = (method: string, args: unknown = {}) => socket.timeout(10_000).emitWithAck(SOCKET.invoke, method, args) as Promise<ApiResponse>;
      expect(await invoke('grids.tree')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      expect(await invoke('auth.login', { username, password })).toMatchObject({ ok: true, result: { user: { role: 'dispatcher' } } });
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

  it('serves HTTPS on a LAN bind, with a certificate it keeps and whose fingerprint it prints', async () => {
    const dir = temp();
    const db = join(dir, 'data', 'replica.sqlite');
    const args = ['--port', '0', '--host', '0.0.0.0', '--lan-name', 'deck.gupei.local', '--db', db, '--renderer', join(dir, 'none')];
    const shell = run('electron/web/cli.ts', args);
    const [, port] = await shell.line(/^GridDeck listening on https:\/\/0\.0\.0\.0:(\d+)$/m);
    const [, fingerprint] = await shell.line(/^tls fingerprint sha256 ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})$/m);
    const cert = readFileSync(join(dir, 'data', 'tls', 'cert.pem'), 'utf8');
    expect(new X509Certificate(cert).fingerprint256).toBe(fingerprint);
    expect(new X509Certificate(cert).subjectAltName).toContain('DNS:deck.gupei.local');
    const socket = io(`https://127.0.0.1:${port}${SOCKET.namespace}`, { ca: cert, transports: ['websocket'], reconnection: false, forceNew: true });
    try {
      expect(await socket.timeout(10_000).emitWithAck(SOCKET.invoke, 'app.info', {})).toMatchObject({ ok: true, result: { mode: 'web' } });
    } finally {
      socket.close();
    }
    shell.proc.kill('SIGTERM');
    expect(await exited(shell.proc)).toBe(0);
    // The next start keeps the certificate: the screens' pins still hold.
    const again = run('electron/web/cli.ts', args);
    const [, kept] = await again.line(/^tls fingerprint sha256 (\S+)$/m);
    expect(kept).toBe(fingerprint);
    again.proc.kill('SIGTERM');
    expect(await exited(again.proc)).toBe(0);
  }, 120_000);

  it('refuses --county without --town', async () => {
    const shell = run('electron/web/cli.ts', ['--county', 'http://127.0.0.1:9']);
    expect(await exited(shell.proc)).toBe(2);
  }, 30_000);
});
