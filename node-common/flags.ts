// Command-line flags of the town's shells and of the county: split by node's
// util.parseArgs, with errors a person reads.
import { parseArgs } from 'node:util';

/**
 * `--flag value` pairs of the given names (every flag takes a value), with errors a person
 * reads: "unknown option: --x", "--port needs a value".
 */
export function parseFlags<K extends string>(argv: readonly string[], names: readonly K[]): Partial<Record<K, string>> {
  const options = Object.fromEntries(names.map((n) => [n, { type: 'string' as const }]));
  // parseArgs takes "-5" after a flag for another option; a negative number is the flag's value.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (arg.startsWith('--') && !arg.includes('=') && next !== undefined && /^-\d/.test(next)) {
      args.push(`${arg}=${next}`);
      i++;
    } else args.push(arg);
  }
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Partial<Record<K, string>>;
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    const flag = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new Error(`unknown option: ${flag}`, { cause: error });
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new Error(`${flag} needs a value`, { cause: error });
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new Error(`unexpected argument: ${/'([^']*)'/.exec(message)?.[1] ?? message}`, { cause: error });
    throw error;
  }
}
