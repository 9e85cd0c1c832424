// Must stay the first import: configures zod before core/ builds its schemas.
import './platform/zod-config';
import { takeDeviceCode } from './platform/session-store';

// Before anything else runs: a wall's one-time enrolment code leaves the address bar
// (and the history entry) at once; the session gate exchanges it for the screen's session.
const deviceCode = takeDeviceCode(window.location, (url) => window.history.replaceState(null, '', url));

// The app itself is a separate chunk, evaluated after zod's configuration: the screens
// loaded on demand share core's modules with it, and the bundler puts those in a chunk
// of their own, which a static import would evaluate before this file's first line.
void import('./start').then((m) => m.start(deviceCode));
