/**
 * `hvps -Command '<script>'` (or the script on standard input): runs Hyper-V PowerShell against a
 * running Hyper-V Manager server (`--server`) or directly on a host data folder (`--data`).
 */
import { readInvocation, UsageError } from './cli/args.js';
import type { Invocation } from './cli/args.js';
import { ExitCode, runInvocation } from './cli/run.js';

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

async function main(): Promise<number> {
  let invocation: Invocation;
  try {
    invocation = readInvocation();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`hvps: ${error.message}\n`);
    return ExitCode.Usage;
  }
  return runInvocation(invocation, {
    stdout: write(process.stdout),
    stderr: write(process.stderr),
    readStdin,
  });
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
