/** hvps: runs a script and reports it the way a console does. Answers the exit code. */
import { resolve } from 'node:path';
import type { HostPrompter, PowerShellResult } from '@hvm/powershell';
import type { Invocation } from './args.js';
import { UsageError, usage } from './args.js';
import { splitConsoleText } from './consoleText.js';
import { TargetError, runOnDataFolder, runOnServer } from './targets.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
  /** Reads a `-File` script; rejects when the file cannot be read. */
  readFile: (path: string) => Promise<string>;
  /** Asks the user on the terminal; used only when the invocation is interactive. */
  prompt?: HostPrompter;
}

export const ExitCode = { Ok: 0, Failed: 1, Usage: 2 } as const;

/**
 * The exit code powershell.exe gives for the script (behaviour spec R29; PowerShell/PowerShell#13501,
 * about_Pwsh): `exit N` gives N, otherwise 1 when the last statement's `$?` is false, else 0. A
 * server that does not send `exitCode` (an older one) gets the old rule: 1 on a terminating error.
 * Exit codes are taken modulo 256, as Linux keeps them (powershell.exe on Windows keeps all 32
 * bits: `exit 256` gives 256 there; README).
 */
export function scriptExitCode(result: PowerShellResult): number {
  const code = result.exitCode ?? (result.hadTerminatingError ? ExitCode.Failed : ExitCode.Ok);
  return ((code % 256) + 256) % 256;
}

/**
 * pwsh's words for a `-File` it cannot find (CommandLineParameterParserStrings.ArgumentFileDoesNotExist, "The
 * argument '{0}' is not recognized as the name of a script file. Check the spelling of the name,
 * or if a path was included, verify that the path is correct and try again.").
 */
async function readScriptFile(io: Io, path: string): Promise<string> {
  try {
    return await io.readFile(path);
  } catch {
    throw new UsageError(
      `The argument '${path}' is not recognized as the name of a script file. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
    );
  }
}

export async function runInvocation(invocation: Invocation, io: Io): Promise<number> {
  if (invocation.kind === 'help') {
    io.stdout(usage);
    return ExitCode.Ok;
  }
  try {
    const script =
      invocation.script ??
      (invocation.file !== undefined
        ? await readScriptFile(io, invocation.file)
        : await io.readStdin());
    if (script.trim() === '' && invocation.file === undefined)
      throw new UsageError('No script: standard input was empty.');
    const { target, width } = invocation;
    const result =
      target.kind === 'server'
        ? await runOnServer(target.url, script, width)
        : await runOnDataFolder(
            target.folder,
            script,
            width,
            invocation.interactive ? io.prompt : undefined,
            invocation.file !== undefined
              ? { path: resolve(invocation.file), arguments: invocation.scriptArguments ?? [] }
              : undefined,
          );
    for (const segment of splitConsoleText(result.output, result.errors)) {
      (segment.stream === 'out' ? io.stdout : io.stderr)(segment.text);
    }
    return scriptExitCode(result);
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
