// 首报激励: "第一个直报网格化服务中心的,给予一定奖励激励" (方案2 四). Duplicates of one
// incident are the events merged into it (mergedInto, followed to the end of the
// chain); the earliest report of the group wins, and a grid worker who made it earns
// the first report.
import type { GridEvent } from '../model';
import { parseIso } from '../time/shanghai';
import { inPeriod, type Period } from './period';

export interface FirstReport {
  /** The id of the event the duplicates were merged into (the group's survivor). */
  groupId: string;
  /** The earliest report of the incident. */
  event: GridEvent;
  /** The grid worker who made it; null for a resident, the hotline, a sensor... */
  workerId: string | null;
  reportedAt: number;
  /** Other reports of the same incident. */
  duplicates: number;
}

export interface FirstReportOptions {
  /**
   * Count only incidents whose category earns the reward, e.g.
   * `(code) => catalog.firstReportReward(code)`. The survivor's category decides:
   * the dispatcher classified it, a duplicate may be misfiled.
   */
  rewarded?: (categoryCode: string) => boolean;
}

export interface FirstReports {
  /** Winning reports made inside the period, earliest first. */
  reports: FirstReport[];
  /** First reports per grid worker. */
  byWorker: Map<string, number>;
}

const reportTime = (e: GridEvent): number => {
  try {
    return parseIso(e.reportedAt);
  } catch {
    return Infinity;
  }
};

export function firstReports(events: readonly GridEvent[], period: Period, opts: FirstReportOptions = {}): FirstReports {
  const byId = new Map(events.map((e) => [e.id, e]));
  // Follow the merge chain to its end; a cycle (bad data) is one group named by its smallest id.
  const rootOf = (e: GridEvent): string => {
    const path: string[] = [e.id];
    for (let target = e.mergedInto; target !== null; target = byId.get(target)?.mergedInto ?? null) {
      const at = path.indexOf(target);
      if (at >= 0) return path.slice(at).sort()[0] as string;
      path.push(target);
    }
    return path[path.length - 1] as string;
  };

  const groups = new Map<string, GridEvent[]>();
  for (const e of events) {
    const root = rootOf(e);
    const list = groups.get(root) ?? [];
    list.push(e);
    groups.set(root, list);
  }

  const reports: FirstReport[] = [];
  const byWorker = new Map<string, number>();
  for (const [groupId, members] of groups) {
    const winner = [...members].sort((a, b) => reportTime(a) - reportTime(b) || (a.id < b.id ? -1 : 1))[0] as GridEvent;
    const reportedAt = reportTime(winner);
    if (!inPeriod(reportedAt, period)) continue;
    const category = (byId.get(groupId) ?? winner).category;
    if (opts.rewarded && !opts.rewarded(category)) continue;
    const workerId = winner.reporter?.workerId ?? null;
    reports.push({ groupId, event: winner, workerId, reportedAt, duplicates: members.length - 1 });
    if (workerId !== null) byWorker.set(workerId, (byWorker.get(workerId) ?? 0) + 1);
  }
  reports.sort((a, b) => a.reportedAt - b.reportedAt || (a.groupId < b.groupId ? -1 : 1));
  return { reports, byWorker };
}
