// The county connection's rules (issue 12): https:// to a remote county, a private CA
// trusted only when given, the token from an owner-only file and never from argv.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { Server } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataService } from '../data-service';
import { TOKEN_IN_ARGV, parseServiceArgs } from '../options';
import { CountyConnectionError, checkCountyUrl, isLoopbackHost, readCountyCa, readCountyTokenFile, resolveCountyConnection } from './county-connection';
import { CountyLink, type LinkReplica } from './county-link';

let dir: string;
const cleanups: (() => unknown)[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'griddeck-county-tls-'));
});
afterAll(async () => {
  for (const clean of cleanups.reverse()) await clean();
  rmSync(dir, { recursive: true, force: true });
});

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the county URL', () => {
  it('takes https:// anywhere and http:// only to loopback', () => {
    expect(checkCountyUrl('https://county.example.cn:4300')).toEqual({ url: 'https://county.example.cn:4300' });
    for (const url of ['http://127.0.0.1:4300', 'http://localhost:4300', 'http://[::1]:4300', 'http://127.8.9.10']) {
      expect(checkCountyUrl(url).warning).toBeUndefined();
    }
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
    expect(isLoopbackHost('127.example.cn')).toBe(false);
  });

  it('refuses plain http:// to another machine with a clear message, unless --insecure-county (warned)', () => {
    expect(() => checkCountyUrl('http://10.1.2.3:4300')).toThrow(CountyConnectionError);
    expect(() => checkCountyUrl('http://county.example.cn')).toThrow(/拒绝以明文 http:\/\/ 连接非本机的县级平台 county\.example\.cn.*https:\/\/.*--insecure-county/);
    expect(checkCountyUrl('http://10.1.2.3:4300', true).warning).toMatch(/INSECURE.*10\.1\.2\.3:4300/);
    expect(() => checkCountyUrl('ftp://10.1.2.3')).toThrow(/协议不支持/);
    expect(() => checkCountyUrl('https://u:p@county.example.cn')).toThrow(/用户名或密码/);
  });

  it('is refused by the data service before the replica opens', async () => {
    await expect(openDataService({ db: join(dir, 'remote-http.sqlite'), county: 'http://10.1.2.3:4300', town: '430624103' })).rejects.toThrow(
      /拒绝以明文 http:\/\//,
    );
  });
});

describe('the county token', () => {
  it('is read from an owner-only file; a file others can read is refused', () => {
    const file = join(dir, 'token');
    writeFileSync(file, 's3cret\n');
    chmodSync(file, 0o644);
    expect(() => readCountyTokenFile(file, 'linux')).toThrow(/权限过宽\(644\).*chmod 600/);
    chmodSync(file, 0o600);
    expect(readCountyTokenFile(file, 'linux')).toBe('s3cret');
    expect(() => readCountyTokenFile(join(dir, 'missing'))).toThrow(/ENOENT/);
  });

  it('is never taken from the command line', () => {
    expect(() => parseServiceArgs(['--county-token', 't'])).toThrow(TOKEN_IN_ARGV);
    expect(() => parseServiceArgs(['--county-token=t'])).toThrow(/ps/);
    const args = parseServiceArgs(['--county-token-file', '/etc/griddeck/token', '--county-ca', '/etc/griddeck/ca.pem', '--insecure-county']);
    expect(args).toMatchObject({ countyTokenFile: '/etc/griddeck/token', countyCa: '/etc/griddeck/ca.pem', insecureCounty: true });
    expect(parseServiceArgs([], { GRIDDECK_COUNTY_TOKEN: 'from-env' }).countyToken).toBe('from-env');
  });
});

// ---------------------------------------------------------------- TLS with a private CA

class IdleReplica implements LinkReplica {
  readonly replicaId = '9b2f6a1e-0c3d-4e5f-8a7b-1c2d3e4f5a6b';
  readonly town = '430624103';
  state() {
    return { cursor: null, lastN: null, nextN: 1, lastSyncAt: null, catchingUp: false };
  }
  applyBatch(): ReturnType<LinkReplica['applyBatch']> {
    throw new Error('no batches here');
  }
  applyPositions() {
    return { latest: [], historyOnly: 0, invalid: [] };
  }
  nextOutbound() {
    return null;
  }
  acknowledge() {
    return { changedEventIds: [] };
  }
  queueLength() {
    return 0;
  }
  unsentCount() {
    return 0;
  }
}

/** A county on https://127.0.0.1 whose certificate a private CA signed. */
async function tlsCounty(): Promise<{ url: string; caFile: string; otherCaFile: string; handshakes: () => number }> {
  const validity = { notBeforeDate: new Date(Date.now() - 3_600_000), notAfterDate: new Date(Date.now() + 86_400_000) };
  const caExtensions = [
    { name: 'basicConstraints' as const, cA: true, critical: true },
    { name: 'keyUsage' as const, keyCertSign: true, cRLSign: true, critical: true },
  ];
  const ca = await generate([{ name: 'commonName', value: 'County private CA' }], { keyType: 'ec', algorithm: 'sha256', ...validity, extensions: caExtensions });
  const other = await generate([{ name: 'commonName', value: 'Another CA' }], { keyType: 'ec', algorithm: 'sha256', ...validity, extensions: caExtensions });
  const leaf = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ...validity,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  });
  const https = createServer({ key: leaf.private, cert: leaf.cert });
  const io = new Server(https);
  let handshakes = 0;
  io.of('/town').on('connection', () => handshakes++);
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => void io.close(() => resolve())));
  const caFile = join(dir, 'county-ca.pem');
  const otherCaFile = join(dir, 'other-ca.pem');
  writeFileSync(caFile, ca.cert);
  writeFileSync(otherCaFile, other.cert);
  return { url: `https://127.0.0.1:${(https.address() as AddressInfo).port}`, caFile, otherCaFile, handshakes: () => handshakes };
}

function link(url: string, ca?: string): CountyLink {
  const l = new CountyLink({ url, token: 't', replica: new IdleReplica(), transports: ['websocket'], backoffMinMs: 50, backoffMaxMs: 200, ...(ca ? { ca } : {}) });
  cleanups.push(() => l.stop());
  return l;
}

describe('the county link over TLS', () => {
  it('connects to a county whose certificate the --county-ca signed, and refuses it without that CA', async () => {
    const county = await tlsCounty();
    const trusted = resolveCountyConnection({ url: county.url, caFile: county.caFile });
    expect(trusted.ca).toContain('BEGIN CERTIFICATE');
    const withCa = link(trusted.url, trusted.ca);
    withCa.start();
    await until(() => withCa.status().state === 'online', 'online with the CA');
    withCa.stop();

    for (const ca of [undefined, readCountyCa(county.otherCaFile)]) {
      const before = county.handshakes();
      const refused = link(county.url, ca);
      refused.start();
      await until(() => refused.status().state === 'offline' && refused.status().detail !== undefined, 'offline without the CA');
      expect(refused.status().detail).toMatch(/证书不受信任.*--county-ca/);
      expect(refused.log().some((e) => /certificate|self.signed|unable to (get|verify)/i.test(e.message))).toBe(true);
      refused.stop();
      expect(county.handshakes()).toBe(before);
    }
  }, 20_000);

  it('says what is wrong with a CA file that holds no certificate', () => {
    const file = join(dir, 'not-a-ca.pem');
    writeFileSync(file, 'hello');
    expect(() => readCountyCa(file)).toThrow(/没有 PEM 证书/);
  });
});
