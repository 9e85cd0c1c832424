// What the register screens read from the replica (migration 0013's tables). Pure reads
// over SQL with bound parameters; every function takes the caller's grid scope (null:
// the whole town) and returns the county's entities unmasked: the handlers mask them for
// the caller's role (core/registers/mask.ts) before they leave the service.
import type { House, Organisation, Person, SpecialGroup, Visit } from '../../../core/registers/types';
import { SPECIAL_GROUP_CODES } from '../../../core/registers/types';
import type { SqliteDatabase } from '../db/sqlite';
import { LIVE } from './tables';

export type Scope = readonly string[] | null;
export type Pending = { pending?: boolean };

interface Row {
  id: string;
  data: string;
  pending_n: number | null;
}

function entity<T>(r: Row): T & { id: string } & Pending {
  const out = { ...(JSON.parse(r.data) as T), id: r.id } as T & { id: string } & Pending;
  if (r.pending_n !== null) out.pending = true;
  return out;
}

/** SQL of a grid filter: a code prefix (a village, a grid) and the caller's scope. */
function gridWhere(alias: string, grid: string | undefined, scope: Scope): { sql: string; params: string[] } {
  const parts: string[] = [LIVE(alias)];
  const params: string[] = [];
  if (grid !== undefined) {
    parts.push(`${alias}.grid >= ? AND ${alias}.grid < ?`);
    params.push(grid, `${grid}~`);
  }
  if (scope !== null) {
    parts.push(`${alias}.grid IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(scope));
  }
  return { sql: parts.join(' AND '), params };
}

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class RegisterQueries {
  constructor(private readonly db: SqliteDatabase) {}

  private all<T>(sql: string, params: readonly (string | number)[]): (T & { id: string } & Pending)[] {
    return this.db.prepare<Row>(sql).all(...params).map((r) => entity<T>(r));
  }

  person(id: string): (Person & Pending) | null {
    return this.all<Person>(`SELECT id, data, pending_n FROM reg_persons p WHERE id = ? AND ${LIVE('p')}`, [id])[0] ?? null;
  }

  house(id: string): (House & Pending) | null {
    return this.all<House>(`SELECT id, data, pending_n FROM reg_houses h WHERE id = ? AND ${LIVE('h')}`, [id])[0] ?? null;
  }

  organisation(id: string): (Organisation & Pending) | null {
    return this.all<Organisation>(`SELECT id, data, pending_n FROM reg_organisations o WHERE id = ? AND ${LIVE('o')}`, [id])[0] ?? null;
  }

  personsOf(houseIds: readonly string[]): (Person & Pending)[] {
    if (houseIds.length === 0) return [];
    return this.all<Person>(
      `SELECT id, data, pending_n FROM reg_persons p WHERE house IN (SELECT value FROM json_each(?)) AND ${LIVE('p')} ORDER BY house, id`,
      [JSON.stringify(houseIds)],
    );
  }

  /** Houses at an address (exact), or else within `radiusM` of a point, nearest first; organisations likewise. */
  atAddress(address: string, point: { lon: number; lat: number } | null, scope: Scope, radiusM = 30): { houses: (House & Pending)[]; organisations: (Organisation & Pending)[] } {
    const w = gridWhere('h', undefined, scope);
    const wo = gridWhere('o', undefined, scope);
    let houses = this.all<House>(`SELECT id, data, pending_n FROM reg_houses h WHERE address = ? AND ${w.sql} LIMIT 20`, [address, ...w.params]);
    let organisations = this.all<Organisation>(`SELECT id, data, pending_n FROM reg_organisations o WHERE address = ? AND ${wo.sql} LIMIT 20`, [address, ...wo.params]);
    if (houses.length === 0 && organisations.length === 0 && point !== null) {
      const dLat = radiusM / 110_540;
      const dLon = radiusM / (111_320 * Math.cos((point.lat * Math.PI) / 180));
      const box = [point.lon - dLon, point.lon + dLon, point.lat - dLat, point.lat + dLat];
      const near = <T extends { location: { lon: number; lat: number } | null }>(list: T[]): T[] =>
        list
          .map((x) => ({ x, d: x.location ? Math.hypot((x.location.lon - point.lon) / dLon, (x.location.lat - point.lat) / dLat) : Infinity }))
          .filter((e) => e.d <= 1)
          .sort((a, b) => a.d - b.d)
          .slice(0, 10)
          .map((e) => e.x);
      houses = near(this.all<House>(`SELECT id, data, pending_n FROM reg_houses h WHERE lon BETWEEN ? AND ? AND lat BETWEEN ? AND ? AND ${w.sql}`, [...box, ...w.params]));
      organisations = near(
        this.all<Organisation>(`SELECT id, data, pending_n FROM reg_organisations o WHERE lon BETWEEN ? AND ? AND lat BETWEEN ? AND ? AND ${wo.sql}`, [...box, ...wo.params]),
      );
    }
    return { houses, organisations };
  }

  /** Search: text over name, address, the ID's and phone's last four; a tag or pool; a grid prefix; the scope. */
  search(args: { text: string; tag?: SpecialGroup | undefined; pool?: string | undefined; grid?: string | undefined; limit: number }, scope: Scope) {
    const text = args.text.toLowerCase();
    const like = `%${escapeLike(text)}%`;
    const filter = (alias: string, withTags: boolean) => {
      const w = gridWhere(alias, args.grid, scope);
      const parts = [w.sql];
      const params: (string | number)[] = [...w.params];
      if (text !== '') {
        parts.push(`${alias}.search LIKE ? ESCAPE '\\'`);
        params.push(like);
      }
      if (withTags && args.tag !== undefined) {
        parts.push(`(',' || ${alias}.tags || ',') LIKE ?`);
        params.push(`%,${args.tag},%`);
      }
      if (withTags && args.pool !== undefined) {
        parts.push(`(',' || ${alias}.pools || ',') LIKE ?`);
        params.push(`%,${args.pool},%`);
      }
      return { where: parts.join(' AND '), params: [...params, args.limit] };
    };
    const p = filter('p', true);
    const persons = this.all<Person>(`SELECT id, data, pending_n FROM reg_persons p WHERE ${p.where} ORDER BY name, id LIMIT ?`, p.params);
    const byPerson = args.tag !== undefined || args.pool !== undefined;
    const h = filter('h', false);
    const houses = byPerson ? [] : this.all<House>(`SELECT id, data, pending_n FROM reg_houses h WHERE ${h.where} ORDER BY address, id LIMIT ?`, h.params);
    const o = filter('o', false);
    const organisations = byPerson ? [] : this.all<Organisation>(`SELECT id, data, pending_n FROM reg_organisations o WHERE ${o.where} ORDER BY name, id LIMIT ?`, o.params);
    return { persons, houses, organisations };
  }

  /** Counts of a grid (or village) for its profile. */
  profile(grid: string, scope: Scope) {
    const w = gridWhere('p', grid, scope);
    const one = (sql: string, params: readonly (string | number)[]) => (this.db.prepare<{ c: number }>(sql).get(...params)?.c ?? 0);
    const persons = one(`SELECT COUNT(*) AS c FROM reg_persons p WHERE ${w.sql}`, w.params);
    const floating = one(`SELECT COUNT(*) AS c FROM reg_persons p WHERE ${w.sql} AND json_extract(p.data, '$.residence') = 'floating'`, w.params);
    const wh = gridWhere('h', grid, scope);
    const households = one(`SELECT COUNT(*) AS c FROM reg_houses h WHERE ${wh.sql}`, wh.params);
    const wo = gridWhere('o', grid, scope);
    const organisations = one(`SELECT COUNT(*) AS c FROM reg_organisations o WHERE ${wo.sql}`, wo.params);
    const tagged = this.db
      .prepare<{ tags: string; pools: string; house: string | null }>(`SELECT tags, pools, house FROM reg_persons p WHERE ${w.sql} AND (tags <> '' OR pools <> '')`)
      .all(...w.params);
    const groups = SPECIAL_GROUP_CODES.map((group) => {
      const rows = tagged.filter((r) => r.tags.split(',').includes(group));
      return { group, persons: rows.length, households: new Set(rows.map((r) => r.house)).size };
    });
    const pools = (['partyMember', 'talent', 'volunteer'] as const).map((pool) => ({ pool, persons: tagged.filter((r) => r.pools.split(',').includes(pool)).length }));
    const wm = gridWhere('m', grid, scope);
    const open = one(`SELECT COUNT(*) AS c FROM reg_mediations m WHERE ${wm.sql} AND status = 'open'`, wm.params);
    const resolved = one(`SELECT COUNT(*) AS c FROM reg_mediations m WHERE ${wm.sql} AND status = 'resolved'`, wm.params);
    return { persons, floating, households, organisations, groups, pools, mediations: { open, resolved } };
  }

  /** The points of the houses and organisations of a grid or a box, at most `limit` of each (truncated: more matched). */
  layers(grid: string | undefined, scope: Scope, bbox: readonly [number, number, number, number] | undefined, limit: number) {
    const wh = gridWhere('h', grid, scope);
    const wo = gridWhere('o', grid, scope);
    const box = bbox ? ' AND lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?' : '';
    const boxParams = bbox ? [bbox[0], bbox[2], bbox[1], bbox[3]] : [];
    const houses = this.db
      .prepare<{ id: string; grid: string; lon: number; lat: number }>(`SELECT id, grid, lon, lat FROM reg_houses h WHERE lon IS NOT NULL${box} AND ${wh.sql} LIMIT ?`)
      .all(...boxParams, ...wh.params, limit + 1);
    const organisations = this.db
      .prepare<{ id: string; grid: string; name: string; kind: string; data: string; lon: number; lat: number }>(
        `SELECT id, grid, name, json_extract(data, '$.kind') AS kind, lon, lat FROM reg_organisations o WHERE lon IS NOT NULL${box} AND ${wo.sql} LIMIT ?`,
      )
      .all(...boxParams, ...wo.params, limit + 1)
      .map((o) => ({ id: o.id, grid: o.grid, name: o.name, kind: o.kind as Organisation['kind'], lon: o.lon, lat: o.lat }));
    const truncated = houses.length > limit || organisations.length > limit;
    return { houses: houses.slice(0, limit), organisations: organisations.slice(0, limit), truncated };
  }

  /** The households with a tagged person (weekly groups are picked by the caller), with their visits in [from, to). */
  taggedHouseholds(grid: string | undefined, scope: Scope, from: number, to: number) {
    const w = gridWhere('p', grid, scope);
    const rows = this.db
      .prepare<{ house: string; tags: string; visits: number; last: number | null }>(
        `SELECT p.house AS house, group_concat(p.tags) AS tags,
           (SELECT COUNT(*) FROM register_visits v WHERE v.house = p.house AND v.at_ms >= ? AND v.at_ms < ?) AS visits,
           (SELECT MAX(at_ms) FROM register_visits v WHERE v.house = p.house) AS last
         FROM reg_persons p WHERE p.tags <> '' AND p.house IS NOT NULL AND ${w.sql} GROUP BY p.house ORDER BY p.house`,
      )
      .all(from, to, ...w.params);
    return rows.map((r) => ({ house: r.house, tags: r.tags.split(',').filter((t) => t !== '') as SpecialGroup[], visits: r.visits, last: r.last }));
  }

  visits(args: { house?: string | undefined; grid?: string | undefined; worker?: string | undefined; limit: number }, scope: Scope): (Visit & Pending)[] {
    const w = gridWhere('v', args.grid, scope);
    const parts = [w.sql];
    const params: (string | number)[] = [...w.params];
    if (args.house !== undefined) {
      parts.push('v.house = ?');
      params.push(args.house);
    }
    if (args.worker !== undefined) {
      parts.push('v.worker = ?');
      params.push(args.worker);
    }
    return this.all<Visit>(`SELECT id, data, pending_n FROM reg_visits v WHERE ${parts.join(' AND ')} ORDER BY at_ms DESC, id LIMIT ?`, [...params, args.limit]);
  }
}

/**
 * The assessment's read (走访户数, issue 17 for the assessment issue): per worker and grid,
 * the visits and the distinct households visited in [fromMs, toMs). Reads the view
 * `register_visits` (migration 0013): the county's visits and the town's own not rejected.
 */
export function visitCounts(db: SqliteDatabase, fromMs: number, toMs: number): { worker: string; grid: string; visits: number; households: number }[] {
  return db
    .prepare<{ worker: string; grid: string; visits: number; households: number }>(
      `SELECT worker, grid, COUNT(*) AS visits, COUNT(DISTINCT house) AS households FROM register_visits
       WHERE at_ms >= ? AND at_ms < ? GROUP BY worker, grid ORDER BY worker, grid`,
    )
    .all(fromMs, toMs);
}
