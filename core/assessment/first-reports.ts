// 首报 in the assessment: "第一个直报网格化服务中心的,给予一定奖励激励" (方案2 四), for the
// incidents reported more than once: the duplicates merged into one event (followed to
// the end of the merge chain) form an incident, its earliest report (ties: the smaller
// id) wins, and the grid worker who made it earns the first report in the period of that
// report. core/analytics/first-report.ts decides the same over whole events; this works on
// the replica's narrow rows (id, merged into, report time, reporter) of merged events only.

export interface MergeRow {
  id: string;
  mergedInto: string | null;
  reportedAt: number;
  reporter: string | null;
}

export interface FirstReportWin {
  /** The winning report. */
  id: string;
  reporter: string | null;
  reportedAt: number;
  /** Other reports of the same incident (at least one). */
  duplicates: number;
}

/** The winning reports of incidents with duplicates, whatever the period (the caller filters by report time). */
export function firstReportWins(rows: readonly MergeRow[]): FirstReportWin[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const rootOf = (r: MergeRow): string => {
    const path: string[] = [r.id];
    for (let target = r.mergedInto; target !== null; target = byId.get(target)?.mergedInto ?? null) {
      const at = path.indexOf(target);
      if (at >= 0) return path.slice(at).sort()[0] as string;
      path.push(target);
    }
    return path[path.length - 1] as string;
  };
  const groups = new Map<string, MergeRow[]>();
  for (const r of rows) {
    const root = rootOf(r);
    const list = groups.get(root) ?? [];
    list.push(r);
    groups.set(root, list);
  }
  const wins: FirstReportWin[] = [];
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const winner = [...members].sort((a, b) => a.reportedAt - b.reportedAt || (a.id < b.id ? -1 : 1))[0] as MergeRow;
    wins.push({ id: winner.id, reporter: winner.reporter, reportedAt: winner.reportedAt, duplicates: members.length - 1 });
  }
  return wins;
}
