// Imported first by main.tsx, before any schema exists: the page's CSP has no
// 'unsafe-eval', and zod's JIT probes `new Function` when schemas are built. The
// probe fails harmlessly but is reported as a policy violation on every start.
import * as z from 'zod';

z.config({ jitless: true });
