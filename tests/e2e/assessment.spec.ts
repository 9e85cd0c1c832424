// 考核 in the browser, against the web shell's embedded demo (issue 11): the leader opens
// the month's assessment, drills into a worker's reports and lands in the console's queue
// on exactly those events; the assessment exported to Excel and read back holds the
// screen's number; the monthly report prints to a PDF that pdftotext reads; a viewer's
// event ledger carries no phone number. One page, one login.
import { expect as baseExpect, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BASE_URL, apiSocket, login } from './login';

const expect = baseExpect.configure({ timeout: 40_000 });

interface ExportStatus {
  id: string;
  state: 'running' | 'done' | 'failed';
  error?: string;
}

test('assessment: drill into the queue, Excel and PDF, a viewer export without phone numbers', async ({ page }, info) => {
  await login(page, 'leader', '/#/assessment');
  const workers = page.getByTestId('table-workers');
  await expect(workers).toBeVisible();

  // A worker with reports this month: the figure on screen, then its events in the queue.
  const figure = workers.locator('td[data-testid$="-reports"] button:not([disabled])').first();
  await expect(figure).toBeVisible();
  const shown = Number(await figure.textContent());
  const cell = await figure.locator('xpath=..').getAttribute('data-testid');
  const workerId = (cell ?? '').replace(/^fig-workers-/, '').replace(/-reports$/, '');
  const workerName = (await workers.locator('tr', { has: page.getByTestId(cell ?? '') }).locator('td').nth(1).textContent())?.trim().split(' ')[0] ?? '';
  expect(shown).toBeGreaterThan(0);

  const api = await apiSocket(BASE_URL, 'leader');
  const { ids } = await api.call<{ ids: string[] }>('assessment.events', { target: 'workers', id: workerId, figure: 'reports' });
  expect(ids.length).toBe(shown);
  const events = await api.call<{ items: { code: string }[]; total: number }>('events.list', { ids, paging: { offset: 0, limit: 500 } });
  api.close();

  await figure.click();
  await expect(page).toHaveURL(/#\/queue$/);
  await expect(page.getByTestId('queue-drill')).toContainText(`${shown} 件`);
  await expect(page.locator('.queue-foot')).toHaveText(`共 ${shown} 条`);
  await expect(page.getByTestId('count-all')).toHaveText(String(shown));
  for (const e of events.items.slice(0, 3)) await expect(page.locator('.queue').getByText(e.code).first()).toBeVisible();

  // The assessment in Excel: the same number for the same worker.
  await page.goto('/#/assessment');
  await expect(page.getByTestId('table-workers')).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-assessment').click()]);
  const xlsx = info.outputPath('assessment.xlsx');
  await download.saveAs(xlsx);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(xlsx);
  const ws = wb.getWorksheet('网格员考核')!;
  const headers = (ws.getRow(1).values as unknown[]).map(String);
  const row = ws.getRows(2, ws.rowCount - 1)!.find((r) => r.getCell(headers.indexOf('名称')).value === workerName)!;
  expect(row.getCell(headers.indexOf('上报数')).value).toBe(shown);

  // The monthly report, printed by Chromium.
  await page.goto('/#/report');
  await expect(page.getByTestId('report-ready')).toBeVisible();
  const pdf = info.outputPath('report.pdf');
  writeFileSync(pdf, await page.pdf({ format: 'A4', printBackground: true }));
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  expect(text).toContain('月度考核报告');
  expect(text).toContain('职能部门考核');

  // A viewer's event ledger: no phone column, no phone number anywhere.
  const viewer = await apiSocket(BASE_URL, 'viewer');
  // The residents' hotline reports of the last day: they carry the callers' phone numbers.
  const since = new Date(Date.now() - 24 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  let status = await viewer.call<ExportStatus>('exports.create', { kind: 'events', filter: { source: 'hotline', from: since } });
  while (status.state === 'running') {
    await new Promise((r) => setTimeout(r, 200));
    status = await viewer.call<ExportStatus>('exports.status', { id: status.id });
  }
  expect(status.state, status.error).toBe('done');
  const parts: Buffer[] = [];
  for (let offset = 0; ; ) {
    const chunk = await viewer.call<{ data: string; done: boolean }>('exports.read', { id: status.id, offset });
    const b = Buffer.from(chunk.data, 'base64');
    parts.push(b);
    offset += b.length;
    if (chunk.done) break;
  }
  viewer.close();
  const ledger = info.outputPath('viewer-ledger.xlsx');
  writeFileSync(ledger, Buffer.concat(parts));
  const lw = new ExcelJS.Workbook();
  await lw.xlsx.readFile(ledger);
  const sheet = lw.worksheets[0]!;
  expect(sheet.rowCount).toBeGreaterThan(1);
  expect((sheet.getRow(1).values as unknown[]).map(String)).not.toContain('联系电话');
  expect(JSON.stringify(sheet.getSheetValues())).not.toMatch(/1[3-9]\d{9}/);
  expect(path.extname(ledger)).toBe('.xlsx');
  expect(readFileSync(ledger).subarray(0, 2).toString()).toBe('PK');
});
