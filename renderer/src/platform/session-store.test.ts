import { describe, expect, it } from 'vitest';
import { DEVICE_KEY, SESSION_KEY, createTokenStore, takeDeviceCode } from './session-store';

function memory(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

describe('createTokenStore', () => {
  it("keeps a person's session in the tab's storage", () => {
    const session = memory();
    const local = memory();
    const store = createTokenStore(session, local, false);
    store.save('t-person', 'person');
    expect(session.getItem(SESSION_KEY)).toBe('t-person');
    expect(local.length).toBe(0);
    expect(store.token()).toBe('t-person');
    store.clear();
    expect(store.token()).toBeUndefined();
  });

  it("keeps a device session across reloads, on the wall's page only", () => {
    const local = memory();
    createTokenStore(memory(), local, true).save('t-device', 'device');
    expect(local.getItem(DEVICE_KEY)).toBe('t-device');
    expect(createTokenStore(memory(), local, true).token()).toBe('t-device');
    expect(createTokenStore(memory(), local, false).token()).toBeUndefined();
  });

  it("a person's logout on a wall leaves the device session, the device's end clears it", () => {
    const session = memory();
    const local = memory();
    const store = createTokenStore(session, local, true);
    store.save('t-device', 'device');
    store.save('t-person', 'person');
    expect(store.token()).toBe('t-person');
    store.clear();
    expect(store.token()).toBe('t-device');
    store.clear();
    expect(store.token()).toBeUndefined();
  });

  it('answers no token when the storage is unavailable', () => {
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => undefined, removeItem: () => undefined };
    expect(createTokenStore(broken, broken, true).token()).toBeUndefined();
  });
});

describe('takeDeviceCode', () => {
  const at = (href: string) => {
    const url = new URL(href);
    const replaced: string[] = [];
    const result = takeDeviceCode({ pathname: url.pathname, hash: url.hash, href }, (u) => replaced.push(u));
    return { result, replaced };
  };

  it('takes the code from the fragment and removes it from the address', () => {
    const { result, replaced } = at('https://deck.lan:4300/wall#device=AbC123-xyz_789');
    expect(result).toEqual({ code: 'AbC123-xyz_789' });
    expect(replaced).toEqual(['https://deck.lan:4300/wall']);
  });

  it('removes a malformed or misplaced code too, and says it is invalid', () => {
    expect(at('http://127.0.0.1/wall#device=short')).toEqual({ result: { invalid: true }, replaced: ['http://127.0.0.1/wall'] });
    expect(at('http://127.0.0.1/#device=AbC123-xyz_789')).toEqual({ result: { invalid: true }, replaced: ['http://127.0.0.1/'] });
    expect(at('http://127.0.0.1/wall#device=%E0%A4%A')).toEqual({ result: { invalid: true }, replaced: ['http://127.0.0.1/wall'] });
  });

  it('leaves other addresses alone', () => {
    expect(at('http://127.0.0.1/wall')).toEqual({ result: null, replaced: [] });
    expect(at('http://127.0.0.1/#/wall')).toEqual({ result: null, replaced: [] });
  });
});
