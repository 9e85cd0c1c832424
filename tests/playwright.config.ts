import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Two web shells, one per worker, each with its own replica and embedded county: a spec
// that stops the county or fills the queue meets only its own shell, and while one
// worker waits on a page or a timer the other uses the CPU. E2E_WORKERS changes how many
// (1 for a single spec); E2E_PORT names the one port of a single-worker run.
// Free ports are chosen once by the runner, which the workers inherit (they load this
// file again). The config is synchronous: a child Node asks the kernel (issue 15: a
// fixed port failed on a busy machine where something else held it).
const freePort = (): number => {
  const script = "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim());
};
if (!process.env.E2E_PORTS) {
  const workers = process.env.E2E_PORT ? 1 : Math.max(1, Number(process.env.E2E_WORKERS ?? 2));
  process.env.E2E_PORTS = process.env.E2E_PORT ?? Array.from({ length: workers }, freePort).join(',');
}
const PORTS = process.env.E2E_PORTS.split(',').map(Number);

// A fresh replica (and embedded county) per shell and run: no state left over from an
// earlier run or from a developer's own `npm run serve`. Created once by the runner
// (its workers inherit the variable) and removed when the runner exits.
if (!process.env.GRIDDECK_E2E_ROOT) {
  const dir = mkdtempSync(join(tmpdir(), 'griddeck-e2e-'));
  process.env.GRIDDECK_E2E_ROOT = dir;
  PORTS.forEach((_, i) => mkdirSync(join(dir, `shell-${i}`)));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}
const ROOT = process.env.GRIDDECK_E2E_ROOT;
const shellDir = (i: number): string => join(ROOT, `shell-${i}`);

// In a worker: its own shell, named as tests/e2e/login.ts reads it (E2E_PORT, GRIDDECK_E2E_DIR).
const slot = Number(process.env.TEST_PARALLEL_INDEX ?? 0) % PORTS.length;
process.env.E2E_PORT = String(PORTS[slot]);
process.env.GRIDDECK_E2E_DIR = shellDir(slot);

// Debian's Chromium: Playwright's own browser download cannot work on these machines.
// SwiftShader gives WebGL2 without a GPU; the background-networking flags keep
// Chromium from calling out of a closed network.
export default defineConfig({
  testDir: './e2e',
  outputDir: '../test-results/e2e',
  // Outcomes are asserted, never speed: the limits leave room for a loaded machine (the
  // clean-clone CI ran the browser tests 1.8 times slower than a quiet one).
  timeout: 120_000,
  workers: PORTS.length,
  // One retry: these machines are shared, and a browser on software WebGL can stall past a
  // limit on one run out of many. A test that passes only on its retry is reported by name
  // as flaky (scripts/test.mjs) and looked at; one that fails twice fails the run.
  retries: 1,
  reporter: [['list'], ['json']],
  use: {
    baseURL: `http://127.0.0.1:${PORTS[slot]}`,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1920, height: 1080 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--enable-unsafe-swiftshader',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: PORTS.map((port, i) => ({
    command: `npx --no-install tsx electron/web/cli.ts --port ${port} --db ${JSON.stringify(join(shellDir(i), 'replica.sqlite'))}`,
    cwd: '..',
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 180_000,
  })),
});
