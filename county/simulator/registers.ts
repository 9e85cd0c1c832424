// The county's side of the registers (issue 17): the synthetic register it seeds for a
// new demo town, and the town's register commands (core/registers/types.ts), applied as
// the authority: validated, checked against the town's grids, stored as the entity's
// next revision with its change logged, so it reaches every replica of the town once.
import type { Grid, Worker } from '../../core/model';
import { REGISTER_IMPORT, parseRegisterCommand, parseRegisterImport, type RegisterEntity } from '../../core/registers/types';
import { generateRegister } from '../demo/registers';
import { randomPointIn, shapeOf } from './geo';
import type { CountyStore, EntityKey } from './store';

export type RegisterCommandResult = { ok: true; keys: EntityKey[]; seq: number } | { ok: false; code: string; reason: string };

function stored(store: CountyStore, town: string, e: RegisterEntity): number {
  const { id: _id, ...data } = e.value as { id: string };
  return store.put(town, e.type, e.id, data).seq;
}

/** Seeds a new town's synthetic register (inside the caller's store transaction). */
export function seedRegister(
  store: CountyStore,
  world: { town: Grid; villages: readonly Grid[]; grids: readonly Grid[]; workers: readonly Worker[] },
  seed: number,
  now: number,
): number {
  const shapes = new Map(world.grids.map((g) => [g.code, shapeOf(g.geometry)]));
  const entities = generateRegister(
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
  for (const e of entities) stored(store, world.town.code, e);
  return entities.length;
}

/** A town's register command, as the county applies it. */
export function applyRegisterCommand(
  store: CountyStore,
  town: string,
  gridExists: (code: string) => boolean,
  name: string,
  args: unknown,
): RegisterCommandResult {
  if (name === REGISTER_IMPORT) {
    const chunk = parseRegisterImport(args);
    if (!chunk.ok) return chunk;
    const bad = chunk.entities.find((e) => !gridExists(e.value.grid));
    if (bad) return { ok: false, code: 'invalid', reason: `本镇没有网格 ${bad.value.grid}` };
    let seq = 0;
    for (const e of chunk.entities) seq = Math.max(seq, stored(store, town, e));
    return { ok: true, keys: chunk.entities.map((e) => ({ type: e.type, id: e.id })), seq };
  }
  const parsed = parseRegisterCommand(name, args);
  if (!parsed.ok) return parsed;
  const e = parsed.entity;
  if (!gridExists(e.value.grid)) return { ok: false, code: 'invalid', reason: `本镇没有网格 ${e.value.grid}` };
  if (e.type === 'visit' && store.rev(town, 'house', e.value.house) === 0) {
    return { ok: false, code: 'invalid', reason: `登记中没有房屋 ${e.value.house}` };
  }
  const seq = stored(store, town, e);
  return { ok: true, keys: [{ type: e.type, id: e.id }], seq };
}
