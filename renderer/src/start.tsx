// The app's start, loaded by main.tsx once zod is configured: the React tree with the
// platform's services. Kept apart so that no schema module (core/, in chunks shared with
// the lazily loaded screens) is evaluated before zod-config has run.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './app/styles.css';
import { createServices } from './platform';
import { ServicesProvider } from './platform/context';
import type { DeviceCode } from './platform/session-store';

export function start(deviceCode: DeviceCode): void {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root');
  createRoot(root).render(
    <StrictMode>
      <ServicesProvider services={createServices()}>
        <App deviceCode={deviceCode} />
      </ServicesProvider>
    </StrictMode>,
  );
}
