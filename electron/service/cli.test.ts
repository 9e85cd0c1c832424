// The standalone data service (electron/service/cli.ts) as a plain Node process.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCountySimulator } from '../../county/simulator/index';
import { exited, useCli } from './test-cli';

const { run, temp } = useCli();

describe('the standalone data service (electron/service/cli.ts)', () => {
  it('prints its ready line, syncs from --county and closes cleanly on SIGTERM', async () => {
    const dir = temp();
    const sim = await startCountySimulator({ port: 0, seed: 20241112, dbFile: join(dir, 'county.sqlite'), token: 'tok', activity: false });
    try {
      const tokenFile = join(dir, 'county-token');
      writeFileSync(tokenFile, 'tok\n', { mode: 0o600 });
      const service = run('electron/service/cli.ts', ['--db', join(dir, 'replica.sqlite'), '--county', sim.url, '--town', '430624103', '--county-token-file', tokenFile]);
      const [, replica] = await service.line(/^GridDeck data service ready: town 430624103, replica ([0-9a-f-]{36}), county http:\/\/127\.0\.0\.1:\d+, db .+$/m);
      await service.line(/^link: online/m);
      service.proc.kill('SIGTERM');
      expect(await exited(service.proc)).toBe(0);
      expect(service.output()).toContain('GridDeck data service stopped (SIGTERM)');
      expect(sim.snapshot('430624103').grids.length).toBeGreaterThan(0);
      expect(replica).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await sim.close();
    }
  }, 60_000);
});

describe('the standalone data service on the demo (no --county)', () => {
  it('prints one line per demo account, with the same passwords at the next start', async () => {
    const dir = temp();
    const db = join(dir, 'replica.sqlite');
    const lines = async (): Promise<string[]> => {
      const service = run('electron/service/cli.ts', ['--db', db]);
      await service.line(/^demo account viewer \(viewer\): \S+$/m);
      service.proc.kill('SIGTERM');
      expect(await exited(service.proc)).toBe(0);
      return service.output().split('\n').filter((l) => l.startsWith('demo account '));
    };
    const first = await lines();
    expect(first.map((l) => l.replace(/: \S+$/, ''))).toEqual(
      ['admin', 'dispatcher', 'leader', 'secretary', 'department', 'village', 'viewer'].map((r) => `demo account ${r} (${r})`),
    );
    expect(await lines()).toEqual(first);
  }, 120_000);
});
