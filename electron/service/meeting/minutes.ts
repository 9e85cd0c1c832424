// The minutes (会商纪要) filed when a meeting ends: the document of core/meeting/minutes.ts
// rendered by the shared builder to .docx and .pdf, twice (residents' names and
// addresses readable for the roles that work cases, masked for the others; phone and ID
// numbers never in full), stored in the replica with what they name, and given back by
// minutes.download as the caller's role may see them, recorded in the audit trail.
import { randomUUID } from 'node:crypto';
import type { Caller } from '../../../core/api/channels';
import type { ParsedArgsOf, ResultOf } from '../../../core/api/contract';
import { documentText } from '../../../core/documents/official';
import type { GridEvent } from '../../../core/model';
import { buildMinutes, minutesNumberOf, minutesTitle, type MinutesInput } from '../../../core/meeting/minutes';
import type { Minutes } from '../../../core/meeting/model';
import { maskLevel, type MaskLevel } from '../../../core/privacy/mask';
import { toDocx } from '../documents/docx';
import { toPdf } from '../documents/pdf';
import { ApiFailure } from '../service';
import type { MeetingContext } from './handlers';
import type { NewMinutes } from './store';

const MIME = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
} as const;

/** Ends the meeting and files its minutes; the followers learn that no meeting is in progress. */
export async function endMeeting(ctx: MeetingContext, meetingId: string, caller: Caller): Promise<Minutes> {
  const meeting = ctx.openMeeting(meetingId);
  const endedAtMs = ctx.clock();
  const items = ctx.items(meetingId);
  const decisions = ctx.store.decisions(meetingId);
  const events = new Map<string, GridEvent>();
  for (const item of items) {
    const event = item.eventId ? ctx.replica.getEvent(item.eventId) : null;
    if (event) events.set(event.id, event);
  }
  const snapshots = new Map<string, Uint8Array>();
  for (const d of decisions) {
    const png = d.hasSnapshot ? ctx.store.snapshot(d.id) : null;
    if (png) snapshots.set(d.id, png);
  }
  const serial = ctx.store.minutesCount(meeting.date.slice(0, 4)) + 1;
  const input = (level: MaskLevel): MinutesInput => ({ town: ctx.town(), serial, meeting: { ...meeting, status: 'ended' }, items, decisions, events, names: ctx.names, snapshots, endedAtMs, level });
  const files: NewMinutes['files'] = [];
  for (const level of ['numbers', 'all'] as const) {
    const doc = buildMinutes(input(level));
    files.push({ format: 'docx', masked: level === 'all', data: await toDocx(doc) }, { format: 'pdf', masked: level === 'all', data: await toPdf(doc) });
  }
  const id = `n-${randomUUID()}`;
  const departments = [...meeting.departments, ...decisions.flatMap((d) => [...(d.leadDepartment ? [d.leadDepartment] : []), ...d.cooperating])];
  const record: NewMinutes = {
    id,
    meetingId,
    number: minutesNumberOf({ meeting, serial }),
    title: minutesTitle(meeting),
    date: meeting.date,
    createdAt: endedAtMs,
    // The search reads the masked text: a search by a phone number finds nothing.
    text: documentText(buildMinutes(input('all'))),
    files,
    eventIds: [...events.keys()],
    departments,
  };
  // A meeting ended meanwhile (two presses) is refused by the check inside the write.
  ctx.store.write(() => {
    if (ctx.store.meeting(meetingId)?.status === 'ended') throw new ApiFailure('invalid', '会商已结束');
    ctx.store.insertMinutes(record);
    ctx.store.setStatus(meetingId, 'ended', endedAtMs);
    if (ctx.store.presenter()?.meeting_id === meetingId) ctx.store.setPresenter({ meetingId: null, itemId: null, view: null, by: '', at: endedAtMs });
  });
  ctx.shareView(null, '会商');
  ctx.announce();
  ctx.audit({ kind: 'export', action: 'meeting.end', target: meetingId, detail: `会商纪要 ${record.number}` }, caller);
  return ctx.store.minutes({ meetingId }).find((m) => m.id === id)!;
}

export function downloadMinutes(ctx: MeetingContext, args: ParsedArgsOf<'minutes.download'>, caller: Caller): ResultOf<'minutes.download'> {
  const masked = maskLevel(caller.role, 'export') === 'all';
  const file = ctx.store.minutesFile(args.id, args.format, masked);
  if (!file) throw new ApiFailure('not-found', '没有该会商纪要文件');
  ctx.audit({ kind: 'export', action: 'minutes.download', target: args.id, detail: `${file.number} ${args.format}${masked ? ' 脱敏' : ''}` }, caller);
  return { fileName: `${file.title}.${args.format}`, mime: MIME[args.format], base64: file.data.toString('base64'), masked };
}
