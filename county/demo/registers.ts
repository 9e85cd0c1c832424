// The demo town's synthetic register (人、地、物、组织, issue 17): one house per household
// of each grid (Grid.households), one to four people in it, organisations in every
// village (units and enterprises, most in its dedicated grids), the special groups with
// their care level, the three pools of 方案3, a week of the weekly visits of 方案1 and a
// few mediation files. Everything is plainly synthetic: names start with 测试, ID numbers
// have a valid GB 11643 check character under region 990624 (no province has code 99),
// phones use the 199 prefix, and every entry carries `synthetic: true`.
import type { Grid, Worker } from '../../core/model';
import { SYNTHETIC_REGION, makeIdNumber } from '../../core/registers/id-number';
import { weeklyGroupsOf } from '../../core/registers/care';
import type { RegisterEntity, SpecialGroup, Pool, House, Person } from '../../core/registers/types';
import { toIso } from '../../core/time/shanghai';
import { createRng, type Rng } from './random';

const STEMS = [...'甲乙丙丁戊己庚辛壬癸'];
const GIVEN = [...'一二三四五六七八九十'];

export interface RegisterWorld {
  town: Grid;
  villages: readonly Grid[];
  grids: readonly Grid[];
  workers: readonly Worker[];
  /** A random point inside a grid (the simulator's geometry). */
  pointIn: (grid: string, rng: Rng) => readonly [number, number];
}

/** The short name of a grid within its village (第一网格), as event addresses use it. */
export function shortGridName(grid: Grid, village: Grid | undefined): string {
  return village && grid.name.startsWith(village.name) ? grid.name.slice(village.name.length) : grid.name;
}

/** The address of house k of a grid: the form the simulator's events use (…第一网格12号附近 is at …第一网格12号). */
export function houseAddress(town: Grid, village: Grid | undefined, grid: Grid, k: number): string {
  return `${town.name}${village?.name ?? ''}${shortGridName(grid, village)}${k}号`;
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

function birth(rng: Rng, fromYear: number, toYear: number): string {
  const y = rng.int(fromYear, toYear);
  return `${y}${String(rng.int(1, 12)).padStart(2, '0')}${String(rng.int(1, 28)).padStart(2, '0')}`;
}

/** One household's people: the head, and maybe a spouse, a child, an elder. */
function household(rng: Rng, house: House & { id: string }, seq: { n: number }): Person[] {
  const alone = rng.chance(0.12);
  const size = alone ? 1 : rng.int(2, 4);
  const tags: SpecialGroup[] = [];
  if (alone) tags.push('elderlyAlone');
  if (rng.chance(0.05)) tags.push('hardship');
  if (rng.chance(0.04)) tags.push('disabled');
  const leftBehind = !alone && rng.chance(0.04);
  const people: Person[] = [];
  for (let i = 0; i < size; i++) {
    seq.n++;
    const child = i === size - 1 && size > 2;
    const year = alone ? [1935, 1955] : child ? [2010, 2020] : [1950, 1998];
    const personTags: SpecialGroup[] = i === 0 ? [...tags] : [];
    if (child && leftBehind) personTags.push('leftBehindChild');
    if (!child && rng.chance(0.005)) personTags.push('keyPerson');
    const pools: Pool[] = [];
    if (!child && rng.chance(0.08)) pools.push('partyMember');
    if (!child && rng.chance(0.03)) pools.push('talent');
    if (!child && rng.chance(0.05)) pools.push('volunteer');
    const gender = rng.chance(0.5) ? 'M' : 'F';
    const sequence = rng.int(0, 499) * 2 + (gender === 'M' ? 1 : 0);
    people.push({
      id: `p-${house.id.slice(2)}-${i + 1}`,
      name: `测试${rng.pick(STEMS)}${rng.pick(GIVEN)}`,
      idNumber: makeIdNumber(SYNTHETIC_REGION, birth(rng, year[0]!, year[1]!), sequence),
      phone: child ? '' : `199${String(seq.n % 100_000_000).padStart(8, '0')}`,
      gender,
      residence: rng.chance(0.15) ? 'floating' : 'registered',
      house: house.id,
      grid: house.grid,
      address: house.address,
      organisation: null,
      tags: personTags,
      pools,
      synthetic: true,
    });
  }
  return people;
}

/** The whole synthetic register of a town; `now` dates the visits (the week before it). */
export function generateRegister(world: RegisterWorld, seed: number, now: number): RegisterEntity[] {
  const out: RegisterEntity[] = [];
  const seq = { n: 0 };
  const villages = new Map(world.villages.map((v) => [v.code, v]));
  for (const grid of world.grids) {
    const rng = createRng(seed).fork(`register/${grid.code}`);
    const village = grid.parent ? villages.get(grid.parent) : undefined;
    const visitor = world.workers.find((w) => w.grids.some((g) => grid.code.startsWith(g)));
    const count = grid.kind === 'dedicated' ? 0 : (grid.households ?? 0);
    for (let k = 1; k <= count; k++) {
      const [lon, lat] = world.pointIn(grid.code, rng);
      const house: House = {
        id: `h-${grid.code}-${k}`,
        address: houseAddress(world.town, village, grid, k),
        grid: grid.code,
        location: { lon: round6(lon), lat: round6(lat) },
        head: null,
        use: 'residential',
        synthetic: true,
      };
      const people = household(rng, house, seq);
      house.head = people[0]?.id ?? null;
      out.push({ type: 'house', id: house.id, value: house });
      for (const p of people) out.push({ type: 'person', id: p.id, value: p });
      const weekly = weeklyGroupsOf(people.flatMap((p) => p.tags));
      if (visitor && weekly.length > 0 && rng.chance(0.6)) {
        const at = now - rng.int(1, 6 * 24) * 3_600_000;
        const id = `v-${grid.code}-${k}`;
        out.push({ type: 'visit', id, value: { id, house: house.id, grid: grid.code, worker: visitor.id, at: toIso(at), note: '登门走访,了解生活情况(模拟数据)', photos: [] } });
      }
    }
    out.push(...organisations(world, grid, village, rng));
    if (count > 0 && rng.chance(0.5)) {
      const id = `m-${grid.code}-1`;
      out.push({
        type: 'mediation',
        id,
        value: { id, grid: grid.code, title: '邻里相邻关系纠纷(模拟数据)', parties: [`p-${grid.code}-1-1`], openedAt: toIso(now - rng.int(1, 30) * 86_400_000), status: rng.chance(0.7) ? 'resolved' : 'open', summary: '' },
      });
    }
  }
  return out;
}

function organisations(world: RegisterWorld, grid: Grid, village: Grid | undefined, rng: Rng): RegisterEntity[] {
  const n = grid.kind === 'dedicated' ? rng.int(3, 6) : rng.int(0, 2);
  const out: RegisterEntity[] = [];
  for (let i = 1; i <= n; i++) {
    const [lon, lat] = world.pointIn(grid.code, rng);
    const id = `o-${grid.code}-${i}`;
    const kind = rng.chance(0.6) ? 'enterprise' : 'unit';
    out.push({
      type: 'organisation',
      id,
      value: {
        id,
        name: `测试${rng.pick(STEMS)}${kind === 'enterprise' ? '有限公司' : '服务站'}${i}`,
        kind,
        grid: grid.code,
        address: houseAddress(world.town, village, grid, grid.kind === 'dedicated' ? i : 100 + i),
        location: { lon: round6(lon), lat: round6(lat) },
        contact: `测试${rng.pick(STEMS)}${rng.pick(GIVEN)}`,
        phone: `199${String(rng.int(0, 99_999_999)).padStart(8, '0')}`,
        synthetic: true,
      },
    });
  }
  return out;
}
