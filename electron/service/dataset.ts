// Loads the demo town (resources/demo-town/town.json) and checks it against the
// contract's entity schemas, so the service never answers with data a client
// would refuse. The file's shape is read loosely: `town` and `villages` count as
// grids when they are grid-shaped, and unknown extra fields are dropped.
import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import type { Category, Department, Grid, Worker } from '../../core/model';
import { CategorySchema, DepartmentSchema, GridSchema, WorkerSchema } from '../../core/api/schemas';
import { describeIssues } from '../../core/api/validate';
import { TOWN_CODE_PATTERN } from '../../core/grid/codes';

export interface LoadedTown {
  town: { code: string; name: string };
  /** Town, villages and communities, grids: deduplicated, ordered by code. */
  grids: Grid[];
  departments: Department[];
  categories: Category[];
  workers: Worker[];
}

const FileSchema = z.object({
  town: z.looseObject({ code: z.string().regex(TOWN_CODE_PATTERN), name: z.string().min(1) }),
  villages: z.array(z.unknown()).optional(),
  grids: z.array(z.unknown()),
  departments: z.array(DepartmentSchema),
  categories: z.array(CategorySchema),
  workers: z.array(WorkerSchema),
});

export class DatasetError extends Error {
  constructor(path: string, reason: string) {
    super(`演示数据 ${path} 无法使用:${reason}`);
    this.name = 'DatasetError';
  }
}

/** Parses an already-read dataset; throws DatasetError naming the first problems. */
export function parseTown(raw: unknown, path = '(dataset)'): LoadedTown {
  const file = FileSchema.safeParse(raw);
  if (!file.success) throw new DatasetError(path, describeIssues(file.error));

  const byCode = new Map<string, Grid>();
  const add = (candidate: unknown, where: string, required: boolean): void => {
    const grid = GridSchema.safeParse(candidate);
    if (!grid.success) {
      if (required) throw new DatasetError(path, `${where}: ${describeIssues(grid.error)}`);
      return;
    }
    if (!byCode.has(grid.data.code)) byCode.set(grid.data.code, grid.data);
  };
  // The town and village records may carry a summary rather than a boundary; only
  // the `grids` list must be made of grids.
  add(file.data.town, 'town', false);
  file.data.villages?.forEach((v, i) => add(v, `villages.${i}`, false));
  file.data.grids.forEach((g, i) => add(g, `grids.${i}`, true));

  for (const grid of byCode.values()) {
    if (grid.level > 1 && (grid.parent === null || !byCode.has(grid.parent))) {
      throw new DatasetError(path, `网格 ${grid.code}(${grid.name})的上级 ${String(grid.parent)} 不存在`);
    }
  }

  const grids = [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return {
    town: { code: file.data.town.code, name: file.data.town.name },
    grids,
    departments: file.data.departments,
    categories: file.data.categories,
    workers: file.data.workers,
  };
}

export async function loadTown(path: string): Promise<LoadedTown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DatasetError(path, error instanceof Error ? error.message : String(error));
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new DatasetError(path, `不是有效的 JSON(${error instanceof Error ? error.message : String(error)})`);
  }
  return parseTown(raw, path);
}
