// The PDF worker thread's entry when the service runs from its TypeScript sources (tests,
// the web shell under tsx): Node 20 does not carry tsx's loader into a worker thread, so
// the worker loads pdf-worker.ts through tsx's API. The electron-vite build runs
// out/main/pdf-worker.js instead (pdf.ts workerEntry).
import { tsImport } from 'tsx/esm/api';

await tsImport('./pdf-worker.ts', import.meta.url);
