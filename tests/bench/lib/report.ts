// What a benchmark hands back: a table of measured values against their baseline
// from the same run, and the checks (PASS/WARN) against the targets of
// docs/performance.md. A WARN never fails the run: these machines are shared.
export interface Row {
  name: string;
  value: string;
  baseline: string;
  ratio: string;
  note?: string;
}

export interface Check {
  name: string;
  /** The measured figure, formatted. */
  measured: string;
  /** The target, in words ("≥ 0.20× raw"). */
  target: string;
  pass: boolean;
}

export interface BenchReport {
  name: string;
  title: string;
  /** One line on what was measured (sizes, machine facts). */
  setup: string;
  rows: Row[];
  checks: Check[];
  /** Correctness of what the benchmark moved (the replica's content): failures here are errors, not warnings. */
  verified: string[];
}

export function formatTable(rows: readonly Row[]): string {
  const head: Row = { name: 'measure', value: 'value', baseline: 'baseline', ratio: 'ratio', note: 'note' };
  const all = [head, ...rows];
  const w = {
    name: Math.max(...all.map((r) => width(r.name))),
    value: Math.max(...all.map((r) => width(r.value))),
    baseline: Math.max(...all.map((r) => width(r.baseline))),
    ratio: Math.max(...all.map((r) => width(r.ratio))),
  };
  const line = (r: Row): string =>
    [pad(r.name, w.name), padStart(r.value, w.value), padStart(r.baseline, w.baseline), padStart(r.ratio, w.ratio), r.note ?? '']
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(w.name + w.value + w.baseline + w.ratio + 8 + Math.max(4, ...rows.map((r) => width(r.note ?? ''))));
  return [line(head), rule, ...rows.map(line)].join('\n');
}

export function formatReport(report: BenchReport): string {
  const out = [`== ${report.name}: ${report.title}`, report.setup, '', formatTable(report.rows)];
  if (report.verified.length > 0) out.push('', ...report.verified.map((v) => `verified: ${v}`));
  if (report.checks.length > 0) out.push('', ...report.checks.map(formatCheck));
  return out.join('\n');
}

export function formatCheck(c: Check): string {
  return `${c.pass ? 'PASS' : 'WARN'}  ${c.name}: ${c.measured} (target ${c.target})`;
}

// East Asian characters take two columns in a terminal.
function width(s: string): number {
  let n = 0;
  for (const ch of s) n += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return n;
}
const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - width(s)));
const padStart = (s: string, n: number): string => ' '.repeat(Math.max(0, n - width(s))) + s;
