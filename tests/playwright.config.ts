import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A free port unless E2E_PORT names one (issue 15: a fixed 4311 failed on a busy machine
// where something else held it). Chosen once by the runner, which the workers inherit
// (they load this file again). The config is synchronous: a child Node asks the kernel.
if (!process.env.E2E_PORT) {
  const script = "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  process.env.E2E_PORT = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim();
}
const PORT = Number(process.env.E2E_PORT);

// A fresh replica (and embedded county) per run: no state left over from an earlier
// run or from a developer's own `npm run serve`. Created once by the runner (its
// workers inherit the variable) and removed when the runner exits.
if (!process.env.GRIDDECK_E2E_DIR) {
  const dir = mkdtempSync(join(tmpdir(), 'griddeck-e2e-'));
  process.env.GRIDDECK_E2E_DIR = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}
const DB = join(process.env.GRIDDECK_E2E_DIR, 'replica.sqlite');

// Debian's Chromium: Playwright's own browser download cannot work on these machines.
// SwiftShader gives WebGL2 without a GPU; the background-networking flags keep
// Chromium from calling out of a closed network.
export default defineConfig({
  testDir: './e2e',
  outputDir: '../test-results/e2e',
  timeout: 60_000,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
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
  webServer: {
    command: `npx --no-install tsx electron/web/cli.ts --port ${PORT} --db ${JSON.stringify(DB)}`,
    cwd: '..',
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
