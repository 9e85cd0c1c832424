// The stored form of an event masked at a level (issue 9: masking must not make a room's
// screen slower than the console). The replica keeps, beside each event's view, the
// view masked at every level (migration 0014, electron/service/replica/event-masks.ts),
// made when the event is written; a masked read then decodes the stored text instead of
// masking on every read. The rules stay those of mask.ts, applied by the one function
// every answer goes through (maskPersonalData): what is stored is exactly what masking
// the view on the fly gives, and it is vouched for (trustAsMasked) so that the answer's
// walk does not mask it again.
//
// A stored text names the rules' version and the level it was made with
// (`m<version>:<level>:` before the JSON): text made by other rules, or for another
// level, is never taken for this one; the event is masked on the fly instead.
import type { GridEvent } from '../model';
import { MASK_RULES_VERSION, maskPersonalData, trustAsMasked, type MaskLevel } from './mask';

/** Every level of the rules. */
export const MASK_LEVELS: readonly MaskLevel[] = ['numbers', 'all'];

/**
 * The levels the replica stores. Only `all` (the wall, the meeting screen, the admin):
 * masking at `numbers` is one scan of each text that finds nothing in most events and
 * returns the event as it is, cheaper than reading a stored copy beside the view
 * (measured on the 1,000,000-event bench: docs/performance.md, "Roles and masking").
 */
export const STORED_MASK_LEVELS: readonly MaskLevel[] = ['all'];

const prefixOf = (level: MaskLevel): string => `m${MASK_RULES_VERSION}:${level}:`;
const PREFIX: Readonly<Record<MaskLevel, string>> = { numbers: prefixOf('numbers'), all: prefixOf('all') };
/**
 * Stored for an event that masking at the level leaves as it is (most events at level
 * numbers: no phone or ID number anywhere): the view itself is what the level shows.
 */
const SAME: Readonly<Record<MaskLevel, string>> = { numbers: `${PREFIX.numbers}=`, all: `${PREFIX.all}=` };

/** The event's view masked at `level`, as the replica stores it. */
export function encodeMasked(view: GridEvent, level: MaskLevel): string {
  const masked = maskPersonalData(view, level);
  return masked === view ? SAME[level] : PREFIX[level] + JSON.stringify(masked);
}

/**
 * The event as `level` shows it, from what the replica stored for it at that level (null:
 * nothing) and its view's JSON (null: not read). Returns null when it needs the view's
 * JSON and was not given it (nothing usable stored): the caller reads it and asks again.
 * Whatever comes back is vouched for as masked at `level`.
 */
export function decodeMasked(stored: string | null, viewJson: string | null, level: MaskLevel): GridEvent | null {
  if (stored !== null && stored.startsWith(PREFIX[level])) {
    if (stored !== SAME[level]) return trustAsMasked(JSON.parse(stored.slice(PREFIX[level].length)) as GridEvent, level);
    // Masking this view at this level was found to change nothing when it was stored (the row goes when the view changes).
    if (viewJson !== null) return trustAsMasked(JSON.parse(viewJson) as GridEvent, level);
  }
  if (viewJson === null) return null;
  return maskedNow(JSON.parse(viewJson) as GridEvent, level);
}

/** The view masked on the fly (nothing stored, or stored by other rules): as every answer is masked. */
export function maskedNow(view: GridEvent, level: MaskLevel): GridEvent {
  return trustAsMasked(maskPersonalData(view, level), level);
}
