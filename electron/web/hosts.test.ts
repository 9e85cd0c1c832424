import { describe, expect, it } from 'vitest';
import { checkLanName, createHostPolicy, hostForUrl, isLoopbackHost } from './hosts';

describe('createHostPolicy', () => {
  it('serves the loopback names with the port, and the bound address', () => {
    const policy = createHostPolicy({ bound: '127.0.0.1', port: 4173, secure: false });
    for (const host of ['127.0.0.1:4173', 'localhost:4173', '[::1]:4173', 'LocalHost:4173']) expect(policy.hostAllowed(host), host).toBe(true);
    for (const host of ['127.0.0.1', 'localhost:80', 'evil.example:4173', '127.0.0.1:4174', '', undefined, '127.0.0.1:4173.evil']) expect(policy.hostAllowed(host), String(host)).toBe(false);
  });

  it('adds the LAN names and, on a wildcard bind, the machine\'s addresses', () => {
    const policy = createHostPolicy({ bound: '0.0.0.0', port: 8443, secure: true, lanNames: ['Wall.Gupei.local', '10.0.0.9'], interfaces: () => ['127.0.0.1', '192.168.1.5', 'fd00::2'] });
    expect(policy.names).toEqual(['127.0.0.1', 'localhost', '::1', '192.168.1.5', 'fd00::2', 'wall.gupei.local', '10.0.0.9']);
    for (const host of ['wall.gupei.local:8443', '192.168.1.5:8443', '[fd00::2]:8443', '10.0.0.9:8443']) expect(policy.hostAllowed(host), host).toBe(true);
    expect(policy.hostAllowed('0.0.0.0:8443')).toBe(false);
    expect(policy.hostAllowed('192.168.1.6:8443')).toBe(false);
  });

  it('accepts a host without port on the scheme\'s default port only', () => {
    const https = createHostPolicy({ bound: '192.168.1.5', port: 443, secure: true, lanNames: ['wall.local'] });
    expect(https.hostAllowed('wall.local')).toBe(true);
    expect(https.hostAllowed('192.168.1.5')).toBe(true);
    expect(https.originAllowed('https://wall.local')).toBe(true);
    expect(https.originAllowed('http://wall.local')).toBe(false);
  });

  it('admits Origins of its own scheme and hosts, and clients without one', () => {
    const policy = createHostPolicy({ bound: '127.0.0.1', port: 4173, secure: false });
    expect(policy.originAllowed(undefined)).toBe(true);
    expect(policy.originAllowed('http://127.0.0.1:4173')).toBe(true);
    expect(policy.originAllowed('http://localhost:4173')).toBe(true);
    for (const origin of ['https://127.0.0.1:4173', 'http://127.0.0.1:5173', 'http://evil.example', 'null', '', 'http://127.0.0.1:4173/x']) expect(policy.originAllowed(origin), origin).toBe(false);
  });
});

describe('names', () => {
  it('checkLanName takes DNS names and addresses, lower-cased, and nothing else', () => {
    expect(checkLanName('Wall.Gupei.Local')).toBe('wall.gupei.local');
    expect(checkLanName('[fd00::2]')).toBe('fd00::2');
    expect(checkLanName('192.168.1.5')).toBe('192.168.1.5');
    for (const bad of ['', 'wall local', 'wall.local:443', 'http://wall', '-wall', 'wall_1', 'a'.repeat(64)]) expect(() => checkLanName(bad), bad).toThrow(/bad LAN name/);
  });

  it('isLoopbackHost: loopback addresses and localhost, nothing else', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'deck.local', 'localhost.evil']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('hostForUrl brackets IPv6 only', () => {
    expect(hostForUrl('::1')).toBe('[::1]');
    expect(hostForUrl('[::1]')).toBe('[::1]');
    expect(hostForUrl('127.0.0.1')).toBe('127.0.0.1');
    expect(hostForUrl('Wall.local')).toBe('wall.local');
  });
});
