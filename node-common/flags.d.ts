/**
 * `--flag value` pairs of the given names (every flag takes a value), with errors a person
 * reads: "unknown option: --x", "--port needs a value".
 */
export declare function parseFlags<K extends string>(argv: readonly string[], names: readonly K[]): Partial<Record<K, string>>;
