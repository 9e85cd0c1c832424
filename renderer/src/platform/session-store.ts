// Where the page keeps its session token, and the device enrolment code of a wall's
// first load. A person's session lives in sessionStorage (the tab's life: closing the
// browser logs out); a screen's device session in localStorage, so a wall survives
// reloads and restarts, and only on the wall's page (a console opened in the same
// browser never runs as the wall). Pure over the Storage interface: tests pass a Map.
import { isWallRoute } from '../wall/route';

export const SESSION_KEY = 'griddeck.session';
export const DEVICE_KEY = 'griddeck.device';

export type TokenKind = 'person' | 'device';

export interface TokenStore {
  /** The token to present: the person's session, else (on the wall only) the device's. */
  token(): string | undefined;
  save(token: string, kind: TokenKind): void;
  /** Forgets the token presented now (a person's logout leaves a wall's device session alone, and the reverse). */
  clear(): void;
}

type KeyValue = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function createTokenStore(session: KeyValue, local: KeyValue, wall: boolean): TokenStore {
  const read = (store: KeyValue, key: string): string | undefined => {
    try {
      return store.getItem(key) ?? undefined;
    } catch {
      return undefined;
    }
  };
  const token = (): string | undefined => read(session, SESSION_KEY) ?? (wall ? read(local, DEVICE_KEY) : undefined);
  return {
    token,
    save(value, kind) {
      if (kind === 'device') {
        local.setItem(DEVICE_KEY, value);
        session.removeItem(SESSION_KEY);
      } else {
        session.setItem(SESSION_KEY, value);
      }
    },
    clear() {
      if (read(session, SESSION_KEY) !== undefined) session.removeItem(SESSION_KEY);
      else if (wall) local.removeItem(DEVICE_KEY);
    },
  };
}

/** The code's length as auth.device accepts it (core/api/contract.ts); the service decides the rest. */
const CODE = /^\S{8,128}$/;

export type DeviceCode = { code: string } | { invalid: true } | null;

/**
 * The one-time enrolment code of `/wall#device=CODE`, taken from the address and removed
 * from it (`replace`: history.replaceState) before anything else runs, so it stays in no
 * history entry, screenshot or bookmark. null when the page was not opened with one.
 */
export function takeDeviceCode(location: { pathname: string; hash: string; href: string }, replace: (url: string) => void): DeviceCode {
  const match = /^#device=(.*)$/.exec(location.hash);
  if (!match) return null;
  const url = new URL(location.href);
  url.hash = '';
  replace(url.toString().replace(/#$/, ''));
  const code = decoded(match[1] ?? '');
  if (code === null || !isWallRoute(location.pathname, '') || !CODE.test(code)) return { invalid: true };
  return { code };
}

function decoded(text: string): string | null {
  try {
    return decodeURIComponent(text).trim();
  } catch {
    return null;
  }
}
