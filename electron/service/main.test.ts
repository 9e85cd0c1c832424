// The process entry, run the way the main process runs it (minus Electron):
// a forked Node child that answers { id, method, args } with { id, response }.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ENTRY = fileURLToPath(new URL('./main.ts', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/tiny-town.json', import.meta.url));

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill();
  child = undefined;
});

function startService(dataset: string): ChildProcess {
  child = fork(ENTRY, ['--dataset', dataset, '--mode', 'electron', '--app-version', '1.2.3'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  return child;
}

function request(proc: ChildProcess, id: number, method: string, args: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${method}`)), 10_000);
    const onMessage = (message: unknown): void => {
      if ((message as { id?: unknown }).id !== id) return;
      clearTimeout(timer);
      proc.off('message', onMessage);
      resolve(message);
    };
    proc.on('message', onMessage);
    proc.send({ id, method, args });
  });
}

describe('electron/service/main.ts as a child process', () => {
  it('answers requests by id, and ignores malformed messages', async () => {
    const proc = startService(FIXTURE);
    proc.send('garbage');
    proc.send({ id: 'x', method: 'app.info' });
    const info = (await request(proc, 7, 'app.info', {})) as { id: number; response: { ok: boolean; result: unknown } };
    expect(info.id).toBe(7);
    expect(info.response).toMatchObject({ ok: true, result: { mode: 'electron', version: '1.2.3', town: { name: '古培镇' } } });
    expect(await request(proc, 8, 'grids.list', { level: 9 })).toMatchObject({ id: 8, response: { ok: false, error: { code: 'invalid' } } });
  }, 20_000);

  it('stays up and reports the reason when the dataset is missing', async () => {
    const proc = startService('/nonexistent/town.json');
    const answer = await request(proc, 1, 'grids.tree', {});
    expect(answer).toMatchObject({ id: 1, response: { ok: false, error: { code: 'unavailable' } } });
    expect((answer as { response: { error: { message: string } } }).response.error.message).toContain('/nonexistent/town.json');
  }, 20_000);
});
