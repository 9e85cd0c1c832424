// The county's side of the registers (issue 17): the synthetic register it seeds for a
// new demo town, and the town's register commands (core/registers/types.ts), applied as
// the authority: validated, checked against the town's grids, stored as the entity's
// next revision with its change logged, so it reaches every replica of the town once.
import type { Grid, Worker } from '../../core/model';
import type { RegisterEntity } from '../../core/registers/types';
import { generateRegister } from '../demo/registers';
import { randomPointIn, shapeOf } from './geo';
import { settleRegister } from './settle';
import type { CountyStore, EntityKey } from './store';

export type RegisterCommandResult = { ok: true; keys: EntityKey[]; seq: number } | { ok: false; code: string; reason: string };

/** A register entity's wire `data`: its value without the id (the id travels beside it). */
export function registerData(e: RegisterEntity): Record<string, unknown> {
  const { id: _id, ...data } = e.value as { id: string };
  return data;
}

function stored(store: CountyStore, town: string, e: RegisterEntity): number {
  return store.put(town, e.type, e.id, registerData(e)).seq;
}

export interface RegisterTown {
  town: Grid;
  villages: readonly Grid[];
  grids: readonly Grid[];
  workers: readonly Worker[];
}

/**
 * A new demo town's synthetic register, placed in its grids by the simulator's geometry:
 * the one the simulator seeds (seedRegister) and the hub seeds (../hub/store.ts addTown).
 */
export function syntheticRegister(world: RegisterTown, seed: number, now: number): RegisterEntity[] {
  const shapes = new Map(world.grids.map((g) => [g.code, shapeOf(g.geometry)]));
  return generateRegister(
    {
      ...world,
      pointIn: (grid, rng) => {
        const shape = shapes.get(grid);
        if (!shape) throw new Error(`no geometry for grid ${grid}`);
        return randomPointIn(shape, rng);
      },
    },
    seed,
    now,
  );
}

/** Seeds a new town's synthetic register (inside the caller's store transaction). */
export function seedRegister(store: CountyStore, world: RegisterTown, seed: number, now: number): number {
  const entities = syntheticRegister(world, seed, now);
  for (const e of entities) stored(store, world.town.code, e);
  return entities.length;
}

/** A town's register command, as the county applies it (the rules: settle.ts settleRegister, shared with the hub). */
export function applyRegisterCommand(
  store: CountyStore,
  town: string,
  gridExists: (code: string) => boolean,
  name: string,
  args: unknown,
): RegisterCommandResult {
  const r = settleRegister(name, args, gridExists, (house) => store.rev(town, 'house', house) > 0);
  if (!r.ok) return r;
  let seq = 0;
  for (const e of r.entities) seq = Math.max(seq, stored(store, town, e));
  return { ok: true, keys: r.entities.map((e) => ({ type: e.type, id: e.id })), seq };
}
