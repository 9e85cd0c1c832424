// One vocabulary in core: each fact below is written once, in core/, and imported
// everywhere else. The first tests pin the facts; the last one reads the app's
// source and fails when a copy comes back outside core (a status list, a label
// table, a wire type, a helper), naming the file and what to import instead.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { LinkStatusSchema } from './api/contract';
import { LinkStateSchema, UrgencySchema } from './api/schemas';
import { describeIssues as describeForOperator } from './api/validate';
import { CLOCK_KIND_LABELS, LINK_STATE_LABELS, LINK_STATE_SHORT_LABELS, STATUS_LABELS, URGENCY_LABELS } from './events/labels';
import { GRID_CODE_PATTERN, TOWN_CODE_PATTERN, parseGridCode } from './grid/codes';
import { buildGridTreeNodes } from './grid/hierarchy';
import { EVENT_STATUSES, FINAL_STATUSES, OPEN_STATUSES, isFinalStatus, isOpenStatus, type Grid, type Worker } from './model';
import { RefusalCodeSchema, TownCodeSchema, describeIssues as describeForWire } from './sync/protocol';
import { isoOrNull, toIso } from './time/shanghai';
import { clip } from './util/text';

describe('open and final statuses', () => {
  it('split EVENT_STATUSES in two: together every status, none in both', () => {
    expect([...OPEN_STATUSES, ...FINAL_STATUSES].sort()).toEqual([...EVENT_STATUSES].sort());
    expect(OPEN_STATUSES.filter((s) => FINAL_STATUSES.includes(s))).toEqual([]);
    expect(new Set(OPEN_STATUSES).size).toBe(OPEN_STATUSES.length);
    expect(new Set(FINAL_STATUSES).size).toBe(FINAL_STATUSES.length);
  });

  it('are closed, rejected and merged for final; the open ones in workflow order', () => {
    expect(FINAL_STATUSES).toEqual(['closed', 'rejected', 'merged']);
    expect(OPEN_STATUSES).toEqual(['reported', 'accepted', 'dispatched', 'handled', 'verified', 'suspended', 'escalated']);
  });

  it('agree with the predicates', () => {
    for (const s of EVENT_STATUSES) {
      expect(isFinalStatus(s)).toBe(FINAL_STATUSES.includes(s));
      expect(isOpenStatus(s)).toBe(!isFinalStatus(s));
    }
  });
});

describe('labels', () => {
  it('name every status, urgency and link state, in Chinese', () => {
    expect(Object.keys(STATUS_LABELS).sort()).toEqual([...EVENT_STATUSES].sort());
    expect(Object.keys(URGENCY_LABELS).sort()).toEqual([...UrgencySchema.options].sort());
    expect(URGENCY_LABELS).toEqual({ normal: '一般', urgent: '紧急', critical: '特急' });
    expect(Object.keys(LINK_STATE_LABELS).sort()).toEqual([...LinkStateSchema.options].sort());
    expect(Object.keys(LINK_STATE_SHORT_LABELS).sort()).toEqual([...LinkStateSchema.options].sort());
    expect(CLOCK_KIND_LABELS).toEqual({ accept: '受理时限', finish: '办结时限', verify: '核查时限' });
  });

  it('on the wall, every outage is one word', () => {
    expect(LINK_STATE_SHORT_LABELS).toEqual({ online: '在线', offline: '离线', connecting: '离线', refused: '离线', none: '未接入' });
  });
});

describe('the link status', () => {
  it('has one state list and one refusal list (the wire’s)', () => {
    expect(LinkStatusSchema.shape.state).toBe(LinkStateSchema);
    expect(LinkStatusSchema.shape.refusal.unwrap()).toBe(RefusalCodeSchema);
  });
});

describe('code patterns', () => {
  it('a town code is 9 digits, a grid code 9, 12 or 15', () => {
    for (const code of ['430624103', '430624103201', '430624103201001']) {
      expect(GRID_CODE_PATTERN.test(code)).toBe(true);
      expect(parseGridCode(code).ok).toBe(true);
      expect(TOWN_CODE_PATTERN.test(code)).toBe(code.length === 9);
      expect(TownCodeSchema.safeParse(code).success).toBe(code.length === 9);
    }
    for (const code of ['43062410', '4306241032', '430624103201001001', '43062410x', ' 430624103']) {
      expect(GRID_CODE_PATTERN.test(code)).toBe(false);
      expect(TOWN_CODE_PATTERN.test(code)).toBe(false);
    }
  });
});

describe('text helpers', () => {
  it('clip cuts with an ellipsis, 300 characters unless told', () => {
    expect(clip('abc', 3)).toBe('abc');
    expect(clip('abcd', 3)).toBe('abc…');
    expect(clip('x'.repeat(301))).toBe(`${'x'.repeat(300)}…`);
  });

  it('isoOrNull takes epoch ms or ISO, and null or undefined to null', () => {
    expect(isoOrNull(null)).toBeNull();
    expect(isoOrNull(undefined)).toBeNull();
    expect(isoOrNull(1764292323000)).toBe(toIso(1764292323000));
    expect(isoOrNull('2026-11-28T09:12:03+08:00')).toBe('2026-11-28T09:12:03+08:00');
  });

  it('describeIssues words the same issues for an operator (Chinese) and for the wire’s logs', () => {
    const schema = z.object({ a: z.string(), b: z.object({ c: z.number() }), d: z.boolean(), e: z.boolean() });
    const parsed = schema.safeParse({ b: { c: 'x' } });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    const root = z.string().safeParse(1);
    if (root.success) throw new Error('a number is not a string');

    const operator = describeForOperator(parsed.error, 2);
    expect(operator.split(';').slice(0, 2).map((l) => l.split(':')[0])).toEqual(['a', 'b.c']);
    expect(operator.endsWith(';另有 2 处问题')).toBe(true);
    expect(describeForOperator(root.error).startsWith('(参数): ')).toBe(true);

    const wire = describeForWire(parsed.error);
    expect(wire.split('; ').map((l) => l.split(':')[0])).toEqual(['a', 'b.c', 'd']);
    expect(describeForWire(root.error).startsWith('(root): ')).toBe(true);
    const long = z.object({ s: z.string({ error: 'y'.repeat(1000) }) }).safeParse({ s: 1 });
    if (long.success) throw new Error('a number is not a string');
    expect(describeForWire(long.error)).toHaveLength(500);
  });
});

describe('buildGridTreeNodes (the grids.tree answer)', () => {
  const geometry = { type: 'Polygon', coordinates: [] } as unknown as Grid['geometry'];
  const grid = (code: string, households?: number): Grid => ({
    code,
    name: `g${code}`,
    level: code.length === 9 ? 1 : code.length === 12 ? 2 : 3,
    kind: 'basic',
    parent: code.length === 9 ? null : code.slice(0, code.length - 3),
    geometry,
    ...(households === undefined ? {} : { households }),
  });
  const worker = (id: string, grids: string[]): Worker => ({ id, grids }) as unknown as Worker;

  it('nests by parent in code order, counts distinct staff and sums missing households', () => {
    const grids = [grid('430624103'), grid('430624103202'), grid('430624103201'), grid('430624103201002', 30), grid('430624103201001', 20)];
    const tree = buildGridTreeNodes(grids, [worker('w1', ['430624103201001', '430624103201002']), worker('w2', ['430624103202'])]);
    expect(tree?.code).toBe('430624103');
    expect(tree?.staff).toBe(2);
    expect(tree?.households).toBe(50);
    expect(tree?.children.map((c) => c.code)).toEqual(['430624103201', '430624103202']);
    expect(tree?.children[0]?.children.map((c) => [c.code, c.staff, c.households])).toEqual([
      ['430624103201001', 1, 20],
      ['430624103201002', 1, 30],
    ]);
    expect(tree?.children[1]).not.toHaveProperty('households');
  });

  it('is null without a town', () => {
    expect(buildGridTreeNodes([grid('430624103201')], [])).toBeNull();
  });
});

// ---------------------------------------------------------------- no copy comes back

const ROOT = path.resolve(import.meta.dirname, '..');
/** The app's own source: where a copy would be a second, drifting definition. Tests may spell values out. */
const SOURCE_DIRS = ['core', 'electron', 'renderer', 'county', 'node-common'];
const isTest = (file: string): boolean => /\.(test|spec)\.tsx?$|(^|\/)test-[^/]*\.ts$/.test(file);

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) sourceFiles(full, out);
    else if (/\.tsx?$/.test(name) && !isTest(full)) out.push(full);
  }
  return out;
}

interface Rule {
  what: string;
  /** The one place allowed to write it. */
  home: string;
  find: (text: string) => boolean;
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && new Set(a).size === b.length && a.every((x) => b.includes(x));

/** An array literal whose strings are exactly the open or the final statuses. */
function statusListCopy(text: string): boolean {
  for (const m of text.matchAll(/\[([^[\]]*)\]/g)) {
    const strings = [...(m[1] as string).matchAll(/'([a-z]+)'/g)].map((s) => s[1] as string);
    if (sameSet(strings, OPEN_STATUSES) || sameSet(strings, FINAL_STATUSES)) return true;
  }
  return false;
}

const RULES: Rule[] = [
  { what: 'the open or final status list (OPEN_STATUSES, FINAL_STATUSES)', home: 'core/model.ts', find: statusListCopy },
  { what: 'urgency labels (URGENCY_LABELS)', home: 'core/events/labels.ts', find: (t) => /'特急'|critical: '/.test(t) },
  { what: 'status labels (STATUS_LABELS)', home: 'core/events/labels.ts', find: (t) => /'(待受理|待派遣|处置中|待核查|待结案|已结案|已上报县级|已合并)'/.test(t) },
  { what: 'clock kind labels (CLOCK_KIND_LABELS)', home: 'core/events/labels.ts', find: (t) => /'(受理时限|办结时限|核查时限)'/.test(t) },
  { what: 'link state labels (LINK_STATE_LABELS)', home: 'core/events/labels.ts', find: (t) => /'未接入'|'被县级平台拒绝'/.test(t) },
  { what: 'the link state list (LinkStateSchema)', home: 'core/api/schemas.ts', find: (t) => /\['online', 'offline'/.test(t) },
  {
    what: 'the link status type (core/api/contract.ts LinkStatus)',
    home: 'core/api/contract.ts',
    find: (t) => /(type|interface) LinkState\b|interface LinkStatus\b|type LinkStatus =/.test(t),
  },
  {
    what: 'a wire type (WireBatch, OutboundCommand, TownSnapshot)',
    home: 'core/sync/protocol.ts',
    find: (t) => /interface (WireBatch|BatchInput|OutboundCommand|TownSnapshot|CountySnapshot|Snapshot)\b/.test(t),
  },
  { what: 'clip', home: 'core/util/text.ts', find: (t) => /(function|const) clip\b/.test(t) },
  { what: 'isoOrNull', home: 'core/time/shanghai.ts', find: (t) => /(function|const) isoOrNull\b/.test(t) },
  { what: 'the town or grid code pattern (TOWN_CODE_PATTERN, GRID_CODE_PATTERN)', home: 'core/grid/codes.ts', find: (t) => /\/\^\\d\{9\}(\$|\()/.test(t) },
  { what: 'the grids.tree builder (buildGridTreeNodes)', home: 'core/grid/hierarchy.ts', find: (t) => /function buildGridTreeNodes\b/.test(t) },
];

describe('each fact is written once, in core', () => {
  const files = SOURCE_DIRS.flatMap((d) => sourceFiles(path.join(ROOT, d)));

  it('reads the app’s source', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  for (const rule of RULES) {
    it(`${rule.what}: only in ${rule.home}`, () => {
      const copies = files
        .map((f) => path.relative(ROOT, f).split(path.sep).join('/'))
        .filter((rel) => rel !== rule.home && rule.find(readFileSync(path.join(ROOT, rel), 'utf8')));
      expect(copies, `import it from ${rule.home} instead`).toEqual([]);
    });
  }
});
