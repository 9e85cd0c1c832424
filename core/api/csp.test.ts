import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isPlainHost } from './csp';

describe('contentSecurityPolicy', () => {
  it('states the renderer policy, with extra connect sources', () => {
    expect(contentSecurityPolicy({ connect: ['ws://127.0.0.1:4173'] })).toBe(
      "default-src 'self'; connect-src 'self' ws://127.0.0.1:4173; img-src 'self' data: blob:; " +
        "worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
  });

  it('leaves frame-ancestors out of the meta form', () => {
    expect(contentSecurityPolicy({ forMeta: true })).not.toContain('frame-ancestors');
  });

  it("is the policy of renderer/index.html's meta tag", () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(contentSecurityPolicy({ forMeta: true }));
  });
});

describe('isPlainHost', () => {
  it('accepts host[:port] and [ipv6][:port] only', () => {
    expect(isPlainHost('127.0.0.1:4173')).toBe(true);
    expect(isPlainHost('[::1]:4173')).toBe(true);
    expect(isPlainHost('wall-pc.local')).toBe(true);
    expect(isPlainHost("a; script-src 'unsafe-inline'")).toBe(false);
    expect(isPlainHost('a b')).toBe(false);
    expect(isPlainHost(undefined)).toBe(false);
  });
});
