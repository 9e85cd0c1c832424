// The service's log file (ops/log.ts): structured, rotated by size with a bounded count,
// secrets and personal numbers kept out, and the path the operator is told to look at.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../service';
import { RotatingFile, createServiceLogger, rotatedName } from './log';

const dirs: string[] = [];
const temp = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'griddeck-log-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const lines = (file: string): Record<string, unknown>[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the rotating log file', () => {
  it('rotates by size and keeps at most the given number of files', () => {
    const dir = temp();
    const file = new RotatingFile(dir, 1_000, 3);
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 100; i++) file.write(line);
    file.close();
    expect(readdirSync(dir).sort()).toEqual(['griddeck.1.log', 'griddeck.2.log', 'griddeck.log']);
    for (let n = 0; n < 3; n++) expect(statSync(rotatedName(dir, n)).size).toBeLessThanOrEqual(1_000);
    // The newest lines are in the current file, the file before them in .1: nothing in between lost.
    expect(statSync(rotatedName(dir, 1)).size).toBe(1_000);
  });

  it('writes one JSON object a line with level, component and time, and rotates through the logger', () => {
    const dir = temp();
    const logs = createServiceLogger({ dir, maxBytes: 2_000, files: 2, stderr: false });
    for (let i = 0; i < 40; i++) logs.link.warn(`[county-link] connection: attempt ${i}`);
    logs.close();
    expect(existsSync(rotatedName(dir, 1))).toBe(true);
    expect(existsSync(rotatedName(dir, 2))).toBe(false);
    const last = lines(logs.file).at(-1);
    expect(last).toMatchObject({ level: 40, component: 'county-link', msg: '[county-link] connection: attempt 39' });
    expect(typeof last?.time).toBe('string');
  });
});

describe('what never reaches the log', () => {
  it('censors the county token, passwords and personal numbers, in messages, fields and errors', () => {
    const dir = temp();
    const logs = createServiceLogger({ dir, stderr: false });
    logs.addSecret('tok-9f8e7d6c5b4a');
    logs.link.error('county refused auth {"token":"tok-9f8e7d6c5b4a"}');
    logs.ops.info('reporter 张三 13812345678 id 430624199001011234');
    logs.pino.info({ auth: { token: 'abc' }, password: 'hunter2', user: 'admin' }, 'login');
    logs.service.error('[service] x failed', new Error('bad value 13812345678 with tok-9f8e7d6c5b4a'));
    logs.close();
    const text = readFileSync(logs.file, 'utf8');
    for (const secret of ['tok-9f8e7d6c5b4a', '13812345678', '430624199001011234', 'hunter2', '"abc"']) expect(text).not.toContain(secret);
    expect(text).toContain('[REDACTED]');
    expect(text).toContain('"user":"admin"');
  });
});

describe('"请查看日志"', () => {
  it('names the log file in the answer to a failing call', async () => {
    const dir = temp();
    const logs = createServiceLogger({ dir, stderr: false });
    const handle = createDispatcher({ 'link.status': () => { throw new Error('boom'); } } as never, logs.service);
    const response = await handle('link.status', {}, { role: 'admin' } as never);
    logs.close();
    expect(response).toEqual({ ok: false, error: { code: 'internal', message: `数据服务内部错误,请查看日志:${logs.file}` } });
    expect(lines(logs.file).some((l) => l.component === 'service' && (l.err as { message?: string } | undefined)?.message === 'boom')).toBe(true);
  });

  it('says 磁盘空间不足 for a write that hit a full disk', async () => {
    const logs = createServiceLogger({ dir: temp(), stderr: false });
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    const handle = createDispatcher({ 'link.status': () => { throw full; } } as never, logs.service);
    const response = await handle('link.status', {}, { role: 'admin' } as never);
    logs.close();
    expect(response).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringContaining('磁盘空间不足') } });
  });
});

describe('the log for an administrator (ops.log, ops.status)', () => {
  it('answers the newest lines of the file and where it is; only the admin may ask', async () => {
    const { createOpsHandlers } = await import('./handlers');
    const { mayCall } = await import('../../../core/api/access');
    const logs = createServiceLogger({ dir: temp(), stderr: false });
    for (let i = 0; i < 30; i++) logs.ops.info(`line ${i}`);
    const ops = createOpsHandlers({ logFile: logs.file, backupDir: null, maintenance: null, recovery: null });
    const tail = await ops['ops.log']({ limit: 5 }, { role: 'admin' } as never);
    expect(tail.file).toBe(logs.file);
    expect(tail.lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['line 25', 'line 26', 'line 27', 'line 28', 'line 29']);
    expect(await ops['ops.status']({}, { role: 'admin' } as never)).toMatchObject({ logFile: logs.file, backups: [], recovery: null });
    await expect(async () => ops['ops.backup']({}, { role: 'admin' } as never)).rejects.toThrow(/备份不可用/);
    logs.close();
    expect(mayCall('admin', 'ops.log')).toBe(true);
    expect(['dispatcher', 'leader', 'viewer'].some((role) => mayCall(role as 'viewer', 'ops.log'))).toBe(false);
  });
});
