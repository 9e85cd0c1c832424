// `npm run bench -- --only registers`
//
// The registers' search (issue 17) over 100,000 persons and 30,000 houses in the replica:
// `registers.search` through the data service (the role gate, the scope, masking every
// person for the caller's role) against the same SQL run directly on the replica's
// connection, interleaved in the same run; target: within 2x. And the process's RSS with
// the registers loaded. Synthetic rows (core's generator's shape), written straight into
// the register tables (the county link is not what is measured here).
import type { Caller } from '../../core/api/channels';
import { makeIdNumber, SYNTHETIC_REGION } from '../../core/registers/id-number';
import type { RegisterEntity, SpecialGroup } from '../../core/registers/types';
import { createReplicaService } from '../../electron/service/replica-service';
import { Replica } from '../../electron/service/replica/replica';
import { RegisterTables } from '../../electron/service/registers/tables';
import { LIVE } from '../../electron/service/registers/tables';
import type { BenchReport } from './lib/report';
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

export async function runRegisters(opts: { persons: number; houses: number; rounds: number; log?: (l: string) => void }): Promise<{ report: BenchReport }> {
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
    return {
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
  } finally {
    await replica.close();
    scratch.cleanup();
  }
}
