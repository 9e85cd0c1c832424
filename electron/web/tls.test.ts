// The LAN certificate (made and kept, or the operator's) and the shell over HTTPS/WSS on
// a non-loopback bind, reached with the certificate pinned as a screen would.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET } from '../../core/api/channels';
import type { ApiResponse } from '../../core/api/contract';
import { startWebServer } from './server';
import { fakeSessions } from '../service/test-sessions';
import type { TlsMaterial } from './tls';
import { loadCertificate } from './tls';

let dir: string;
const NAMES = ['127.0.0.1', 'localhost', '::1', 'wall.gupei.local', '192.168.1.5'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'griddeck-tls-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadCertificate', () => {
  it('makes a certificate for every name on first start, keeps it, and reuses it', async () => {
    const tlsDir = join(dir, 'kept', 'tls');
    const made = await loadCertificate({ dir: tlsDir, names: NAMES });
    expect(made.origin).toBe('made');
    expect(made.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const x509 = new X509Certificate(made.cert);
    expect(x509.fingerprint256).toBe(made.fingerprint);
    for (const name of ['DNS:localhost', 'IP Address:127.0.0.1', 'DNS:wall.gupei.local', 'IP Address:192.168.1.5']) expect(x509.subjectAltName).toContain(name);
    expect(statSync(join(tlsDir, 'key.pem')).mode & 0o077).toBe(0);
    const kept = await loadCertificate({ dir: tlsDir, names: NAMES.slice().reverse() });
    expect(kept).toMatchObject({ origin: 'kept', fingerprint: made.fingerprint });
  });

  it('makes a new one when a name is added or the kept one expires or is damaged', async () => {
    const tlsDir = join(dir, 'renew', 'tls');
    const first = await loadCertificate({ dir: tlsDir, names: NAMES });
    const added = await loadCertificate({ dir: tlsDir, names: [...NAMES, 'meeting.gupei.local'] });
    expect(added.origin).toBe('made');
    expect(added.fingerprint).not.toBe(first.fingerprint);
    const later = await loadCertificate({ dir: tlsDir, names: NAMES, now: () => Date.now() + 900 * 86_400_000 });
    expect(later.origin).toBe('made');
    writeFileSync(join(tlsDir, 'cert.pem'), 'not a certificate');
    expect((await loadCertificate({ dir: tlsDir, names: NAMES })).origin).toBe('made');
  });

  it('takes the operator\'s files as they are, and refuses a key of another certificate', async () => {
    const a = await loadCertificate({ dir: join(dir, 'a'), names: ['localhost'] });
    const b = await loadCertificate({ dir: join(dir, 'b'), names: ['localhost'] });
    const given = await loadCertificate({ dir: join(dir, 'unused'), names: NAMES, certFile: join(dir, 'a', 'cert.pem'), keyFile: join(dir, 'a', 'key.pem') });
    expect(given).toMatchObject({ origin: 'operator', fingerprint: a.fingerprint });
    await expect(loadCertificate({ dir: join(dir, 'unused'), names: NAMES, certFile: join(dir, 'a', 'cert.pem'), keyFile: join(dir, 'b', 'key.pem') })).rejects.toThrow(/does not match/);
    await expect(loadCertificate({ dir: join(dir, 'unused'), names: NAMES, certFile: join(dir, 'a', 'cert.pem') })).rejects.toThrow(/go together/);
    expect(b.fingerprint).not.toBe(a.fingerprint);
  });
});

describe('the shell on a LAN bind', () => {
  let tls: TlsMaterial;
  beforeAll(async () => {
    tls = await loadCertificate({ dir: join(dir, 'lan'), names: ['127.0.0.1', 'localhost', '::1'] });
  });

  it('serves HTTPS and WSS only, with the certificate whose fingerprint it printed', async () => {
    const service = fakeSessions([{ username: 'dispatcher', password: 'pw', role: 'dispatcher' }]);
    const server = await startWebServer({ service, port: 0, host: '0.0.0.0', tls, rendererDir: join(dir, 'none'), interfaces: () => ['127.0.0.1'] });
    try {
      expect(server.secure).toBe(true);
      expect(server.url).toBe(`https://0.0.0.0:${server.port}`);
      // A screen pins the certificate: its fingerprint is the one printed.
      const peer = await new Promise<string>((resolve, reject) => {
        const socket = tlsConnect({ host: '127.0.0.1', port: server.port, ca: tls.cert, servername: 'localhost' }, () => {
          resolve(socket.getPeerCertificate().fingerprint256);
          socket.end();
        });
        socket.on('error', reject);
      });
      expect(peer).toBe(tls.fingerprint);
      const status = await new Promise<number>((resolve, reject) => get({ host: '127.0.0.1', port: server.port, path: '/', ca: tls.cert }, (res) => resolve(res.statusCode ?? 0)).on('error', reject));
      expect(status).toBe(503);
      // Plain HTTP on that port gets no page.
      const plain = await fetch(`http://127.0.0.1:${server.port}/`).then((r) => r.status, () => 'refused');
      expect(plain === 'refused' || plain === 400).toBe(true);
      // WSS with the certificate pinned; the gate is the same as on loopback.
      const socket = io(`https://127.0.0.1:${server.port}${SOCKET.namespace}`, { ca: tls.cert, transports: ['websocket'], reconnection: false, forceNew: true });
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', () => resolve());
          socket.once('connect_error', reject);
        });
        expect((await socket.emitWithAck(SOCKET.invoke, 'events.list', {})) as ApiResponse).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
        expect((await socket.emitWithAck(SOCKET.invoke, 'auth.login', { username: 'dispatcher', password: 'pw' })) as ApiResponse).toMatchObject({ ok: true });
        expect(service.calls.at(-1)?.context.seat).toEqual({ kind: 'remote', address: '127.0.0.1' });
      } finally {
        socket.close();
      }
      // A certificate the screen did not pin is refused by the screen.
      const other = await loadCertificate({ dir: join(dir, 'other'), names: ['127.0.0.1'] });
      const refused = await new Promise<string>((resolve) => get({ host: '127.0.0.1', port: server.port, path: '/', ca: other.cert }, () => resolve('accepted')).on('error', (e: Error & { code?: string }) => resolve(e.code ?? e.message)));
      expect(refused).not.toBe('accepted');
    } finally {
      await server.close();
    }
  });

  it('keeps the key file readable by its owner only', () => {
    expect(readFileSync(join(dir, 'lan', 'key.pem'), 'utf8')).toContain('PRIVATE KEY');
    expect(statSync(join(dir, 'lan', 'key.pem')).mode & 0o077).toBe(0);
  });
});
