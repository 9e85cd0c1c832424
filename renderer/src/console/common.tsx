// Small pieces shared by the console's panels: the working calendar, a ticking
// clock, the badges for status, urgency and pending commands, and the grouped
// options of the category and grid choices.
import { useEffect, useState, type ReactNode } from 'react';
import { STATUS_LABELS, URGENCY_LABELS } from '../../../core/events/labels';
import type { Category, EventStatus, Urgency } from '../../../core/model';
import { WorkCalendar } from '../../../core/sla/calendar';
import { parseIso, toIso } from '../../../core/time/shanghai';

/** The town's working calendar (China's holidays and 调休, office hours): deadlines count in it. */
export const CALENDAR = new WorkCalendar();

/** The current time, re-read every `ms`. */
export function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

export { URGENCY_LABELS };

export function UrgencyBadge({ urgency }: { urgency: Urgency }) {
  if (urgency === 'normal') return null;
  return <span className={`cbadge cbadge-${urgency}`}>{URGENCY_LABELS[urgency]}</span>;
}

export function StatusBadge({ status }: { status: EventStatus }) {
  return <span className={`cbadge cbadge-status cbadge-st-${status}`}>{STATUS_LABELS[status]}</span>;
}

/**
 * A form field's name, with （必填） when it must be filled: one inline run, so the mark
 * stays beside the name (a .field stacks its children; loose text and a mark would stack).
 */
export function FieldName({ children, required = false }: { children: ReactNode; required?: boolean }) {
  return (
    <span className="field-name">
      {children}
      {required && <span className="req">（必填）</span>}
    </span>
  );
}

export function PendingBadge() {
  return (
    <span className="cbadge cbadge-pending" title="本地已执行，等待县级平台确认">
      待同步
    </span>
  );
}

/** "2026-11-28 09:12:03" in Shanghai time. */
export function formatSeconds(iso: string): string {
  try {
    return toIso(parseIso(iso)).slice(0, 19).replace('T', ' ');
  } catch {
    return iso;
  }
}

/** "11-28 09:12" in Shanghai time, for dense rows. */
export function formatShort(iso: string): string {
  try {
    return toIso(parseIso(iso)).slice(5, 16).replace('T', ' ');
  } catch {
    return iso;
  }
}

/** A parent and the choices under it (a category group and its categories, a village and its grids). */
export interface OptionGroup {
  code: string;
  name: string;
  children: readonly { code: string; name: string }[];
}

/** The top-level categories with the categories under each, in the reference data's order. */
export function categoryGroups(categories: readonly Category[]): OptionGroup[] {
  return categories
    .filter((c) => c.parent === null)
    .map((top) => ({ code: top.code, name: top.name, children: categories.filter((c) => c.parent === top.code) }));
}

/**
 * The <option>s of a two-level choice, one <optgroup> per parent. With `whole` the
 * parent itself comes first as "名称（全部）": a filter on its code takes everything under it.
 */
export function GroupedOptions({ groups, whole = false }: { groups: readonly OptionGroup[]; whole?: boolean }) {
  return (
    <>
      {groups.map((group) => (
        <optgroup key={group.code} label={group.name}>
          {whole && <option value={group.code}>{group.name}（全部）</option>}
          {group.children.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}
