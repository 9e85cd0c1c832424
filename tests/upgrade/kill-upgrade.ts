// An upgrade killed halfway (issue 15): opens FILE with the current migrations and
// SIGKILLs itself inside migration number K's transaction, after its statements ran and
// before it commits, as a power cut or a killed process would.
//   node --import tsx tests/upgrade/kill-upgrade.ts FILE K
import type { QueryRunner } from 'typeorm';
import { openDatabase } from '../../electron/service/db/sqlite';
import { MIGRATIONS } from '../../electron/service/db/migrations';

const file = process.argv[2] ?? '';
const k = Number(process.argv[3]);
if (file === '' || !Number.isInteger(k)) throw new Error('usage: kill-upgrade.ts FILE K');

const migrations = MIGRATIONS.map((M) => {
  if (!(new M().name ?? '').endsWith(String(k).padStart(13, '0'))) return M;
  // Same name (TypeORM records it): only its end differs.
  return class extends M {
    override async up(queryRunner: QueryRunner): Promise<void> {
      await super.up(queryRunner);
      process.kill(process.pid, 'SIGKILL');
    }
  };
});

await openDatabase(file, migrations);
// Reached only when migration K had already run on this file.
process.stdout.write('opened without running the migration\n');
