// Resident ID numbers (居民身份号码) as GB 11643-1999 defines them: 6 digits of region,
// 8 of birth date (YYYYMMDD), 3 of sequence (odd for men, even for women) and one
// check character computed with ISO 7064 MOD 11-2 over the first 17 (10 is written X).
// Used by the register's import (a row with a wrong check character is rejected) and by
// the demo county's synthetic register, whose numbers carry a valid check character
// under a region code that does not exist (99xxxx: no province has code 99).

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

/** The region prefix of the demo county's synthetic numbers: province 99 does not exist. */
export const SYNTHETIC_REGION = '990624';

/** The check character of the first 17 digits (ISO 7064 MOD 11-2). */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('idCheckChar: 17 digits expected');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

export type IdNumberProblem = 'format' | 'birthDate' | 'checksum';

/** Normalise a typed ID number: trimmed, full-width digits and x read as ASCII, X upper-case. */
export function normaliseIdNumber(raw: string): string {
  return raw
    .trim()
    .replace(/[\uFF10-\uFF19\uFF38\uFF58]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .toUpperCase();
}

/** Why an 18-character ID number is not valid, or null when it is (format, a real birth date, the check character). */
export function idNumberProblem(raw: string): IdNumberProblem | null {
  const id = normaliseIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(id)) return 'format';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return 'birthDate';
  return idCheckChar(id.slice(0, 17)) === id[17] ? null : 'checksum';
}

export const ID_PROBLEM_LABELS: Readonly<Record<IdNumberProblem, string>> = {
  format: '身份证号应为 18 位(17 位数字加 1 位数字或 X)',
  birthDate: '身份证号中的出生日期无效',
  checksum: '身份证号校验位错误(GB 11643)',
};

/** A valid number from region, birth date (YYYYMMDD) and a sequence 0..999. */
export function makeIdNumber(region: string, birth: string, sequence: number): string {
  const first17 = `${region}${birth}${String(sequence % 1000).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

/** The last four characters of a number: what a masked ID shows and what a search by masked ID matches. */
export function idSuffix(raw: string): string {
  return normaliseIdNumber(raw).slice(-4);
}
