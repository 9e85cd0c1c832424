// The demo generators' command lines: flags through node-common's parseFlags, errors
// as one usage line and exit code 2.

/** A --seed value: an integer, possibly negative; the default when absent. */
export function seedFlag(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new Error(`bad --seed: ${raw}`);
  return Number(raw);
}

/** Parses process.argv with `parse`; on a bad flag prints the usage and sets exit code 2. */
export function cliArgs<T>(usage: string, parse: (argv: readonly string[]) => T, argv: readonly string[] = process.argv.slice(2)): T | null {
  try {
    return parse(argv);
  } catch (e) {
    console.error(`${(e as Error).message}\nusage: ${usage}`);
    process.exitCode = 2;
    return null;
  }
}
