// The town's reference data the console names things with (categories, departments,
// grid workers, the grid tree), read once and again when the replica says they
// changed; shared by every panel through a context.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { GridTreeNode } from '../../../core/api/contract';
import type { Category, Department, Worker } from '../../../core/model';
import { useApi } from '../platform/context';
import type { EventChange } from '../platform/event-store';
import { useEventChanges } from '../platform/hooks';

export interface GridName {
  code: string;
  name: string;
  /** The village or community, for a grid. */
  village: string | null;
  level: 1 | 2 | 3;
}

export interface Reference {
  categories: Category[];
  category: Map<string, Category>;
  departments: Department[];
  department: Map<string, Department>;
  workers: Worker[];
  worker: Map<string, Worker>;
  tree: GridTreeNode | null;
  grid: Map<string, GridName>;
  loaded: boolean;
}

const EMPTY: Reference = {
  categories: [],
  category: new Map(),
  departments: [],
  department: new Map(),
  workers: [],
  worker: new Map(),
  tree: null,
  grid: new Map(),
  loaded: false,
};

const ReferenceContext = createContext<Reference>(EMPTY);

export function useReference(): Reference {
  return useContext(ReferenceContext);
}

function gridNames(tree: GridTreeNode | null): Map<string, GridName> {
  const out = new Map<string, GridName>();
  if (!tree) return out;
  const walk = (node: GridTreeNode, village: string | null): void => {
    out.set(node.code, { code: node.code, name: node.name, village, level: node.level });
    for (const child of node.children) walk(child, node.level === 2 ? node.name : village);
  };
  walk(tree, null);
  return out;
}

type Kind = 'category' | 'department' | 'worker' | 'grid';

export function ReferenceProvider({ children }: { children: ReactNode }) {
  const [data, setData] = useState<Omit<Reference, 'category' | 'department' | 'worker' | 'grid' | 'loaded'> & { loaded: boolean }>({
    categories: [],
    departments: [],
    workers: [],
    tree: null,
    loaded: false,
  });
  const live = useRef(true);
  useEffect(
    () => () => {
      live.current = false;
    },
    [],
  );

  const api = useApi();
  const load = useCallback(
    async (kinds: readonly Kind[]) => {
      try {
        const [categories, departments, workers, tree] = await Promise.all([
          kinds.includes('category') ? api.call('categories.list') : null,
          kinds.includes('department') ? api.call('departments.list') : null,
          kinds.includes('worker') ? api.call('workers.list', {}) : null,
          kinds.includes('grid') || kinds.includes('worker') ? api.call('grids.tree') : undefined,
        ]);
        if (!live.current) return;
        setData((prev) => ({
          categories: categories ?? prev.categories,
          departments: departments ?? prev.departments,
          workers: workers ?? prev.workers,
          tree: tree === undefined ? prev.tree : tree,
          loaded: true,
        }));
      } catch {
        // The status bar shows the transport's state; the next push or reload retries.
      }
    },
    [api],
  );

  useEffect(() => {
    void load(['category', 'department', 'worker', 'grid']);
  }, [load]);

  useEventChanges(
    useCallback(
      (change: EventChange) => {
        const kinds = change.types.filter((t): t is Kind => t !== 'event');
        if (kinds.length > 0) void load(kinds);
      },
      [load],
    ),
  );

  const value = useMemo<Reference>(
    () => ({
      ...data,
      category: new Map(data.categories.map((c) => [c.code, c])),
      department: new Map(data.departments.map((d) => [d.id, d])),
      worker: new Map(data.workers.map((w) => [w.id, w])),
      grid: gridNames(data.tree),
    }),
    [data],
  );
  return <ReferenceContext.Provider value={value}>{children}</ReferenceContext.Provider>;
}

/** "南环社区 · 第一网格" style label of a grid code. */
export function gridLabel(ref: Reference, code: string): string {
  const g = ref.grid.get(code);
  if (!g) return code;
  if (g.village && g.name.startsWith(g.village)) return `${g.village} · ${g.name.slice(g.village.length)}`;
  return g.village ? `${g.village} · ${g.name}` : g.name;
}

export function categoryLabel(ref: Reference, code: string): string {
  const c = ref.category.get(code);
  if (!c) return code;
  const parent = c.parent ? ref.category.get(c.parent) : undefined;
  return parent ? `${parent.name} / ${c.name}` : c.name;
}

/** Who an actor id is, for the history: a grid worker's or department's name, the center, the county. */
export function actorLabel(ref: Reference, id: string): string {
  const w = ref.worker.get(id);
  if (w) return `网格员 ${w.name}`;
  if (id.startsWith('op-')) {
    const d = ref.department.get(id.slice(3));
    if (d) return `${d.name}经办人`;
  }
  const d = ref.department.get(id);
  if (d) return d.name;
  return ACTOR_NAMES[id] ?? (id.startsWith('county') ? '县级平台' : id.startsWith('town-') ? '镇指挥中心' : /dispatcher/i.test(id) ? '值班调度员' : id);
}

const ACTOR_NAMES: Readonly<Record<string, string>> = {
  dispatcher: '值班调度员',
  'hotline-12345': '12345热线坐席',
  'sensor-net': '物联感知平台',
};

export function assigneeLabel(ref: Reference, assignee: { kind: 'department' | 'person'; id: string } | null): string {
  if (!assignee) return '—';
  if (assignee.kind === 'department') return ref.department.get(assignee.id)?.name ?? assignee.id;
  const w = ref.worker.get(assignee.id);
  return w ? `网格员 ${w.name}` : assignee.id;
}
