// Lint gate: the import table of docs/architecture.md, enforced with messages that say why.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'fs/promises', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'worker_threads', 'events', 'stream', 'util', 'process', 'buffer'];
const ui = ['react', 'react-dom', 'react-dom/*', 'deck.gl', '@deck.gl/*', 'maplibre-gl', 'maplibre-gl/*', 'echarts', 'echarts/*'];
const storage = ['typeorm', 'typeorm/*', 'better-sqlite3'];
const network = ['socket.io', 'socket.io-client', 'socket.io/*', 'engine.io*'];

/**
 * One no-restricted-imports rule: each group of forbidden modules with the reason it is forbidden.
 * Plain names are matched exactly (so the built-in 'events' does not catch '../events/x');
 * names with a wildcard are gitignore-style patterns.
 */
const restrict = (...groups) => {
  const paths = [];
  const patterns = [];
  for (const [names, message] of groups) {
    const exact = names.filter((n) => !n.includes('*'));
    const globs = names.filter((n) => n.includes('*'));
    for (const name of exact) paths.push({ name, message });
    if (globs.length) patterns.push({ group: globs, message });
  }
  return { 'no-restricted-imports': ['error', { paths, patterns }] };
};

const COUNTY_WHY = 'county/ is the county, a separate system reached only over county-link-v1: the town starts the embedded demo county through county/embedded.ts (in electron/service/data-service.ts) and imports nothing else of it (docs/architecture.md).';
const CORE_WHY = 'core/ is the pure domain shared by the app and the county simulator: no runtime, I/O, UI or app-layer import (docs/architecture.md). Pass time, ids and randomness in as parameters.';

export default tseslint.config(
  { ignores: ['node_modules/', '.scratch/', 'out/', 'dist/', '.tsbuild/', 'coverage/', 'test-results/', 'resources/**/*.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['core/**/*.ts'],
    ignores: ['core/**/*.test.ts'],
    rules: restrict(
      [['electron', 'electron/*'], CORE_WHY],
      [nodeBuiltins, CORE_WHY],
      [ui, CORE_WHY],
      [storage, CORE_WHY],
      [network, CORE_WHY],
      [['**/electron/**', '**/renderer/**', '**/scripts/**', '**/tests/**', '**/county/**', '**/node-common/**'], CORE_WHY],
    ),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    rules: restrict(
      [nodeBuiltins, 'The renderer runs in a sandboxed browser page with no Node: reach the data service through renderer/src/platform/ (docs/architecture.md).'],
      [['electron', 'electron/*'], 'The renderer has no Electron access: the preload bridge exposes the app API contract, used through renderer/src/platform/.'],
      [storage, 'The renderer never touches the database: the data service owns the replica; query it through the app API.'],
      [['socket.io', 'socket.io/*'], 'The renderer is a client: the Socket.IO server lives in electron/web/.'],
      [['**/electron/**', '**/scripts/**', '**/county/**', '**/node-common/**'], 'The renderer may import only core/ (types, contract, pure helpers) and browser libraries.'],
    ),
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    ignores: ['renderer/src/platform/**'],
    rules: restrict(
      [nodeBuiltins, 'The renderer runs in a sandboxed browser page with no Node: reach the data service through renderer/src/platform/ (docs/architecture.md).'],
      [['electron', 'electron/*'], 'The renderer has no Electron access: the preload bridge exposes the app API contract, used through renderer/src/platform/.'],
      [storage, 'The renderer never touches the database: the data service owns the replica; query it through the app API.'],
      [[...network], 'Only renderer/src/platform/ talks to the transport; views use the typed app API client it provides.'],
      [['**/electron/**', '**/scripts/**', '**/county/**', '**/node-common/**'], 'The renderer may import only core/ (types, contract, pure helpers) and browser libraries.'],
    ),
  },
  {
    files: ['electron/service/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: restrict(
      [['electron', 'electron/*'], 'The data service runs as a plain Node process or an Electron utilityProcess and must not depend on Electron, so the web shell and tests can run it.'],
      [ui, 'The data service has no UI: views live in renderer/.'],
      [['**/renderer/**', '**/electron/main/**', '**/electron/preload/**', '**/electron/web/**'], 'The data service sits below the shells: main, preload and web import it, never the reverse.'],
    ),
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: restrict(
      [storage, 'A synchronous SQLite driver on the Electron main thread freezes every window: the database belongs to the data service in its utilityProcess.'],
      [network, 'The county link belongs to the data service, not to the Electron main process.'],
      [ui, 'The main process manages windows; the UI is the renderer.'],
      [['**/electron/service/**', '**/electron/web/**', '**/renderer/**'], 'Main and preload reach the data service over IPC only; it runs in its own utilityProcess.'],
    ),
  },
  {
    files: ['electron/web/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: restrict(
      [['electron', 'electron/*'], 'The web shell runs without Electron (wall PCs, meeting screens, tests).'],
      [ui, 'The web shell serves the built renderer; it does not import UI code.'],
      [['**/renderer/**', '**/electron/main/**', '**/electron/preload/**'], 'The web shell may import core/ and electron/service/ only.'],
    ),
  },
  {
    // The town's code (not its tests, which use the county as their peer) reaches the county
    // only through its one entry. A second rule name so it adds to each folder's own list.
    files: ['electron/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', '**/test-*.ts', 'electron/service/data-service.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['**/county/**'], message: COUNTY_WHY }] }],
    },
  },
  {
    files: ['electron/service/data-service.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['**/county/**', '!**/county/embedded'], message: COUNTY_WHY }] }],
    },
  },
  {
    // The county (simulator now, a hub later) stands for the county platform: another
    // system, on the far side of the wire. It shares only core/ (rules, wire schemas) and
    // node-common/ (flags, loopback, secrets) with the town.
    files: ['county/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: restrict(
      [['electron', 'electron/*'], 'The county is a separate system that shares only core/ with the app: it runs in plain Node (npm run county, tests), never in Electron.'],
      [ui, 'The county is a separate system that shares only core/ with the app: it has no UI; the app shows the county through its own replica.'],
      [['**/renderer/**'], 'The county is a separate system that shares only core/ with the app: the renderer is the town’s screen, not the county’s.'],
      [
        ['**/electron/service', '**/electron/service/**'],
        'The county is a separate system that shares only core/ with the app: it must not use the town’s data service (its replica, link or outbox), or the two sides of the wire could agree by sharing code instead of by the protocol.',
      ],
      [['**/electron/web', '**/electron/web/**'], 'The county is a separate system that shares only core/ with the app: the web shell is the town’s, and starts the county, never the reverse.'],
      [
        ['**/electron/main', '**/electron/main/**', '**/electron/preload', '**/electron/preload/**'],
        'The county is a separate system that shares only core/ with the app: the Electron main process and preload are the town’s desktop shell.',
      ],
    ),
  },
  {
    files: ['node-common/**/*.ts'],
    languageOptions: { globals: globals.node },
    rules: restrict(
      [['**/electron/**', '**/renderer/**', '**/county/**', '**/tests/**'], 'node-common/ holds small Node helpers shared by the town’s shells and the county; it imports neither side.'],
      [[...ui, ...network, 'electron'], 'node-common/ holds small Node helpers without UI or network libraries (opening SQLite is one of them: node-common/sqlite.ts).'],
    ),
  },
  {
    // Small units: a function does one job and fits on a screen. A warning, and the test
    // command allows no warning; one that must stay longer says why in an eslint comment.
    files: ['**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', '**/*.test.tsx', '**/test-*.ts', 'tests/**', 'scripts/**'],
    rules: { 'max-lines-per-function': ['warn', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }] },
  },
  {
    files: ['scripts/**/*.{ts,mjs,js}', 'tests/**/*.ts', '**/*.test.ts', '**/test-*.ts', '*.config.{js,ts,mjs}', 'electron.vite.config.ts'],
    languageOptions: { globals: globals.node },
  },
);
