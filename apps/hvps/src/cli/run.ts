/** hvps: runs a script and reports it the way a console does. Answers the exit code. */
import type { HostPrompter } from '@hvm/powershell';
import type { Invocation } from './args.js';
import { UsageError, usage } from './args.js';
import { splitConsoleText } from './consoleText.js';
import { TargetError, runOnDataFolder, runOnServer } from './targets.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
  /** Asks the user on the terminal; used only when the invocation is interactive. */
  prompt?: HostPrompter;
}

export const ExitCode = { Ok: 0, Failed: 1, Usage: 2 } as const;

export async function runInvocation(invocation: Invocation, io: Io): Promise<number> {
  if (invocation.kind === 'help') {
    io.stdout(usage);
    return ExitCode.Ok;
  }
  try {
    const script = invocation.script ?? (await io.readStdin());
    if (script.trim() === '') throw new UsageError('No script: standard input was empty.');
    const { target, width } = invocation;
    const result =
      target.kind === 'server'
        ? await runOnServer(target.url, script, width)
        : await runOnDataFolder(
            target.folder,
            script,
            width,
            invocation.interactive ? io.prompt : undefined,
          );
    for (const segment of splitConsoleText(result.output, result.errors)) {
      (segment.stream === 'out' ? io.stdout : io.stderr)(segment.text);
    }
    return result.hadTerminatingError ? ExitCode.Failed : ExitCode.Ok;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`hvps: ${error.message}\n`);
      return ExitCode.Usage;
    }
    if (error instanceof TargetError) {
      io.stderr(`hvps: ${error.message}\n`);
      return ExitCode.Failed;
    }
    throw error;
  }
}
