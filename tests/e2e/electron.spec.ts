// The Electron shell: the console window and the wall window (--wall puts it on the
// primary display). Runs where an Electron binary exists; elsewhere it is skipped
// with the reason printed (no binary can be downloaded on the project's machines).
import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findElectron } from '../../scripts/lib/electron.mjs';

const found = findElectron();

test('Electron opens the console and the wall on the demo town', async () => {
  if (!found.binary) console.log(`skipped Electron tests: ${found.reason}`);
  test.skip(!found.binary, `no Electron binary here: ${found.reason}`);
  const root = path.resolve(import.meta.dirname, '../..');
  const app = await electron.launch({
    executablePath: found.binary!,
    args: [
      path.join(root, 'out/main/index.js'),
      '--wall',
      `--user-data-dir=${mkdtempSync(path.join(tmpdir(), 'griddeck-electron-'))}`,
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ],
  });
  try {
    const first = await app.firstWindow();
    await expect(first.getByRole('heading', { level: 1 }).first()).toContainText('网格指挥舱');
    await expect.poll(() => app.windows().length, { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    const urls = app.windows().map((w) => w.url());
    expect(urls.some((u) => u.includes('wall'))).toBe(true);
  } finally {
    await app.close();
  }
});
