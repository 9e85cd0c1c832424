// The app's two pages. `/` is the dispatcher console (renderer/src/console: the event
// queue, the event in full with its actions, the town map, the grid tree as a tab).
// `/wall` (the web shell's /wall, the Electron wall window's app://griddeck/wall) is the
// video wall, loaded on demand so the console does not carry its charts.
import { Suspense, lazy, useSyncExternalStore } from 'react';
import { ConsoleApp } from '../console/ConsoleApp';
import { isWallRoute } from '../wall/route';

const WallApp = lazy(() => import('../wall/WallApp').then((m) => ({ default: m.WallApp })));

const subscribeLocation = (listener: () => void): (() => void) => {
  window.addEventListener('hashchange', listener);
  window.addEventListener('popstate', listener);
  return () => {
    window.removeEventListener('hashchange', listener);
    window.removeEventListener('popstate', listener);
  };
};
const readLocation = (): string => `${window.location.pathname}${window.location.hash}`;

export function App() {
  useSyncExternalStore(subscribeLocation, readLocation);
  return isWallRoute(window.location.pathname, window.location.hash) ? (
    <Suspense fallback={<div style={{ position: 'fixed', inset: 0, background: '#030b15' }} />}>
      <WallApp />
    </Suspense>
  ) : (
    <ConsoleApp />
  );
}
