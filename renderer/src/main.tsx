// Must stay the first import: configures zod before core/ builds its schemas.
import './platform/zod-config';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './app/styles.css';
import { createServices } from './platform';
import { ServicesProvider } from './platform/context';
import { takeDeviceCode } from './platform/session-store';

// Before anything else runs: a wall's one-time enrolment code leaves the address bar
// (and the history entry) at once; the gate exchanges it for the screen's session.
const deviceCode = takeDeviceCode(window.location, (url) => window.history.replaceState(null, '', url));

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ServicesProvider services={createServices()}>
      <App deviceCode={deviceCode} />
    </ServicesProvider>
  </StrictMode>,
);
