// GRIDDECK_SQLITE_BINDING: Electron's data service loads better-sqlite3 built for
// Electron (scripts/lib/electron-sqlite.mjs). Here, under Node, the Node build stands
// in for it; the variable is read once at import, so each case runs in its own process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(path.join(tmpdir(), 'griddeck-binding-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sqliteModule = path.resolve(import.meta.dirname, 'sqlite.ts');
const nodeBuild = path.join(path.dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');

function openWith(binding: string, name: string): { out: string; status: number | null } {
  const script = path.join(dir, `${name}.mts`);
  writeFileSync(
    script,
    `import { openDatabase, NATIVE_BINDING } from ${JSON.stringify(sqliteModule)};
console.log('binding', NATIVE_BINDING);
try {
  const { dataSource, db } = await openDatabase(${JSON.stringify(path.join(dir, `${name}.sqlite`))});
  console.log('opened', (db.prepare('SELECT COUNT(*) AS c FROM migrations').get() as { c: number }).c > 0);
  await dataSource.destroy();
} catch (e) {
  console.log('refused', (e as Error).message.split('\\n')[0]);
}
`,
  );
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, GRIDDECK_SQLITE_BINDING: binding }, encoding: 'utf8', timeout: 60_000 });
  return { out: `${r.stdout}${r.stderr}`, status: r.status };
}

describe('the SQLite module named by GRIDDECK_SQLITE_BINDING', () => {
  it('is the one the replica opens with', () => {
    const r = openWith(nodeBuild, 'good');
    expect(r.out).toContain(`binding ${nodeBuild}`);
    expect(r.out).toContain('opened true');
  }, 60_000);

  it('when missing, the replica is not opened and the error names it', () => {
    const r = openWith(path.join(dir, 'nowhere', 'better_sqlite3.node'), 'bad');
    expect(r.out).toMatch(/refused .*nowhere\/better_sqlite3\.node/);
    expect(r.out).not.toContain('opened');
  }, 60_000);
});
