// worker.notify: a message to grid workers' phones through the county, optionally about
// an event (county-link-v1, "commands the project adds"). One schema for the app method,
// the outbox, the wire and the simulator, so all four accept and refuse the same input.
// A county that does not know the command answers `unknown-command`; the town keeps it
// in the outbox until answered and shows the answer.
import * as z from 'zod';

export const WORKER_NOTIFY = 'worker.notify';
export const NOTIFY_MAX_WORKERS = 50;
export const NOTIFY_MAX_TEXT = 500;

export const WorkerNotifyArgsSchema = z.object({
  workers: z
    .array(z.string().trim().min(1, '网格员编号不能为空').max(64), { error: '请选择要通知的网格员' })
    .min(1, '请至少选择一名网格员')
    .max(NOTIFY_MAX_WORKERS, `一次最多通知 ${NOTIFY_MAX_WORKERS} 名网格员`)
    .refine((ids) => new Set(ids).size === ids.length, '网格员重复'),
  text: z.string({ error: '请填写通知内容' }).trim().min(1, '通知内容不能为空').max(NOTIFY_MAX_TEXT, `通知内容不能超过${NOTIFY_MAX_TEXT}个字`),
  eventId: z.string().trim().min(1).max(64).optional(),
});
export type WorkerNotifyArgs = z.output<typeof WorkerNotifyArgsSchema>;

/** Validates worker.notify's arguments; the reason in Chinese. */
export function parseWorkerNotify(args: unknown): { ok: true; args: WorkerNotifyArgs } | { ok: false; reason: string } {
  const r = WorkerNotifyArgsSchema.safeParse(args);
  if (r.success) return { ok: true, args: r.data };
  return { ok: false, reason: [...new Set(r.error.issues.map((i) => i.message))].join('；') };
}

/** Speed of a summoned grid worker (an e-bike or a car to the scene), m/s: the simulator's and the ETA's. */
export const SUMMON_SPEED_MPS = 6;
