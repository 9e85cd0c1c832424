// A migration made of plain SQL statements, run by TypeORM's migration runner in one
// transaction each. TypeORM orders migrations by the 13-digit number at the end of
// their name, so the replica's numbered migrations are named `Xxx000000000000N`.
import type { MigrationInterface, QueryRunner } from 'typeorm';

export abstract class SqlMigration implements MigrationInterface {
  abstract readonly name: string;
  protected abstract readonly upSql: readonly string[];
  protected abstract readonly downSql: readonly string[];

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of this.upSql) await queryRunner.query(sql);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sql of this.downSql) await queryRunner.query(sql);
  }
}

/** TypeORM's name for migration number n: a prefix and n on 13 digits. */
export const migrationName = (prefix: string, n: number): string => `${prefix}${String(n).padStart(13, '0')}`;
