// A form filled by a role that sees a personal field masked (a phone as 138****1234, an
// ID number, an address, a contact's name) sends the masked text back when the person
// did not touch it. Saving must then keep the stored value, and must never store a
// masked one: a value with `*` in it is taken only when it is exactly the stored value's
// masked form. One rule for every town form that edits masked fields (the emergency
// resources' contact phone, the registers' persons, houses and organisations).
import { MASK } from './mask';

export type KeptValue = { ok: true; value: string } | { ok: false };

/**
 * The value to store: `value` itself when it carries no mask character; the stored value
 * when `value` is its masked form (`mask(stored) === value`); otherwise refused.
 */
export function keepMasked(value: string, stored: string | null | undefined, mask: (v: string) => string): KeptValue {
  if (!value.includes(MASK)) return { ok: true, value };
  if (stored !== null && stored !== undefined && stored !== '' && mask(stored) === value) return { ok: true, value: stored };
  return { ok: false };
}

/** A masked number as the text shows it: digits and stars, at least one star. */
const MASKED_RUN = new RegExp(`[\\d${MASK}]*\\${MASK}[\\d${MASK}]*`, 'g');

/**
 * The same rule for free text in which numbers were masked (a mediation file's summary
 * holding a party's phone): the text sent back unchanged keeps the stored text; an edited
 * text that still carries one of the masked numbers is refused (storing it would lose the
 * number); any other text is stored as written.
 */
export function keepMaskedText(value: string, stored: string | null | undefined, mask: (v: string) => string): KeptValue {
  if (stored === null || stored === undefined) return { ok: true, value };
  const shown = mask(stored);
  if (shown === value) return { ok: true, value: stored };
  const hidden = (shown.match(MASKED_RUN) ?? []).filter((run) => !stored.includes(run));
  return hidden.some((run) => value.includes(run)) ? { ok: false } : { ok: true, value };
}
