// How the console sends a command: through the app API under the command's own name,
// applied to the replica at once (it works offline) and queued for the county. The
// answer (or the refusal with its Chinese reason) goes to the one notice line.
import { createContext, useContext } from 'react';
import type { CommandName } from '../../../core/events/commands';
import { commandLabel } from './actions';

export type CommandOutcome = { ok: true; n: number; eventId: string } | { ok: false; message: string };

export interface CommandRunner {
  run(name: CommandName, args: Record<string, unknown>): Promise<CommandOutcome>;
}

export const CommandContext = createContext<CommandRunner>({
  run: async () => ({ ok: false, message: '调度台尚未就绪' }),
});

export const useCommands = (): CommandRunner => useContext(CommandContext);

/** "已受理（待县级平台确认）". */
export function doneText(name: CommandName): string {
  return `已${commandLabel(name)}（本地已生效，等待县级平台确认）`;
}
