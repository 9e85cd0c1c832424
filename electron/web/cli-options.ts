// Arguments of the web shell's command line (cli.ts), parsed without side effects.
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliOptions {
  port: number;
  host: string;
  dataset: string;
  rendererDir: string;
}

export function parseCli(argv: readonly string[]): CliOptions {
  const options: CliOptions = {
    port: 4173,
    host: '127.0.0.1',
    dataset: `${ROOT}resources/demo-town/town.json`,
    rendererDir: `${ROOT}out/renderer`,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const need = (): string => {
      if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
      i++;
      return value;
    };
    switch (flag) {
      case '--port': {
        const port = Number(need());
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad --port: ${value}`);
        options.port = port;
        break;
      }
      case '--host':
        options.host = need();
        break;
      case '--dataset':
        options.dataset = need();
        break;
      case '--renderer':
        options.rendererDir = need();
        break;
      default:
        throw new Error(`unknown option: ${flag}`);
    }
  }
  return options;
}
