// Events full of personal data in the forms people write it, for the tests that hold
// the stored masks (stored-mask.ts) to the masking on the fly (mask.ts): mobiles,
// landlines and ID numbers in full-width digits, with spaces, dots and dashes, inside
// notes, titles, addresses and reasons; the reporter's name repeated in the texts; door
// numbers; photos; fields beyond the model's. Deterministic from a seed.
import type { GridEvent } from '../model';
import { seededRandom } from '../util/seeded-random';

export { seededRandom };

const WIDE = (s: string): string => s.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const NAMES = ['张三丰', '李娜', '欧阳娜娜', '王', 'John Smith', '何德岳', '诸葛亮', ''];
const WORDS = ['群众来电反映', '路灯不亮', '井盖缺失', '噪声扰民', '已处理', '联系电话', '身份证号', '请回电', '12345热线上报', '案件编号GP20261128-0001', '2026-11-28'];
const ADDRESSES = ['幸福路88号2栋301', '双凤村第五网格43号附近', '古培镇课功村村口', '３组１２号', '新街一百零八号二单元三楼', '工业园B区'];

/** A phone or ID number (or a run of digits that is neither) in one of its written forms. */
export function fuzzNumber(rng: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(rng() * 10))).join('');
  const numbers = [
    () => `1${pick(['3', '5', '8', '9'])}${digits(9)}`,
    () => `1${pick(['3', '7'])}${digits(1)} ${digits(4)} ${digits(4)}`,
    () => `1${pick(['3', '8'])}${digits(1)}.${digits(4)}.${digits(4)}`,
    () => `+86-1${pick(['5', '9'])}${digits(9)}`,
    () => `0${digits(3)}-${digits(7)}`,
    () => `${digits(17)}${pick(['X', 'x', digits(1)])}`,
    () => `${digits(6)} ${digits(8)} ${digits(4)}`,
    () => digits(Math.floor(rng() * 12)),
  ];
  const number = pick(numbers)();
  return rng() < 0.3 ? WIDE(number) : number;
}

/** Free text of words, numbers (fuzzNumber) and the reporter's name. */
export function fuzzText(rng: () => number, name: string): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const parts: string[] = [];
  const n = 1 + Math.floor(rng() * 4);
  for (let i = 0; i < n; i++) {
    const r = rng();
    // Between words, as people write them: a number glued to other digits (a date, a case code) is not
    // taken for a phone or ID number by the rules (their digit runs are bounded), so none is made here.
    if (r < 0.35) parts.push(`${pick(['电话', '号码', ' ', '：', '，'])}${fuzzNumber(rng)}${pick(['，', '。', ' ', '）'])}`);
    else if (r < 0.5 && name !== '') parts.push(name);
    else parts.push(pick(WORDS));
  }
  return parts.join(rng() < 0.5 ? '' : '，');
}

/** A complete event (the model's fields) with personal data in every place it can sit. */
export function fuzzEvent(rng: () => number, i: number, base: GridEvent): GridEvent {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
  const name = pick(NAMES);
  const text = (): string => fuzzText(rng, name);
  const event: GridEvent = {
    ...base,
    id: `fz-${i}`,
    code: `GP20261128-${String(i).padStart(4, '0')}`,
    title: text(),
    description: text(),
    location: { ...base.location, address: rng() < 0.5 ? pick(ADDRESSES) : `${pick(ADDRESSES)}${text()}` },
    reporter: rng() < 0.15 ? null : { name, ...(rng() < 0.7 ? { phone: fuzzNumber(rng) } : {}), ...(rng() < 0.4 ? { idNumber: fuzzNumber(rng) } : {}), ...(rng() < 0.2 ? { workerId: 'w-0001' } : {}) },
    history: base.history.map((h) => ({ ...h, note: rng() < 0.5 ? text() : h.note })),
    extensionRequest: rng() < 0.3 ? { by: { value: 2, unit: 'workDays' }, reason: text(), at: base.reportedAt, actor: 'op-rj' } : base.extensionRequest,
    photos: rng() < 0.3 ? ['photo-1.jpg'] : base.photos,
  };
  // A newer county's fields: walked by name like any answer.
  if (rng() < 0.2) Object.assign(event, { contact: { phone: fuzzNumber(rng), note: text() }, remark: text() });
  return event;
}
