// Regenerate the demo town's data set (resources/demo-town/town.json).
//   npx tsx county/demo/gen-demo-town.ts [--seed N] [--out FILE]
// The file is checked before it is written: a valid grid hierarchy and an exact
// tiling at every level, on the rounded coordinates that the file holds.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDatasetJson } from './serialize';
import { allGrids, DEFAULT_SEED, generateTown } from './town';
import { checkTreeCoverage } from '../../core/grid/coverage';
import { buildGridTree } from '../../core/grid/hierarchy';
import { parseFlags } from '../../node-common/flags';
import { cliArgs, seedFlag } from './cli';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DEFAULT_OUT = resolve(ROOT, 'resources/demo-town/town.json');

interface Args {
  seed: number;
  out: string;
}

function parseArgs(argv: readonly string[]): Args {
  const v = parseFlags(argv, ['seed', 'out']);
  return { seed: seedFlag(v.seed, DEFAULT_SEED), out: resolve(v.out ?? DEFAULT_OUT) };
}

function main(): void {
  const args = cliArgs('gen-demo-town [--seed N] [--out FILE]', parseArgs);
  if (!args) return;
  const { seed, out } = args;
  const ds = generateTown({ seed });
  // Check what the file will hold, parsed back, not the in-memory objects.
  const json = formatDatasetJson(ds);
  const grids = allGrids(JSON.parse(json) as typeof ds);
  const { errors } = buildGridTree(grids);
  const coverage = checkTreeCoverage(grids);
  if (errors.length > 0 || !coverage.ok) {
    for (const e of errors) console.error(e);
    for (const r of coverage.reports.filter((x) => !x.ok)) {
      console.error(`${r.parent}: ${r.gaps.length} gaps, ${r.overlaps.length} overlaps, ${r.outside.length} outside`);
    }
    process.exitCode = 1;
    return;
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, json);
  console.log(
    `${out}: seed ${seed}, ${ds.villages.length} villages and communities, ${ds.grids.length} grids ` +
      `(${ds.grids.filter((g) => g.kind === 'dedicated').length} dedicated), ${ds.workers.length} workers, ${Buffer.byteLength(json)} bytes`,
  );
}

main();
