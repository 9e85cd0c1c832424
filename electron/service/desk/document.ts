// A supervision's 督办单 as a file: the case masked for an export (the document leaves
// the center), the names read from the replica, the shared official-document layout
// rendered to Word or PDF (electron/service/documents/).
import { supervisionDocument } from '../../../core/desk/supervision-doc';
import type { Supervision } from '../../../core/desk/supervision';
import type { GridEvent } from '../../../core/model';
import { maskEvent } from '../../../core/privacy/mask';
import type { Replica } from '../replica/replica';
import { toDocx } from '../documents/docx';
import { toPdf } from '../documents/pdf';

export type DocumentReplica = Pick<Replica, 'categories' | 'departments' | 'workers' | 'grids'>;

export interface DeskFile {
  filename: string;
  mime: string;
  base64: string;
}

const MIME = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
} as const;

/** The names a 督办单 prints, from the replica's reference data. */
function namesFor(replica: DocumentReplica, event: GridEvent) {
  const departments = new Map(replica.departments().map((d) => [d.id, d.name]));
  const workers = new Map(replica.workers({}).map((w) => [w.id, w.name]));
  const grid = replica.grids().find((g) => g.code === event.grid);
  const a = event.assignee;
  const assignee = a === null ? null : a.kind === 'department' ? (departments.get(a.id) ?? a.id) : `网格员${workers.get(a.id) ?? a.id}`;
  return {
    category: replica.categories().find((c) => c.code === event.category)?.name ?? event.category,
    grid: grid?.name ?? event.grid,
    assignee,
    cooperating: (a?.cooperating ?? []).map((d) => departments.get(d) ?? d),
    actor: (id: string) => departments.get(id) ?? workers.get(id) ?? id,
  };
}

export async function supervisionFile(
  replica: DocumentReplica,
  supervision: Supervision,
  event: GridEvent,
  format: 'docx' | 'pdf',
  nowMs: number,
): Promise<DeskFile> {
  const town = replica.grids(1)[0]?.name ?? '';
  const doc = supervisionDocument({ supervision, event: maskEvent(event, 'dispatcher', 'export'), town, names: namesFor(replica, event), nowMs });
  const bytes = format === 'docx' ? await toDocx(doc) : await toPdf(doc);
  const name = `${supervision.number}-${event.code}.${format}`.replace(/[\\/:*?"<>|]/g, '_');
  return { filename: name, mime: MIME[format], base64: bytes.toString('base64') };
}
