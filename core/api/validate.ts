// Boundary checks derived from the contract: every transport validates the
// arguments it receives before they reach a service, and every client
// validates the results it gets before they reach a view.
import * as z from 'zod';
import type { ApiError, ArgsOf, MethodName, ParsedArgsOf, ResultOf } from './contract';
import { CONTRACT, isCommand, isMethodName } from './contract';
import { describeIssues as describe } from '../util/text';

// Operators read these messages: zod's Chinese locale, per parse, with no global side effect.
const zhCN = z.locales.zhCN();
const parseOptions = { error: zhCN.localeError };

/** "path: message" lines of a zod error, in Chinese, short enough for a toast. */
export function describeIssues(error: z.ZodError, max = 3): string {
  return describe(error, { max, root: '(参数)', separator: ';', more: (count) => `;另有 ${count} 处问题` });
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/**
 * Whatever a caller sent as a method name, printable and short. Never throws: String()
 * of an object such as `{ toString: 1 }` does, and a transport must answer it, not crash.
 */
export function methodLabel(method: unknown): string {
  return typeof method === 'string' ? method.slice(0, 80) : `(${typeof method})`;
}

/** Validates a method name and its arguments; `undefined` args count as `{}`. */
export function validateArgs<M extends MethodName>(method: M, args: unknown): Checked<ParsedArgsOf<M>>;
export function validateArgs(method: string, args: unknown): Checked<unknown>;
export function validateArgs(method: string, args: unknown): Checked<unknown> {
  if (!isMethodName(method)) {
    return { ok: false, error: { code: 'unknown-method', message: `未知的方法:${methodLabel(method)}` } };
  }
  let parsed: z.ZodSafeParseResult<unknown>;
  try {
    parsed = CONTRACT[method].args.safeParse(args === undefined ? {} : args, parseOptions);
  } catch {
    // In-process callers can pass what no transport carries (a getter or proxy that throws).
    return { ok: false, error: { code: 'invalid', message: '参数无效:参数无法读取' } };
  }
  if (!parsed.success) {
    const message = isCommand(method) ? describeForDispatcher(CONTRACT[method].args, args, parsed.error) : `参数无效:${describeIssues(parsed.error)}`;
    return { ok: false, error: { code: 'invalid', message } };
  }
  return { ok: true, value: parsed.data };
}

const GENERIC = '\u0000generic';

/**
 * A command's refusal as the dispatcher reads it. The schemas of core/events word their
 * own issues ("请填写原因", "请选择派遣对象（部门或网格员）"): those stand alone. An issue
 * in zod's generic words (found by parsing again with a marker as the only wording) keeps
 * the field it is about.
 */
function describeForDispatcher(schema: z.ZodType, args: unknown, error: z.ZodError, max = 3): string {
  let marked: readonly { message: string }[] = [];
  try {
    const again = schema.safeParse(args === undefined ? {} : args, { error: () => GENERIC });
    if (!again.success) marked = again.error.issues;
  } catch {
    // Read once already; a second read that throws only loses the finer wording.
  }
  const messages = [
    ...new Set(
      error.issues.map((issue, i) => {
        if (marked[i] !== undefined && marked[i].message !== GENERIC) return issue.message;
        const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(参数)';
        return `参数 ${path}:${issue.message}`;
      }),
    ),
  ];
  const more = messages.length > max ? `；另有 ${messages.length - max} 处问题` : '';
  return messages.slice(0, max).join('；') + more;
}

/** Validates a service's result against the contract (a failure is a bug on the service side). */
export function validateResult<M extends MethodName>(method: M, result: unknown): Checked<ResultOf<M>> {
  const parsed = CONTRACT[method].result.safeParse(result, parseOptions);
  if (!parsed.success) {
    return { ok: false, error: { code: 'internal', message: `返回数据不符合接口约定:${describeIssues(parsed.error)}` } };
  }
  return { ok: true, value: parsed.data as ResultOf<M> };
}

/** A parse of any schema with the same Chinese messages. */
export function check<S extends z.ZodType>(schema: S, value: unknown): Checked<z.output<S>> {
  const parsed = schema.safeParse(value, parseOptions);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, error: { code: 'invalid', message: describeIssues(parsed.error) } };
}

/** `[args?]` when every argument is optional, `[args]` otherwise. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{}` is exactly "an object with no required key" here
export type ArgsTuple<M extends MethodName> = {} extends ArgsOf<M> ? [args?: ArgsOf<M>] : [args: ArgsOf<M>];
