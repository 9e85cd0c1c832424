// A town's reference data as the county serves it: the shape of
// resources/demo-town/town.json and of what the county generators produce.
import type { Category, Department, Grid, Worker } from '../model';

export interface TownDataset {
  town: Grid;
  villages: Grid[];
  grids: Grid[];
  departments: Department[];
  categories: Category[];
  workers: Worker[];
}

/** The town, its villages and communities, and its grids, in that order. */
export function allGrids(ds: TownDataset): Grid[] {
  return [ds.town, ...ds.villages, ...ds.grids];
}
