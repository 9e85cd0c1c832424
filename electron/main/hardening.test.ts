// The Electron host's hardening decisions (hardening.ts) under plain Node.
import { describe, expect, it } from 'vitest';
import { CrashReloads, appMenuTemplate, devServerUrl } from './hardening';

describe('the dev server URL', () => {
  it('is honoured only in an unpackaged app, and only on loopback', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173/' };
    expect(devServerUrl(env, false)).toBe('http://localhost:5173/');
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173' }, false)).toBe('http://127.0.0.1:5173');
    expect(devServerUrl(env, true)).toBeUndefined();
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'https://evil.example.cn/' }, false)).toBeUndefined();
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'file:///tmp/x.html' }, false)).toBeUndefined();
    expect(devServerUrl({ ELECTRON_RENDERER_URL: 'not a url' }, false)).toBeUndefined();
    expect(devServerUrl({}, false)).toBeUndefined();
  });
});

describe('the packaged app menu', () => {
  it('has no DevTools and no reload; development keeps the default menu', () => {
    expect(appMenuTemplate(false)).toBeNull();
    const roles = JSON.stringify(appMenuTemplate(true));
    expect(roles).toContain('"quit"');
    for (const role of ['toggleDevTools', 'reload', 'forceReload']) expect(roles).not.toContain(`"${role}"`);
  });
});

describe('reloading a crashed window', () => {
  it('allows a few reloads a minute, then stops until the window passes', () => {
    const reloads = new CrashReloads(3, 60_000);
    expect([0, 1_000, 2_000, 3_000].map((t) => reloads.allow(t))).toEqual([true, true, true, false]);
    expect(reloads.allow(61_500)).toBe(true);
  });
});
