// `npm run bench`: installs what the benchmarks need (npm packages; Debian's Chromium and
// CJK fonts for the browser benchmarks; PostgreSQL and Redis for the hub's), then runs
// tests/bench/run.ts with the arguments given (`npm run bench -- --only catchup`).
import { ensureChromium, ensureHubServers, ensureNodeModules, run } from './lib/setup.mjs';

ensureNodeModules();
if (!ensureChromium() || !ensureHubServers()) process.exit(1);
run('npx', ['--no-install', 'tsx', 'tests/bench/run.ts', ...process.argv.slice(2)]);
