// One data service per replica file, with an OS-level lock (instance-lock.ts): another
// live process's lock refuses the start; the lock of a process killed with SIGKILL is
// free at once (the OS released it), whatever its pid has become since.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireInstanceLock, InstanceLockedError } from './instance-lock';
import { openDataService } from './data-service';

const dir = mkdtempSync(path.join(tmpdir(), 'griddeck-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MODULE = fileURLToPath(new URL('./instance-lock.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Another process that takes the lock of `db` with this module and keeps it until killed. */
function holder(db: string): Promise<ChildProcess> {
  const code = `import { acquireInstanceLock } from ${JSON.stringify(MODULE)}; acquireInstanceLock(${JSON.stringify(db)}); console.log('locked'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
  });
}

const killed = (child: ChildProcess): Promise<void> =>
  new Promise((done) => {
    child.removeAllListeners('exit');
    child.once('exit', () => done());
    child.kill('SIGKILL');
  });

describe('one data service per replica file', () => {
  it('refuses a replica another live process holds, before it opens anything, and takes it at once after that process was killed', async () => {
    const db = path.join(dir, 'a.sqlite');
    const other = await holder(db);
    expect(() => acquireInstanceLock(db)).toThrow(InstanceLockedError);
    await expect(openDataService({ db, county: 'http://127.0.0.1:9', town: '430624103' })).rejects.toThrow(/正被另一个 GridDeck 进程使用/);
    expect(existsSync(db)).toBe(false);
    // A crash: no release ran, the lock file is still there; the OS dropped the lock.
    await killed(other);
    expect(existsSync(`${db}.lock`)).toBe(true);
    const data = await openDataService({ db, county: 'http://127.0.0.1:9', town: '430624103', logger: { info: () => {}, warn: () => {}, error: () => {} } });
    await data.close();
    const release = acquireInstanceLock(db);
    release();
    release();
    // A clean release leaves nothing beside the replica.
    expect(existsSync(`${db}.lock`)).toBe(false);
  }, 30_000);

  it('is shared within this process (as the pid lock was) and released with the last holder', () => {
    const db = path.join(dir, 'b.sqlite');
    const first = acquireInstanceLock(db);
    const second = acquireInstanceLock(db);
    first();
    first();
    expect(existsSync(`${db}.lock`)).toBe(true);
    second();
    expect(existsSync(`${db}.lock`)).toBe(false);
  });

  it('replaces a lock file of an older version (a pid in a text file), even one naming a live pid', () => {
    const db = path.join(dir, 'c.sqlite');
    writeFileSync(`${db}.lock`, `1 ${new Date().toISOString()}\n`);
    acquireInstanceLock(db)();
  });
});
