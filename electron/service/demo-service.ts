// The foundation-stage data service: answers the contract's queries from the
// demo town file. No replica and no county link yet: events are an empty page
// and the link reports `none`, and app.info says so to the operator.
import type { ResultOf } from '../../core/api/contract';
import { EVENT_STATUSES } from '../../core/model';
import { toIso } from '../../core/time/shanghai';
import { loadTown } from './dataset';
import { buildGridTreeNodes } from '../../core/grid/hierarchy';
import { withPrivacy } from './privacy';
import { createStatsQueries } from './stats';
import type { ApiService, ServiceLog } from './service';
import { createDispatcher, createPushHub } from './service';
import { createSharedView } from './shared-view';

export interface DemoServiceOptions {
  datasetPath: string;
  /** Which shell runs the service, reported by app.info. */
  mode?: 'electron' | 'web';
  version?: string;
  /** Injected clock (epoch ms), for deterministic tests. */
  now?: () => number;
  log?: ServiceLog;
}

/** What is built and what is not, in the words the operator reads. */
export const FEATURES: ResultOf<'app.info'>['features'] = [
  { key: 'grid-tree', name: '网格树与网格信息', ready: true },
  { key: 'web-shell', name: '局域网浏览器访问(令牌、只读角色)', ready: true },
  { key: 'map-wall', name: '地图与大屏', ready: false, note: '建设中' },
  { key: 'console', name: '调度台(受理、派遣、督办、结案)', ready: false, note: '建设中' },
  { key: 'county-link', name: '县级联网与本地副本', ready: false, note: '建设中:本阶段不连接县级平台,事件列表为空' },
  { key: 'meeting', name: '会商', ready: false, note: '建设中' },
];

const zeroCounts = (): ResultOf<'events.counts'>['byStatus'] =>
  Object.fromEntries(EVENT_STATUSES.map((s) => [s, 0])) as ResultOf<'events.counts'>['byStatus'];

export async function createDemoService(options: DemoServiceOptions): Promise<ApiService> {
  const now = options.now ?? Date.now;
  const town = await loadTown(options.datasetPath);
  const startedAt = toIso(now());
  const pushes = createPushHub();
  const tree = buildGridTreeNodes(town.grids, town.workers);

  const linkStatus = () => ({ state: 'none' as const, since: startedAt, queueLength: 0, lastSyncAt: null, catchingUp: false });
  // No events in the foundation's dataset: the wall's figures are zeros, with the town's grids and workers.
  const stats = createStatsQueries({
    replica: {
      listEvents: ({ paging }) => ({ items: [], total: 0, offset: paging.offset, limit: paging.limit }),
      grids: (level) => (level === undefined ? town.grids : town.grids.filter((g) => g.level === level)),
      categories: () => town.categories,
      workers: ({ onDuty }) => town.workers.filter((w) => onDuty === undefined || w.onDuty === onDuty),
      positions: () => [],
      track: () => [],
    },
    linkStatus,
    clock: now,
  });
  const handle = withPrivacy(createDispatcher(
    {
      ...createSharedView(pushes, now),
      'grids.list': ({ level }) => (level === undefined ? town.grids : town.grids.filter((g) => g.level === level)),
      'grids.tree': () => tree,
      'departments.list': () => town.departments,
      'categories.list': () => town.categories,
      'workers.list': ({ grid, onDuty }) =>
        town.workers.filter((w) => (grid === undefined || w.grids.includes(grid)) && (onDuty === undefined || w.onDuty === onDuty)),
      'workers.positions': () => [],
      'workers.track': () => [],
      'events.list': ({ paging }) => ({ items: [], total: 0, offset: paging.offset, limit: paging.limit }),
      'events.get': () => null,
      // No events here, so nothing to count, compare or send anyone to.
      'events.counts': () => ({ all: 0, byStatus: zeroCounts(), overdue: 0, at: toIso(now()) }),
      'events.duplicates': () => [],
      'dispatch.recommend': () => [],
      'grids.locate': () => null,
      'commands.pending': () => [],
      'link.status': linkStatus,
      ...stats.handlers,
      'commands.rejected': () => [],
      'link.log': () => [],
      'app.info': () => ({
        version: options.version ?? '0.0.0',
        mode: options.mode ?? 'web',
        town: town.town,
        demo: true,
        features: FEATURES,
      }),
    },
    options.log,
  ));

  return {
    handle,
    subscribe: pushes.subscribe,
    close: async () => pushes.clear(),
  };
}
