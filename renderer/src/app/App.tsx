// The app's pages. Every page passes the session gate (renderer/src/session/Gate.tsx):
// the login screen until someone is logged in, then the screen of the role: the
// dispatcher's console (renderer/src/console), the leader's read-only console, the
// admin's tools, a department's tasks, a village's events, the secretary's map. `/wall`
// (the web shell's /wall, the Electron wall window's app://griddeck/wall) is the video
// wall for whoever opens it, loaded on demand so the other screens do not carry its charts.
import { useSyncExternalStore } from 'react';
import type { DeviceCode } from '../platform/session-store';
import { Gate } from '../session/Gate';
import { isWallRoute } from '../wall/route';

const subscribeLocation = (listener: () => void): (() => void) => {
  window.addEventListener('hashchange', listener);
  window.addEventListener('popstate', listener);
  return () => {
    window.removeEventListener('hashchange', listener);
    window.removeEventListener('popstate', listener);
  };
};
const readLocation = (): string => `${window.location.pathname}${window.location.hash}`;

export function App({ deviceCode }: { deviceCode: DeviceCode }) {
  useSyncExternalStore(subscribeLocation, readLocation);
  return <Gate deviceCode={deviceCode} wallRoute={isWallRoute(window.location.pathname, window.location.hash)} />;
}
