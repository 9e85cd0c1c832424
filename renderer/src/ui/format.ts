// Display helpers: every time on screen is Asia/Shanghai, whatever the
// machine's time zone (a wall PC set to UTC must still show Beijing time).
import { parseIso, toIso } from '../../../core/time/shanghai';
import type { GridKind, GridLevel, WorkerRole } from '../../../core/model';

/** "2026-11-28 09:12" in Shanghai time, or "—" for null and unreadable input. */
export function formatShanghai(iso: string | null | undefined): string {
  if (!iso) return '—';
  try {
    return toIso(parseIso(iso)).slice(0, 16).replace('T', ' ');
  } catch {
    return '—';
  }
}

export const LEVEL_LABELS: Readonly<Record<GridLevel, string>> = { 1: '镇', 2: '村/社区', 3: '网格' };
export const KIND_LABELS: Readonly<Record<GridKind, string>> = { basic: '基础网格', dedicated: '专属网格' };
export const WORKER_ROLE_LABELS: Readonly<Record<WorkerRole, string>> = {
  gridLeader: '网格长',
  townWorker: '镇网格员',
  villageWorker: '村网格员',
  liaison: '网格联络员',
};

export { LINK_STATE_LABELS } from '../../../core/events/labels';

export const REFUSAL_LABELS = {
  unauthorized: '认证失败',
  'unsupported-version': '协议版本不受支持',
  'unknown-town': '县级平台不认识本镇编码',
} as const;

/** "4 个网格" or "4 个网格(含 1 个专属网格)". */
export function gridCountLabel(children: ReadonlyArray<{ kind: GridKind; level: GridLevel }>): string {
  const grids = children.filter((c) => c.level === 3);
  const dedicated = grids.filter((c) => c.kind === 'dedicated').length;
  return dedicated > 0 ? `${grids.length} 个网格(含 ${dedicated} 个专属网格)` : `${grids.length} 个网格`;
}
