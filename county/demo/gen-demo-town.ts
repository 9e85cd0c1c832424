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

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DEFAULT_OUT = resolve(ROOT, 'resources/demo-town/town.json');

interface Args {
  seed: number;
  out: string;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { seed: DEFAULT_SEED, out: DEFAULT_OUT };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--seed' && value !== undefined && /^-?\d+$/.test(value)) {
      args.seed = Number(value);
      i++;
    } else if (flag === '--out' && value !== undefined) {
      args.out = resolve(value);
      i++;
    } else {
      throw new Error(`usage: gen-demo-town [--seed N] [--out FILE]; cannot read "${flag ?? ''}"${value === undefined ? '' : ` "${value}"`}`);
    }
  }
  return args;
}

function main(): void {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
    return;
  }
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
