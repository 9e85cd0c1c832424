import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// electron-vite builds the three Electron parts from the repository's own folders (not src/).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // core/sla imports chinese-days' JSON data file, which Node's ESM loader refuses
      // without an import attribute: bundle it rather than leave it external.
      externalizeDeps: { exclude: ['chinese-days'] },
      // The data service is built with main and runs as its utilityProcess (out/main/service.js);
      // its PDF worker thread's code is an entry of its own (out/main/pdf-worker.js, documents/pdf.ts).
      rollupOptions: { input: { index: 'electron/main/index.ts', service: 'electron/service/main.ts', 'pdf-worker': 'electron/service/documents/pdf-worker.ts' } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: 'electron/preload/index.ts' }, output: { format: 'cjs' } },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: fileURLToPath(new URL('./renderer/index.html', import.meta.url)) } },
    },
  },
});
