// Residents' personal data (个人信息) on screens and in exports. The seeds ask the
// grid workers to "严格保护个人隐私" (方案1) and the platform to "防止数据泄露"
// (方案4): a read-only screen in front of a room, or a spreadsheet that leaves the
// center, must not carry a resident's name, phone, ID number or house number.
//
// Masking keeps what the work needs (the surname to address a caller, the
// phone's carrier prefix and last four digits to match a call-back, the village
// and road of an address) and hides what identifies the person. Pure functions:
// the data service applies them to every answer, per caller role (maskLevel;
// docs/domain.md, "Personal data"): phone and ID numbers are masked for every
// role, and revealing one is its own recorded call (personal.reveal).
//
// Numbers are recognised after normalisation: full-width digits and X
// (１３８…, …１２３Ｘ) and the separators people type between digit groups
// (138 1234 1234, 138.1234.1234, 138-1234-1234, their full-width forms) read as
// the plain number.
import type { ActorRole, GridEvent, Reporter } from '../model';

export const MASK = '*';

/**
 * The version of the masking rules below. The replica keeps each event masked at every
 * level (core/privacy/stored-mask.ts) and re-masks everything when this changes:
 * bump it with ANY change of what these functions output (mask.test.ts holds a
 * fingerprint of their output that fails until it is bumped).
 */
export const MASK_RULES_VERSION = 2;

const stars = (n: number): string => MASK.repeat(Math.max(0, n));

// Full-width forms (U+FF01–FF5E) sit 0xFEE0 above their ASCII twins; the dashes and
// the ideographic space are mapped by hand. Every mapping is one UTF-16 unit to one,
// so positions in the normalised text are positions in the original.
const WIDE_NUMERAL = /[\uFF10-\uFF19\uFF38\uFF58\uFF0B\uFF0D\uFF0E\u3000\u2010-\u2015\u2212]/g;
const NARROW: Readonly<Record<string, string>> = { '\u3000': ' ', '\u2212': '-' };

/**
 * Full-width digits, X and +, and the dashes, dots and spaces that separate digit
 * groups, as their ASCII forms ("１３８－１２３４" → "138-1234"). Same length as the input.
 */
export function normaliseNumerals(text: string): string {
  return text.replace(WIDE_NUMERAL, (c) => {
    const code = c.charCodeAt(0);
    if (code >= 0xff00) return String.fromCharCode(code - 0xfee0);
    return NARROW[c] ?? '-';
  });
}

// Two-character surnames that a three- or four-character name most likely starts
// with; for them the surname is kept whole (欧阳** rather than 欧***).
const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒',
  '夏侯', '令狐', '轩辕', '端木', '独孤', '南宫', '西门', '百里', '呼延', '澹台', '闻人', '万俟',
]);

const HAN_NAME = /^[\u4E00-\u9FFF]+$/;

/**
 * 张三 → 张*, 张三丰 → 张**, 欧阳娜娜 → 欧阳**: the surname stays, every other
 * character becomes one star. A Latin name keeps its first letter (J*** S****).
 * Blank stays blank; a name already masked stays as it is.
 */
export function maskName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') return '';
  // The common case, a name of Han characters of the Basic Plane: one UTF-16 unit each, no array made.
  if (HAN_NAME.test(trimmed)) {
    const keep = trimmed.length >= 3 && COMPOUND_SURNAMES.has(trimmed.slice(0, 2)) ? 2 : 1;
    return trimmed.length === 1 ? MASK : trimmed.slice(0, keep) + stars(trimmed.length - keep);
  }
  const chars = [...trimmed];
  // A Han first character is the common case: the Latin test (a Unicode-property scan) is skipped.
  if (!/^[\u4E00-\u9FFF]/.test(trimmed) && /^[\p{Script=Latin}\s.'-]+$/u.test(trimmed)) {
    return trimmed
      .split(/(\s+)/)
      .map((part) => (/^\s+$/.test(part) || part === '' ? part : `${[...part][0]}${stars([...part].length - 1)}`))
      .join('');
  }
  if (chars.length === 1) return MASK;
  const keep = chars.length >= 3 && COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) ? 2 : 1;
  return chars.slice(0, keep).join('') + stars(chars.length - keep);
}

/**
 * Keeps the first `head` and the last `tail` digits of a digit run and stars the
 * rest, leaving separators in place ("0539-3621002" keeps its dash).
 */
function maskDigits(text: string, head: number, tail: number): string {
  const total = (text.match(/\d/g) ?? []).length;
  let seen = 0;
  return text.replace(/\d/g, (d) => {
    seen++;
    return seen <= head || seen > total - tail ? d : MASK;
  });
}

/**
 * Mobile 13812341234 → 138****1234 (also with +86 / 86 in front); a landline
 * 0539-3621002 → 0539-***1002 (area code and last four); a short local number
 * keeps only its last four (***1002). A number that holds no digit to hide
 * (already masked) is returned as it is.
 */
export function maskPhone(phone: string): string {
  const trimmed = normaliseNumerals(phone.trim());
  const digits = trimmed.replace(/\D/g, '');
  // Nothing to hide, or masked already (the county may send 184****7899).
  if (digits.length === 0 || (trimmed.includes(MASK) && digits.length <= 7)) return trimmed;
  const mobile = /^(?:\+?86[\s.-]?)?(1[3-9]\d)[\s.-]?(\d{4})[\s.-]?(\d{4})$/.exec(trimmed);
  if (mobile) {
    const prefix = trimmed.slice(0, trimmed.length - trimmed.replace(/^\+?86[\s.-]?/, '').length);
    return `${prefix}${mobile[1]}****${mobile[3]}`;
  }
  const landline = /^(\(?0\d{2,3}\)?[\s-]?)(\d[\d\s-]*\d)$/.exec(trimmed);
  if (landline?.[1] && landline[2]) return landline[1] + maskDigits(landline[2], 0, 4);
  if (digits.length <= 4) return stars(trimmed.length);
  return maskDigits(trimmed, 0, 4);
}

/**
 * Resident ID numbers (居民身份证号): 18 characters → the six-digit region code and
 * the last four kept, the birth date starred (430624********1234), the common
 * form of Chinese government and bank screens. Old 15-digit numbers keep six and
 * three. Anything else keeps only its last four.
 */
export function maskIdNumber(id: string): string {
  const trimmed = normaliseNumerals(id.trim());
  if (trimmed.includes(MASK) && trimmed.replace(/[^\dXx]/g, '').length <= 10) return trimmed;
  // Written in groups (430624 19900101 1234): the groups' separators go.
  const compact = /^[\dXx\s.-]+$/.test(trimmed) ? trimmed.replace(/[\s.-]/g, '') : trimmed;
  if (/^\d{17}[\dXx]$/.test(compact)) return `${compact.slice(0, 6)}${stars(8)}${compact.slice(14)}`;
  if (/^\d{15}$/.test(compact)) return `${compact.slice(0, 6)}${stars(6)}${compact.slice(12)}`;
  if (trimmed.length <= 4) return stars(trimmed.length);
  return stars(trimmed.length - 4) + trimmed.slice(-4);
}

// A house, building, unit, floor or room number: Arabic (also full-width) or
// Chinese numerals, possibly dashed (3-2), right before one of the markers.
const NUMERAL = '[0-9０-９一二三四五六七八九十百千零〇两]';
// Every character here is in the Basic Multilingual Plane: no `u` flag (slower in V8) is needed.
const HOUSE_NUMBER = new RegExp(`${NUMERAL}+(?:[-－—]${NUMERAL}+)*(?=号|室|栋|幢|单元|楼|层|户)`);
const ANY_NUMERAL = new RegExp(NUMERAL, 'g');

/**
 * Keeps the village and road, hides the door: from the first house number (digits
 * before 号/室/栋/幢/单元/楼/层/户) to the end, every numeral becomes stars.
 * "双凤村第五网格43号附近" → "双凤村第五网格**号附近"; "幸福路88号2栋301" →
 * "幸福路**号*栋***". A road or village number before that (3组, 第五网格) stays.
 */
export function maskAddress(address: string): string {
  const found = HOUSE_NUMBER.exec(address);
  if (!found) return address;
  const head = address.slice(0, found.index);
  // Each numeral becomes one star (a string replacement: no callback per run).
  const tail = address.slice(found.index).replace(ANY_NUMERAL, MASK);
  return head + tail;
}

// Phone and ID numbers written into free text (a hotline note: "联系电话13812341234"),
// searched in the normalised text. Digit runs are bounded on both sides so that a case
// code or a date is not taken. Old 15-digit ID numbers are not looked for in text:
// grid codes have 15 digits too.
const SEP = '[ \\t.-]?';
const numbersInText = (start: string): RegExp => {
  const id = `${start}\\d{6}${SEP}\\d{8}${SEP}\\d{3}[\\dXx](?![\\dXx])`;
  const mobile = `${start}(?:\\+?86${SEP})?1[3-9]\\d${SEP}\\d{4}${SEP}\\d{4}(?!\\d)`;
  const landline = `${start}0\\d{2,3}[.-]\\d{7,8}(?!\\d)`;
  return new RegExp(`(${id})|${mobile}|${landline}`, 'g');
};
const NUMBER_IN_TEXT = numbersInText('(?<!\\d)');
// The one run a number may start inside: right after a date or a clock time typed without
// a space ("2026-11-2813590964678", "10:3013590964678"), where the date's day or the
// minutes end and the number begins. A longer run before it (a code) still bounds it out.
// Texts without such a stamp glued to a digit (nearly all) take the cheaper pattern above.
const DATE_OR_TIME = '(?<!\\d)\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|(?<![\\d:])\\d{1,2}:\\d{2}(?::\\d{2})?';
// A cheap first test (no lookbehind): a stamp's separator followed by five digits or more.
const MAY_HAVE_STAMP_GLUED = /[-/.:]\d{5}/;
const NUMBER_IN_TEXT_AFTER_STAMPS = numbersInText(`(?:(?<!\\d)|(?<=${DATE_OR_TIME}))`);
/**
 * Every number looked for holds seven digits in a row, or three and four with a
 * separator between them, once normalised (1[3-9]\d-\d{4}, \d{6}…, 0\d{2,3}-\d{7}); before
 * normalising, either they are there or a full-width digit is. Without either there is
 * nothing to look for: the common case ("12345热线上报"), kept cheap, for a page of
 * events has hundreds of texts.
 */
const MAY_HOLD_NUMBER = /\d{3}[ \t.\-\uFF0D\uFF0E\u3000\u2010-\u2015\u2212]?\d{4}|[\uFF10-\uFF19]/;

/** Masks ID and phone numbers found inside free text, in any of their written forms; the rest is untouched. */
export function maskText(text: string): string {
  if (!MAY_HOLD_NUMBER.test(text)) return text;
  const normal = normaliseNumerals(text);
  let out = '';
  let last = 0;
  for (const m of normal.matchAll(MAY_HAVE_STAMP_GLUED.test(normal) ? NUMBER_IN_TEXT_AFTER_STAMPS : NUMBER_IN_TEXT)) {
    out += text.slice(last, m.index) + (m[1] !== undefined ? maskIdNumber(m[0]) : maskPhone(m[0]));
    last = m.index + m[0].length;
  }
  return last === 0 ? text : out + text.slice(last);
}

export function maskReporter(reporter: Reporter): Reporter {
  const out: Reporter = { name: maskName(reporter.name) };
  if (reporter.phone !== undefined) out.phone = maskPhone(reporter.phone);
  if (reporter.idNumber !== undefined) out.idNumber = maskIdNumber(reporter.idNumber);
  // A grid worker's id is staff data, not a resident's: kept so reports stay credited.
  if (reporter.workerId !== undefined) out.workerId = reporter.workerId;
  return out;
}

// ---------------------------------------------------------------- the role policy

/** Where personal data would be shown: on a screen of the app, or in a file that leaves it. */
export type Purpose = 'screen' | 'export';

/**
 * How much of residents' personal data a caller's answers hide:
 * - `numbers`: phone and ID numbers (the reporter's fields, and wherever free text
 *   holds one); names and addresses stay readable for the people who work the case;
 * - `all`: also names (the surname stays), door numbers, photos.
 * No role gets the numbers unmasked from a query: revealing one is its own call
 * (personal.reveal), with a reason, allowed by role and recorded.
 */
export type MaskLevel = 'numbers' | 'all';

/** The roles that work a case, and so read names and addresses (machine actors included). */
const CASE_ROLES: ReadonlySet<ActorRole> = new Set<ActorRole>(['dispatcher', 'leader', 'department', 'village', 'gridWorker', 'county', 'system']);

/**
 * The mask of a role for a purpose. On screen: `numbers` for the roles that work a case
 * (dispatcher, leader, department, village); `all` for the viewer and the secretary (the
 * wall and the meeting screen are in front of a room) and the admin (no event work).
 * Exports: `all` for every role (a later issue decides what a reveal means in an export).
 */
export function maskLevel(role: ActorRole, purpose: Purpose = 'screen'): MaskLevel {
  if (purpose === 'export') return 'all';
  return CASE_ROLES.has(role) ? 'numbers' : 'all';
}

/** May this role read residents' names and addresses (never their phone or ID numbers) for this purpose? */
export function maySeePersonalData(role: ActorRole, purpose: Purpose): boolean {
  return maskLevel(role, purpose) === 'numbers';
}

/** The reporter with phone and ID numbers masked; the name stays. */
export function maskReporterNumbers(reporter: Reporter): Reporter {
  const out: Reporter = { ...reporter };
  if (reporter.phone !== undefined) out.phone = maskPhone(reporter.phone);
  if (reporter.idNumber !== undefined) out.idNumber = maskIdNumber(reporter.idNumber);
  return out;
}

/**
 * The event with phone and ID numbers masked, in the reporter's fields and in every text;
 * names and addresses stay. An event with nothing to mask comes back as it is (the
 * common case: a page of the queue is masked on every call), never modified.
 */
export function maskEventNumbers(event: GridEvent): GridEvent {
  const title = maskText(event.title);
  const description = maskText(event.description);
  const address = maskText(event.location.address);
  const history = maskNotes(event.history, maskText);
  const ext = event.extensionRequest;
  const reason = ext === null ? '' : maskText(ext.reason);
  const r = event.reporter;
  const reporterHolds = r !== null && (r.phone !== undefined || r.idNumber !== undefined);
  const same = title === event.title && description === event.description && address === event.location.address && history === event.history;
  if (same && !reporterHolds && (ext === null || reason === ext.reason)) return event;
  return {
    ...event,
    title,
    description,
    // Parts that hold nothing to mask are shared, not copied (an answer is never modified in place).
    location: address === event.location.address ? event.location : { ...event.location, address },
    reporter: r === null || !reporterHolds ? r : maskReporterNumbers(r),
    history,
    extensionRequest: ext === null || reason === ext.reason ? ext : { ...ext, reason },
  };
}

/** The history with each note masked; an entry whose note holds nothing to mask is kept as it is. */
function maskNotes(history: GridEvent['history'], mask: (text: string) => string): GridEvent['history'] {
  let out: GridEvent['history'] | null = null;
  for (let i = 0; i < history.length; i++) {
    const h = history[i]!;
    const note = mask(h.note);
    if (note === h.note) continue;
    out ??= history.slice();
    out[i] = { ...h, note };
  }
  return out ?? history;
}

/**
 * The event with the reporter, the address's door numbers and phone/ID numbers in its
 * texts masked, and its photos dropped; the reporter's own name is masked where the
 * texts repeat it ("张三丰来电反映…" → "张**来电反映…"). Other names written into free
 * text cannot be told from ordinary words and stay: the texts are the dispatchers'
 * notes, and the wall shows none of them but the title.
 */
export function maskEventData(event: GridEvent): GridEvent {
  const name = event.reporter?.name.trim() ?? '';
  const maskedName = [...name].length >= 2 ? maskName(name) : null;
  const text = (t: string): string => maskTextAndName(t, name, maskedName);
  return {
    ...event,
    title: text(event.title),
    description: text(event.description),
    location: { ...event.location, address: text(maskAddress(event.location.address)) },
    reporter: event.reporter === null ? null : maskReporter(event.reporter),
    history: maskNotes(event.history, text),
    extensionRequest: event.extensionRequest === null ? null : { ...event.extensionRequest, reason: text(event.extensionRequest.reason) },
    photos: [],
  };
}

/** maskText, and the reporter's name where the text repeats it (maskedName null: a name too short to look for). */
function maskTextAndName(t: string, name: string, maskedName: string | null): string {
  const masked = maskText(t);
  return maskedName !== null && masked.includes(name) ? masked.split(name).join(maskedName) : masked;
}

/** The event as `role` may see it for `purpose` (maskLevel). */
export function maskEvent(event: GridEvent, role: ActorRole, purpose: Purpose = 'screen'): GridEvent {
  return maskLevel(role, purpose) === 'numbers' ? maskEventNumbers(event) : maskEventData(event);
}

// ---------------------------------------------------------------- any answer of the app API

const TEXT_KEYS = new Set(['title', 'description', 'note', 'message', 'reason', 'detail']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const looksLikeEvent = (v: Record<string, unknown>): boolean =>
  'reporter' in v && isRecord(v.location) && Array.isArray(v.history) && typeof v.title === 'string';

/**
 * Masks residents' personal data wherever it sits in a value (an API answer, a
 * command's arguments, a push), by field name, at a level (maskLevel):
 * - both levels: events whole (maskEventNumbers / maskEventData), the `reporter`'s
 *   phone and ID number, `idNumber`, and phone/ID numbers inside `address` and the
 *   free-text fields (title, description, note, message, reason, detail);
 * - `all` also: names of reporters, door numbers of addresses, any `phone` (staff
 *   phones too: a room has no use for them) and `photos`.
 * Names of places, grids and staff are not residents' personal data and stay. A new
 * answer shape is covered as long as it uses these field names, which is why this
 * walks the value rather than listing methods.
 */
export function maskPersonalData<T>(value: T, level: MaskLevel = 'all'): T {
  return walk(value, level) as T;
}

function walk(value: unknown, level: MaskLevel): unknown {
  if (Array.isArray(value)) return value.map((v) => walk(v, level));
  if (!isRecord(value)) return value;
  if (looksLikeEvent(value)) {
    // An event this module made at this level (the replica's stored masks): walking it again would give it back.
    if (MASKED.get(value) === level) return value;
    const event = value as unknown as GridEvent;
    const masked = (level === 'all' ? maskEventData(event) : maskEventNumbers(event)) as unknown as Record<string, unknown>;
    // Fields beyond the model's (a newer county's) are walked too, on a copy: the input is never modified.
    if (hasKnownKeysOnly(masked)) return masked;
    let out: Record<string, unknown> | null = null;
    for (const k in masked) {
      if (Object.hasOwn(KNOWN_EVENT_KEYS, k)) continue;
      out ??= masked === value ? { ...masked } : masked;
      out[k] = walkField(k, masked[k], level);
    }
    return out ?? masked;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walkField(k, v, level)]));
}

function walkField(key: string, v: unknown, level: MaskLevel): unknown {
  const all = level === 'all';
  if (typeof v === 'string') {
    if (key === 'phone') return all ? maskPhone(v) : v;
    if (key === 'idNumber') return maskIdNumber(v);
    if (key === 'address') return maskText(all ? maskAddress(v) : v);
    if (TEXT_KEYS.has(key)) return maskText(v);
    return v;
  }
  if (key === 'reporter' && isRecord(v) && typeof v.name === 'string') {
    const reporter = v as unknown as Reporter;
    return { ...(walk(v, level) as Record<string, unknown>), ...(all ? maskReporter(reporter) : maskReporterNumbers(reporter)) };
  }
  if (key === 'photos' && all && Array.isArray(v)) return [];
  return walk(v, level);
}

/** Does the event hold only the model's keys? A loop over its keys, allocating nothing (a page has hundreds of events). */
function hasKnownKeysOnly(event: Record<string, unknown>): boolean {
  for (const k in event) if (!Object.hasOwn(KNOWN_EVENT_KEYS, k)) return false;
  return true;
}

const KNOWN_EVENT_KEYS: Readonly<Record<keyof GridEvent, true>> = {
  id: true,
  code: true,
  title: true,
  description: true,
  category: true,
  status: true,
  urgency: true,
  source: true,
  location: true,
  grid: true,
  reportedAt: true,
  reporter: true,
  deadlines: true,
  assignee: true,
  history: true,
  tier: true,
  selfHandled: true,
  suspendedFrom: true,
  reworkCount: true,
  supervisionCount: true,
  extensionRequest: true,
  satisfaction: true,
  mergedInto: true,
  photos: true,
  device: true,
};

// ---------------------------------------------------------------- events masked already

/** Events known to be maskPersonalData's output at a level, their top level frozen (trustAsMasked). */
const MASKED = new WeakMap<object, MaskLevel>();

/**
 * Marks `event` as maskPersonalData(x, level) of some event x, so that masking it at the
 * same level returns it as it is (a page of the queue read from the replica's stored
 * masks is not masked a second time). Its top level is frozen: a field of what was
 * vouched for cannot be swapped afterwards. Only for stored-mask.ts, which vouches for
 * what it decodes; anything else passes its answers through maskPersonalData.
 */
export function trustAsMasked(event: GridEvent, level: MaskLevel): GridEvent {
  MASKED.set(Object.freeze(event), level);
  return event;
}
