// `npm run bench -- --only registers`
//
// The registers' search (issue 17) over 100,000 persons and 30,000 houses in the replica:
// `registers.search` through the data service (the role gate, the scope, masking every
// person for the caller's role) against the same SQL run directly on the replica's
// connection, interleaved in the same run; target: within 2x. And the process's RSS with
// the registers loaded. Synthetic rows (core's generator's shape), written straight into
// the register tables (the county link is not what is measured here).
//
// Then the imports of a town's Excel ledgers of as many rows as persons (100,000 in the
// full run: the Done-when; import.test.ts reads the 100,000-row file with one bad
// row, this times it): a houses file with one bad row gets its report and changes
// nothing, a good one is imported all or nothing, and a persons file whose rows live at
// the register's houses (so each row looks its house and its ID number up in the loaded
// register). Each is timed whole and by phase (read and check, stage, apply: the final
// transaction) with its CPU time, against exceljs reading the same file alone (the parse),
// with the longest pause of the event loop (the service answers other calls between
// chunks) and the RSS after them.
import type { Caller } from '../../core/api/channels';
import { makeIdNumber, SYNTHETIC_REGION } from '../../core/registers/id-number';
import type { RegisterEntity, SpecialGroup } from '../../core/registers/types';
import { createReplicaService } from '../../electron/service/replica-service';
import { Replica } from '../../electron/service/replica/replica';
import { RegisterTables } from '../../electron/service/registers/tables';
import { LIVE } from '../../electron/service/registers/tables';
import { Readable } from 'node:stream';
import { workbookReader } from '../../electron/service/registers/xlsx-reader';
import { importLedger, type ImportDeps } from '../../electron/service/registers/import';
import { houseLedger, personLedger } from '../../electron/service/registers/test-fixtures';
import type { Grid } from '../../core/model';
import type { BenchReport, Check, Row } from './lib/report';
import { fmtInt, fmtMb, fmtMs, fmtRatio, median, scratchDir } from './lib/util';

export const REGISTERS_TARGET = { maxRatio: 2 };
const GROUPS: SpecialGroup[] = ['hardship', 'elderlyAlone', 'disabled'];
const QUERIES = ['测试甲一', '第七网格1', '4321', '测试'];

function* rows(persons: number, houses: number): Generator<RegisterEntity> {
  for (let h = 0; h < houses; h++) {
    const grid = `43062410300${1 + (h % 7)}00${1 + (h % 5)}`;
    yield { type: 'house', id: `h-${h}`, value: { id: `h-${h}`, address: `古培镇测试村第${h % 9}网格${h}号`, grid, location: null, head: null, use: 'residential' } };
  }
  for (let p = 0; p < persons; p++) {
    const h = p % houses;
    const grid = `43062410300${1 + (h % 7)}00${1 + (h % 5)}`;
    const tags = p % 17 === 0 ? [GROUPS[p % 3]!] : [];
    yield {
      type: 'person',
      id: `p-${p}`,
      value: {
        id: `p-${p}`, name: `测试${'甲乙丙丁戊己庚辛壬癸'[p % 10]}${'一二三四五六七八九十'[(p >> 3) % 10]}`, idNumber: makeIdNumber(SYNTHETIC_REGION, '19800101', p % 1000),
        phone: `199${String(p).padStart(8, '0')}`, residence: 'registered', house: `h-${h}`, grid, address: `古培镇测试村第${h % 9}网格${h}号`, organisation: null, tags, pools: [],
      },
    };
  }
}

export async function runRegisters(opts: { persons: number; houses: number; rounds: number; importRows?: number; log?: (l: string) => void }): Promise<{ report: BenchReport }> {
  const scratch = scratchDir('registers');
  const replica = await Replica.open({ file: scratch.file('replica.sqlite'), town: '430624103' });
  try {
    const { db, write } = replica.store();
    const tables = new RegisterTables(db);
    const batch: RegisterEntity[] = [];
    const flush = (): void => write(() => batch.splice(0).forEach((e) => tables.write(e, 1, null)));
    for (const e of rows(opts.persons, opts.houses)) if (batch.push(e) >= 5000) flush();
    flush();
    opts.log?.(`loaded ${fmtInt(opts.persons)} persons and ${fmtInt(opts.houses)} houses`);
    const rss = process.memoryUsage().rss;
    const service = createReplicaService({ replica, clock: Date.now, log: { error: (m, d) => console.error(m, d) } });
    const caller: Caller = { role: 'dispatcher', user: { id: 'u', name: '调度员' } };
    const raw = (text: string) => {
      const like = `%${text.toLowerCase()}%`;
      for (const [table, order] of [['reg_persons', 'name'], ['reg_houses', 'address'], ['reg_organisations', 'name']] as const) {
        db.prepare(`SELECT id, data, pending_n FROM ${table} x WHERE ${LIVE('x')} AND x.search LIKE ? ESCAPE '\\' ORDER BY ${order}, id LIMIT 50`).all(like);
      }
    };
    const svc: number[] = [];
    const bare: number[] = [];
    for (let r = 0; r < opts.rounds; r++) {
      for (const text of QUERIES) {
        let t = performance.now();
        const answer = await service.handle('registers.search', { text, limit: 50 }, caller);
        if (!answer.ok) throw new Error(`registers.search failed: ${answer.error.message}`);
        svc.push(performance.now() - t);
        t = performance.now();
        raw(text);
        bare.push(performance.now() - t);
      }
    }
    const ratio = median(svc) / median(bare);
    await service.close();
    const result = {
      report: {
        name: 'registers',
        title: 'register search through the service vs the same SQL, and RSS',
        setup: `${fmtInt(opts.persons)} persons, ${fmtInt(opts.houses)} houses; ${opts.rounds} rounds of ${QUERIES.length} searches (name, address, last four, common prefix), limit 50`,
        rows: [
          { name: 'registers.search (median)', value: fmtMs(median(svc)), baseline: fmtMs(median(bare)), ratio: fmtRatio(ratio), note: 'baseline: the same SELECTs on the connection' },
          { name: 'RSS with the registers loaded', value: fmtMb(rss), baseline: '', ratio: '' },
        ],
        checks: [{ name: 'search within 2x the SQL', measured: fmtRatio(ratio), target: `≤ ${REGISTERS_TARGET.maxRatio}×`, pass: ratio <= REGISTERS_TARGET.maxRatio }],
        verified: [(db.prepare('SELECT COUNT(*) AS c FROM reg_persons').get() as { c: number }).c === opts.persons ? 'ok persons loaded' : 'persons missing'],
      },
    };
    const imported = await importBench(replica, opts.importRows ?? opts.persons, opts.houses, opts.log);
    result.report.rows.push(...imported.rows);
    result.report.checks.push(...imported.checks);
    result.report.verified.push(...imported.verified);
    return result;
  } finally {
    await replica.close();
    scratch.cleanup();
  }
}

/** The grid the bench's houses ledger names: one of the town's basic grids (430624103 is the bench's town). */
const IMPORT_GRID = '430624103001001';

/** The longest gap between 10 ms ticks while `fn` runs: how long the event loop was held at most. */
async function withPauses<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number; maxPauseMs: number }> {
  let last = performance.now();
  let maxPauseMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxPauseMs = Math.max(maxPauseMs, now - last - 10);
    last = now;
  }, 10);
  const t0 = performance.now();
  try {
    const value = await fn();
    return { value, ms: performance.now() - t0, maxPauseMs: Math.max(maxPauseMs, performance.now() - last - 10) };
  } finally {
    clearInterval(timer);
  }
}

async function readOnly(file: Buffer): Promise<number> {
  let n = 0;
  const reader = workbookReader(Readable.from([file]));
  for await (const sheet of reader) {
    for await (const _row of sheet) n++;
    break;
  }
  return n;
}

/** The longest pause of the event loop an import may cause (its final transaction queues every command at once: all or nothing). */
export const IMPORT_TARGET = { maxPauseMs: 1000, wholeMs: 30_000 };

interface Phases {
  /** Reading and checking every row (parse + validate), until the first chunk is staged. */
  read: number;
  /** Staging the rows (hidden), until the final transaction. */
  stage: number;
  /** The final transaction: the commands queued and the staged rows committed. */
  apply: number;
}

/** One import timed whole and by phase, with its CPU time (wall time on a shared machine moves with the load). */
async function timedImport(kind: 'houses' | 'persons', file: Buffer, deps: Omit<ImportDeps, 'onWritten'>) {
  const t0 = performance.now();
  const phases: Phases = { read: 0, stage: 0, apply: 0 };
  let readDone = 0;
  const cpu0 = process.cpuUsage();
  const measured = await withPauses(() =>
    importLedger(kind, Readable.from([file]), {
      ...deps,
      onWritten: () => (readDone ||= performance.now()),
      queueCommands: (commands, actor, atMs, alongside) => {
        const t = performance.now();
        phases.read = (readDone || t) - t0;
        phases.stage = t - (readDone || t);
        try {
          return deps.queueCommands(commands, actor, atMs, alongside);
        } finally {
          phases.apply = performance.now() - t;
        }
      },
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  if (phases.read === 0) phases.read = measured.ms;
  return { ...measured, phases, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const phaseNote = (p: Phases, cpuMs: number): string => `read+check ${fmtMs(p.read)}, stage ${fmtMs(p.stage)}, apply ${fmtMs(p.apply)}; CPU ${fmtMs(cpuMs)}`;

async function importBench(replica: Replica, rows: number, houses: number, log?: (l: string) => void): Promise<{ rows: Row[]; checks: Check[]; verified: string[] }> {
  const { db, write } = replica.store();
  const grid = { code: IMPORT_GRID, level: 3, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] } } as unknown as Grid;
  const deps = { db, write, queueCommands: replica.queueCommands.bind(replica), grids: [grid], actor: { id: 'bench', role: 'dispatcher' as const, name: '调度员' }, clock: Date.now };
  const count = (table: string): number => (db.prepare(`SELECT COUNT(*) AS c FROM ${table}`).get() as { c: number }).c;
  const bad = await houseLedger(rows, Math.ceil(rows * 0.77), IMPORT_GRID, '导入测试路');
  const good = await houseLedger(rows, 0, IMPORT_GRID, '导入正式路');
  // The persons live at the bench register's houses (every address is one), so each row's house is looked up there.
  const persons = await personLedger(rows, 0, (i) => `古培镇测试村第${(i % houses) % 9}网格${i % houses}号`);
  log?.(`ledgers of ${fmtInt(rows)} rows: houses ${fmtMb(good.length)}, persons ${fmtMb(persons.length)}`);
  const before = { houses: count('reg_houses'), persons: count('reg_persons') };
  const baseline = await withPauses(() => readOnly(good));
  const refused = await timedImport('houses', bad, deps);
  const afterRefused = count('reg_houses');
  const kept = await timedImport('houses', good, deps);
  const people = await timedImport('persons', persons, deps);
  const rss = process.memoryUsage().rss;
  const pause = Math.max(refused.maxPauseMs, kept.maxPauseMs, people.maxPauseMs);
  const slowest = Math.max(kept.ms, people.ms);
  return {
    rows: [
      { name: `import ${fmtInt(rows)} houses, one bad: report`, value: fmtMs(refused.ms), baseline: fmtMs(baseline.ms), ratio: fmtRatio(refused.ms / baseline.ms), note: `baseline: exceljs reading the file alone (parse); CPU ${fmtMs(refused.cpuMs)}` },
      { name: `import ${fmtInt(rows)} houses, all kept`, value: fmtMs(kept.ms), baseline: fmtMs(baseline.ms), ratio: fmtRatio(kept.ms / baseline.ms), note: phaseNote(kept.phases, kept.cpuMs) },
      { name: `import ${fmtInt(rows)} persons at the register's houses`, value: fmtMs(people.ms), baseline: fmtMs(baseline.ms), ratio: fmtRatio(people.ms / baseline.ms), note: phaseNote(people.phases, people.cpuMs) },
      { name: 'longest event-loop pause in an import', value: fmtMs(pause), baseline: fmtMs(baseline.maxPauseMs), ratio: '', note: 'baseline: reading alone' },
      { name: 'RSS after the imports', value: fmtMb(rss), baseline: '', ratio: '' },
    ],
    checks: [
      { name: 'an import never holds the service long', measured: fmtMs(pause), target: `≤ ${IMPORT_TARGET.maxPauseMs} ms`, pass: pause <= IMPORT_TARGET.maxPauseMs },
      { name: `a ${fmtInt(rows)}-row import, whole`, measured: fmtMs(slowest), target: `< ${fmtMs(IMPORT_TARGET.wholeMs)}`, pass: slowest < IMPORT_TARGET.wholeMs },
    ],
    verified: [
      refused.value.ok === false && refused.value.rows === rows && refused.value.rejected.length === 1 && afterRefused === before.houses ? 'ok the bad file reported its one row, nothing imported' : `bad file: ${JSON.stringify({ ...refused.value, rejected: refused.value.rejected.slice(0, 3) })}`,
      kept.value.ok && kept.value.imported === rows && count('reg_houses') === before.houses + rows ? 'ok the good file imported whole' : `good file: imported ${kept.value.imported}, houses ${count('reg_houses') - before.houses}`,
      people.value.ok && people.value.imported === rows && count('reg_persons') === before.persons + rows ? 'ok the persons file imported whole' : `persons file: ${JSON.stringify({ ...people.value, rejected: people.value.rejected.slice(0, 3) })}`,
    ],
  };
}
