export function bindingPath(root: string, electronVersion: string, platform?: string, arch?: string): string;
export function ensureElectronSqlite(
  root: string,
  electronVersion: string,
  run?: (command: string, args: string[], cwd: string) => { ok: boolean; output: string },
): { binding: string; reason?: undefined } | { binding?: undefined; reason: string };
