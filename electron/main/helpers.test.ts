import { describe, expect, it } from 'vitest';
import { isTrustedSender, pageUrl, resolveAppPath } from './app-path';
import { chooseWallDisplay } from './displays';
import { argValue, parseSettings, serviceLaunch } from './service-args';

const d = (id: number, x = 0) => ({ id, bounds: { x, y: 0, width: 1920, height: 1080 } });

describe('chooseWallDisplay', () => {
  it('puts the wall on the second display', () => {
    expect(chooseWallDisplay([d(1), d(2, 1920)], 1, false)?.id).toBe(2);
  });
  it('puts it on the primary display with --wall, even with a second one', () => {
    expect(chooseWallDisplay([d(1), d(2, 1920)], 1, true)?.id).toBe(1);
  });
  it('opens no wall on a single display without --wall', () => {
    expect(chooseWallDisplay([d(1)], 1, false)).toBeNull();
  });
});

describe('resolveAppPath', () => {
  it('maps app://griddeck paths into the renderer folder', () => {
    expect(resolveAppPath('/app/out/renderer', 'app://griddeck/')).toBe('/app/out/renderer/index.html');
    expect(resolveAppPath('/app/out/renderer', 'app://griddeck/assets/a%20b.js')).toBe('/app/out/renderer/assets/a b.js');
  });
  it('refuses other hosts, traversal and garbage', () => {
    expect(resolveAppPath('/app/out/renderer', 'app://evil/index.html')).toBeNull();
    expect(resolveAppPath('/app/out/renderer', 'app://griddeck/..%2f..%2fetc/passwd')).toBeNull();
    // The URL parser already folds encoded dots: this one stays inside.
    expect(resolveAppPath('/app/out/renderer', 'app://griddeck/%2e%2e/%2e%2e/etc/passwd')).toBe('/app/out/renderer/etc/passwd');
    expect(resolveAppPath('/app/out/renderer', 'app://griddeck/%E0%A4%A')).toBeNull();
    expect(resolveAppPath('/app/out/renderer', 'not a url')).toBeNull();
  });
});

describe('pageUrl', () => {
  it('opens the console at / and the wall at /wall, as the web shell serves them', () => {
    expect(pageUrl('')).toBe('app://griddeck/');
    expect(pageUrl('/wall')).toBe('app://griddeck/wall');
    expect(pageUrl('/wall', 'http://localhost:5173')).toBe('http://localhost:5173/wall');
    expect(pageUrl('/wall', 'http://localhost:5173/')).toBe('http://localhost:5173/wall');
    expect(resolveAppPath('/r', pageUrl('/wall'))).toBe('/r/index.html');
  });
});

describe('isTrustedSender', () => {
  it('trusts our app origin and the dev server only', () => {
    expect(isTrustedSender('app://griddeck/index.html#/wall', undefined)).toBe(true);
    expect(isTrustedSender('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isTrustedSender('http://localhost:5173/', undefined)).toBe(false);
    expect(isTrustedSender('https://example.com/', 'http://localhost:5173')).toBe(false);
    expect(isTrustedSender('app://other/index.html', undefined)).toBe(false);
    expect(isTrustedSender(undefined, undefined)).toBe(false);
    expect(isTrustedSender('file:///etc/passwd', undefined)).toBe(false);
  });
});

describe('serviceLaunch', () => {
  const base = { userData: '/home/u/.config/GridDeck', version: '0.1.0' };
  it('runs the replica in userData against the embedded simulator when no county is given', () => {
    expect(serviceLaunch({ ...base, argv: ['electron', '.'], env: {} })).toEqual({
      args: [
        '--mode', 'electron', '--app-version', '0.1.0', '--db', '/home/u/.config/GridDeck/replica.sqlite',
        '--log-dir', '/home/u/.config/GridDeck/logs', '--backup-dir', '/home/u/.config/GridDeck/backups',
      ],
      env: {},
      warnings: [],
    });
  });
  it('takes county and town from the command line before the environment, and never a token from argv', () => {
    const launch = serviceLaunch({
      ...base,
      argv: ['electron', '.', '--county=https://10.1.2.3:4300', '--town', '430624103', '--county-token', 's3cret', '--county-ca', '/etc/ca.pem', '--county-token-file=/etc/token'],
      env: { GRIDDECK_COUNTY: 'http://other', GRIDDECK_TOWN: '111111111' },
    });
    expect(launch.args.slice(6, 14)).toEqual(['--county', 'https://10.1.2.3:4300', '--town', '430624103', '--county-token-file', '/etc/token', '--county-ca', '/etc/ca.pem']);
    expect(launch.env).toEqual({});
    expect(launch.args.join(' ')).not.toContain('s3cret');
    expect(launch.warnings[0]).toMatch(/--county-token on the command line is ignored/);
  });
  it('falls back to the environment', () => {
    const launch = serviceLaunch({ ...base, argv: [], env: { GRIDDECK_COUNTY: 'http://c:1', GRIDDECK_TOWN: '430624103', GRIDDECK_COUNTY_TOKEN: 't' } });
    expect(launch.args.slice(6, 10)).toEqual(['--county', 'http://c:1', '--town', '430624103']);
    expect(launch.env).toEqual({ GRIDDECK_COUNTY_TOKEN: 't' });
  });
  it('argValue reads both forms and ignores a flag without a value', () => {
    expect(argValue(['--town', '1', '--town=2'], '--town')).toBe('2');
    expect(argValue(['--town', '--wall'], '--town')).toBeUndefined();
    expect(argValue(['--townhall=1'], '--town')).toBeUndefined();
  });
});

describe('the settings file (settings.json in userData)', () => {
  const base = { userData: '/home/u/.config/GridDeck', version: '0.1.0' };
  it('configures county, town, CA, token file, backups and base map; the command line and environment win', () => {
    const { settings, error } = parseSettings(
      JSON.stringify({ county: 'https://county.example.cn:4300', town: '430624103', countyCa: '/etc/ca.pem', countyTokenFile: '/etc/token', backupDir: '/data/backups', basemap: { kind: 'pmtiles' } }),
    );
    expect(error).toBeUndefined();
    const launch = serviceLaunch({ ...base, argv: ['electron', '.', '--town', '430624104'], env: {}, settings });
    expect(launch.args.join(' ')).toContain('--county https://county.example.cn:4300 --town 430624104 --county-token-file /etc/token --county-ca /etc/ca.pem');
    expect(launch.args.join(' ')).toContain('--backup-dir /data/backups');
    expect(launch.env.GRIDDECK_BASEMAP).toBe('{"kind":"pmtiles"}');
  });
  it('is ignored, said in one line, when it is not JSON or holds unknown or bad settings', () => {
    expect(parseSettings(null)).toEqual({ settings: {} });
    expect(parseSettings('{').error).toMatch(/settings\.json is not JSON/);
    expect(parseSettings('{"town":"12"}').error).toMatch(/settings\.json ignored: town/);
    expect(parseSettings('{"countyToken":"s3cret"}').error).toMatch(/ignored/);
  });
});
