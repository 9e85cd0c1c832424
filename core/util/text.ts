// Small text helpers for messages that reach a log line, a rejection or a toast:
// one definition each, used by the link, the replica, the API's validation and the
// county simulator alike.
import type * as z from 'zod';

/** `text` cut to `max` characters, with "…" when cut (a log line, a stored message). */
export function clip(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** How describeIssues words its line: the API speaks to operators in Chinese, the wire logs in English. */
export interface IssueStyle {
  /** Issues listed at most. */
  max: number;
  /** What stands for an issue of the whole value (an empty path). */
  root: string;
  separator: string;
  /** Appended when issues were left out (how many). */
  more?: (count: number) => string;
  /** The whole line cut to this many characters. */
  limit?: number;
}

/** "path: message" of the first issues of a zod error, on one line. */
export function describeIssues(error: z.ZodError, style: IssueStyle): string {
  const lines = error.issues.slice(0, style.max).map((issue) => `${issue.path.map(String).join('.') || style.root}: ${issue.message}`);
  const left = error.issues.length - style.max;
  const text = lines.join(style.separator) + (left > 0 && style.more ? style.more(left) : '');
  return style.limit === undefined ? text : text.slice(0, style.limit);
}
