import { describe, expect, it } from 'vitest';
import { parseCli } from './cli-options';

describe('parseCli', () => {
  it('reads port, host, county, db and town and refuses the rest', () => {
    expect(parseCli(['--port', '0', '--host', '0.0.0.0', '--county', 'http://127.0.0.1:4300', '--town', '430624103', '--db', '/tmp/r.sqlite'])).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      county: 'http://127.0.0.1:4300',
      town: '430624103',
      db: '/tmp/r.sqlite',
    });
    expect(parseCli([])).toMatchObject({ port: 4173, host: '127.0.0.1', db: '.griddeck/replica.sqlite', lanNames: [] });
    expect(parseCli([]).county).toBeUndefined();
    expect(() => parseCli(['--county-token', 't1'])).toThrow(/--county-token-file/);
    expect(parseCli(['--county-token-file', '/etc/t', '--county-ca', '/etc/ca.pem', '--insecure-county'])).toMatchObject({ countyTokenFile: '/etc/t', countyCa: '/etc/ca.pem', insecureCounty: true });
    expect(parseCli([], { GRIDDECK_COUNTY_TOKEN: 'from-env' }).countyToken).toBe('from-env');
    expect(() => parseCli(['--port', '70000'])).toThrow(/bad --port/);
    expect(() => parseCli(['--port'])).toThrow(/needs a value/);
    expect(() => parseCli(['--verbose'])).toThrow(/unknown option/);
    expect(() => parseCli(['--town', '4306'])).toThrow(/bad --town/);
    expect(() => parseCli(['--county', 'ftp://x'])).toThrow(/bad --county/);
    expect(() => parseCli(['--county', 'http://127.0.0.1:4300'])).toThrow(/needs --town/);
    expect(parseCli(['--duty', 'day']).duty).toBe('day');
    expect(() => parseCli(['--duty', 'night'])).toThrow(/bad --duty/);
    expect(() => parseCli(['--county', 'http://127.0.0.1:4300', '--town', '430624103', '--duty', 'day'])).toThrow(/no meaning with --county/);
  });

  it('takes the demo load from --demo-load or GRIDDECK_DEMO_LOAD (demo only)', () => {
    expect(parseCli([]).demoLoad).toBeUndefined();
    expect(parseCli(['--demo-load', 'heavy']).demoLoad).toBe('heavy');
    expect(parseCli(['--demo-load', 'town'], { GRIDDECK_DEMO_LOAD: 'heavy' }).demoLoad).toBe('town');
    expect(parseCli([], { GRIDDECK_DEMO_LOAD: 'heavy' }).demoLoad).toBe('heavy');
    expect(() => parseCli(['--demo-load', 'city'])).toThrow(/bad --demo-load/);
    expect(() => parseCli([], { GRIDDECK_DEMO_LOAD: 'x' })).toThrow(/bad GRIDDECK_DEMO_LOAD/);
    expect(() => parseCli(['--county', 'http://127.0.0.1:4300', '--town', '430624103', '--demo-load', 'heavy'])).toThrow(/no meaning with --county/);
    expect(parseCli(['--county', 'http://127.0.0.1:4300', '--town', '430624103'], { GRIDDECK_DEMO_LOAD: 'heavy' }).demoLoad).toBeUndefined();
  });

  it('takes LAN names from repeated --lan-name and GRIDDECK_LAN_NAMES, checked and lower-cased', () => {
    expect(parseCli(['--lan-name', 'Deck.Gupei.local', '--lan-name=wall.gupei.local', '--port', '8443'], { GRIDDECK_LAN_NAMES: 'meeting.gupei.local, deck.gupei.local 10.0.0.9' }).lanNames).toEqual([
      'deck.gupei.local',
      'wall.gupei.local',
      'meeting.gupei.local',
      '10.0.0.9',
    ]);
    expect(() => parseCli(['--lan-name'])).toThrow(/--lan-name needs a value/);
    expect(() => parseCli(['--lan-name', '--port', '1'])).toThrow(/--lan-name needs a value/);
    expect(() => parseCli(['--lan-name', 'evil name'])).toThrow(/bad LAN name/);
    expect(() => parseCli([], { GRIDDECK_LAN_NAMES: 'http://x' })).toThrow(/bad LAN name/);
  });

  it('takes the operator\'s certificate and key together, and a connection cap', () => {
    expect(parseCli(['--cert', '/etc/deck.crt', '--key', '/etc/deck.key'])).toMatchObject({ cert: '/etc/deck.crt', key: '/etc/deck.key' });
    expect(() => parseCli(['--cert', '/etc/deck.crt'])).toThrow(/go together/);
    expect(() => parseCli(['--key', '/etc/deck.key'])).toThrow(/go together/);
    expect(parseCli(['--max-connections', '40']).maxConnections).toBe(40);
    for (const bad of ['0', '-1', '1.5', 'x', '100000']) expect(() => parseCli(['--max-connections', bad]), bad).toThrow(/bad --max-connections/);
  });
});
