/**
 * `hvps -Command '<script>'` (or the script on standard input): runs Hyper-V PowerShell against a
 * running Hyper-V Manager server (`--server`) or directly on a host data folder (`--data`).
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Interface } from 'node:readline';
import { readInvocation, UsageError } from './cli/args.js';
import type { Invocation } from './cli/args.js';
import { ExitCode, runInvocation } from './cli/run.js';
import { decodeScriptFile } from './cli/scriptFileText.js';
import type { ReadLine } from './cli/terminalPrompt.js';
import { terminalPrompter } from './cli/terminalPrompt.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function write(stream: NodeJS.WriteStream): (text: string) => void {
  return (text) => {
    stream.write(text);
  };
}

/**
 * Questions go to stderr, so that stdout stays the script's output; answers come from the terminal.
 * Ctrl+C or the end of input answers null (the prompt is cancelled and the run stops).
 */
function terminalReadLine(): { readLine: ReadLine; close: () => void } {
  let rl: Interface | null = null;
  let pending: ((line: string | null) => void) | null = null;
  const settle = (line: string | null): void => {
    const resolve = pending;
    pending = null;
    resolve?.(line);
  };
  const open = (): Interface => {
    if (rl) return rl;
    rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    rl.on('SIGINT', () => {
      process.stderr.write('\n');
      settle(null);
    });
    rl.on('close', () => settle(null));
    return rl;
  };
  return {
    readLine: (question) =>
      new Promise((resolve) => {
        pending = resolve;
        open().question(question, (line) => settle(line));
      }),
    close: () => rl?.close(),
  };
}

async function main(): Promise<number> {
  let invocation: Invocation;
  try {
    invocation = readInvocation();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`hvps: ${error.message}\n`);
    return ExitCode.Usage;
  }
  const terminal = invocation.kind === 'run' && invocation.interactive ? terminalReadLine() : null;
  try {
    return await runInvocation(invocation, {
      stdout: write(process.stdout),
      stderr: write(process.stderr),
      readStdin,
      readFile: async (path) => decodeScriptFile(await readFile(path)),
      ...(terminal ? { prompt: terminalPrompter(terminal.readLine, write(process.stderr)) } : {}),
    });
  } finally {
    terminal?.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
