// What a new user sees when `npm start` opens the web shell on the demo town.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BASE_URL, apiSocket, login } from './login';

interface Grid {
  code: string;
  name: string;
  level: number;
  kind: string;
  parent: string | null;
}
const dataset = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../resources/demo-town/town.json'), 'utf8')) as {
  town: Grid;
  villages: Grid[];
  grids: Grid[];
};

test.describe('the console shell on the demo town', () => {
  test('shows the grid tree of 古培镇 and makes no request beyond loopback', async ({ page }, info) => {
    const outside: string[] = [];
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) && !['data:', 'blob:'].includes(url.protocol)) outside.push(req.url());
    });
    const consoleErrors: string[] = [];
    page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));

    await login(page, 'dispatcher');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('网格指挥舱');
    await expect(page.getByRole('heading', { level: 1 })).toContainText(dataset.town.name);

    // The console opens on the event queue; the grid tree is its 网格 tab.
    await page.getByRole('tab', { name: '网格' }).click();
    const tree = page.getByRole('tree');
    await expect(tree).toBeVisible();
    // Every village or community and every grid of the dataset is in the tree.
    for (const village of dataset.villages) {
      await expect(tree.getByRole('button', { name: village.name, exact: false }).first()).toBeVisible();
    }
    await expect(tree.getByRole('treeitem')).toHaveCount(1 + dataset.villages.length + dataset.grids.length);
    expect(dataset.grids.filter((g) => g.kind === 'basic')).toHaveLength(32);

    // Dedicated grids are marked as such.
    const dedicated = dataset.grids.filter((g) => g.kind === 'dedicated');
    expect(dedicated.length).toBeGreaterThanOrEqual(2);
    await expect(tree.locator('.badge-dedicated')).toHaveCount(dedicated.length);
    for (const g of dedicated) await expect(tree.getByRole('button', { name: g.name })).toContainText('专属网格');

    // Selecting a grid shows its code.
    const grid = dataset.grids[0]!;
    await tree.getByRole('button', { name: grid.name }).click();
    await expect(page.getByLabel('网格信息')).toContainText(grid.code);

    // Honest about what is there and what is not: each feature the service lists, with its
    // state (建设中 only for one not ready).
    const api = await apiSocket(BASE_URL, 'dispatcher');
    const { features } = await api.call<{ features: { name: string; ready: boolean }[] }>('app.info');
    api.close();
    const progress = page.getByLabel('建设进度');
    expect(features.length).toBeGreaterThan(0);
    for (const f of features) {
      await expect(progress.getByRole('listitem').filter({ hasText: f.name })).toContainText(f.ready ? '可用' : '建设中');
    }
    await expect(progress.locator('.badge-wip')).toHaveCount(features.filter((f) => !f.ready).length);

    await page.screenshot({ path: info.outputPath('console-shell-1920x1080.png') });
    expect(outside).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
