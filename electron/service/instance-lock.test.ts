import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireInstanceLock, InstanceLockedError } from './instance-lock';
import { openDataService } from './data-service';

const dir = mkdtempSync(path.join(tmpdir(), 'griddeck-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A process that lives until killed: the owner of a lock in these tests. */
function otherProcess(): Promise<{ pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  return new Promise((resolve) =>
    child.once('spawn', () =>
      resolve({
        pid: child.pid!,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGKILL');
          }),
      }),
    ),
  );
}

describe('one data service per replica file', () => {
  it('refuses a replica another live process holds, naming it; takes it over once that process is gone', async () => {
    const db = path.join(dir, 'a.sqlite');
    const other = await otherProcess();
    writeFileSync(`${db}.lock`, `${other.pid} ${new Date().toISOString()}\n`);
    expect(() => acquireInstanceLock(db)).toThrow(InstanceLockedError);
    expect(() => acquireInstanceLock(db)).toThrow(new RegExp(`pid ${other.pid}`));
    await other.stop();
    const release = acquireInstanceLock(db);
    expect(readFileSync(`${db}.lock`, 'utf8')).toMatch(new RegExp(`^${process.pid} `));
    release();
    expect(existsSync(`${db}.lock`)).toBe(false);
  });

  it.runIf(process.platform === 'linux')('takes over the lock of a killed process its parent has not reaped yet', async () => {
    const db = path.join(dir, 'z.sqlite');
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('spawn', resolve));
    const pid = child.pid!;
    writeFileSync(`${db}.lock`, `${pid} ${new Date().toISOString()}\n`);
    expect(() => acquireInstanceLock(db)).toThrow(InstanceLockedError);
    child.kill('SIGKILL');
    // Synchronously, so this process's event loop cannot reap it: it stays a zombie meanwhile.
    const stat = (): string => readFileSync(`/proc/${pid}/stat`, 'utf8');
    const until = Date.now() + 5000;
    while (Date.now() < until && !stat().includes(') Z')) {
      // wait for the kill to land
    }
    expect(stat()).toContain(') Z');
    acquireInstanceLock(db)();
    expect(existsSync(`${db}.lock`)).toBe(false);
  });

  it('takes over a lock written before the machine booted, or one it cannot read', () => {
    const db = path.join(dir, 'b.sqlite');
    // pid 1 is always alive, but a lock from before the boot means nothing.
    writeFileSync(`${db}.lock`, '1 2001-01-01T00:00:00.000Z\n');
    acquireInstanceLock(db)();
    writeFileSync(`${db}.lock`, 'garbage');
    acquireInstanceLock(db)();
    expect(existsSync(`${db}.lock`)).toBe(false);
  });

  it('leaves a lock another process took since alone when it releases', async () => {
    const db = path.join(dir, 'c.sqlite');
    const release = acquireInstanceLock(db);
    const other = await otherProcess();
    writeFileSync(`${db}.lock`, `${other.pid} ${new Date().toISOString()}\n`);
    release();
    expect(readFileSync(`${db}.lock`, 'utf8')).toMatch(new RegExp(`^${other.pid} `));
    await other.stop();
  });

  it('openDataService refuses a replica in use before it opens anything, and frees it on close', async () => {
    const db = path.join(dir, 'd.sqlite');
    const other = await otherProcess();
    writeFileSync(`${db}.lock`, `${other.pid} ${new Date().toISOString()}\n`);
    await expect(openDataService({ db, county: 'http://127.0.0.1:9', town: '430624103' })).rejects.toThrow(/正被另一个 GridDeck 进程/);
    expect(existsSync(db)).toBe(false);
    await other.stop();
    const data = await openDataService({ db, county: 'http://127.0.0.1:9', town: '430624103', logger: { info: () => {}, warn: () => {}, error: () => {} } });
    expect(readFileSync(`${db}.lock`, 'utf8')).toMatch(new RegExp(`^${process.pid} `));
    await data.close();
    expect(existsSync(`${db}.lock`)).toBe(false);
  }, 30_000);
});
