/** Where a script runs: through a running server's API, or on a host data folder opened here. */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createHost, nodeFileStore } from '@hvm/engine';
import { localFileSystem, runPowerShell } from '@hvm/powershell';
import type { HostPrompter, PowerShellResult, ScriptFile } from '@hvm/powershell';
import { UsageError } from './args.js';

/** A failure that is not the script's: the server is unreachable or refused the request. */
export class TargetError extends Error {
  override readonly name = 'TargetError';
}

function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  if (cause instanceof Error) {
    const code = (cause as Partial<{ code: string }>).code;
    return code !== undefined && !cause.message.includes(code)
      ? `${code} ${cause.message}`
      : cause.message;
  }
  return error.message;
}

function isResult(value: unknown): value is PowerShellResult {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Record<keyof PowerShellResult, unknown>>;
  return (
    typeof v.output === 'string' &&
    Array.isArray(v.objects) &&
    Array.isArray(v.errors) &&
    typeof v.hadTerminatingError === 'boolean'
  );
}

function errorMessageOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || !('error' in body)) return null;
  const inner = body.error;
  if (typeof inner !== 'object' || inner === null) return null;
  const message = (inner as { message?: unknown }).message;
  return typeof message === 'string' ? message : null;
}

/** `POST <server>/api/v1/powershell`. */
export async function runOnServer(
  server: string,
  script: string,
  width: number,
): Promise<PowerShellResult> {
  let response: Response;
  try {
    response = await fetch(`${server}/api/v1/powershell`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      // hvps prints the console text: the output objects are left out of the answer.
      body: JSON.stringify({ script, width, objects: false }),
    });
  } catch (error) {
    throw new TargetError(
      `Cannot reach the Hyper-V Manager server at ${server}: ${reason(error)}. Start it with npm start, or use --data <folder>.`,
    );
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: reported below.
  }
  if (response.ok && isResult(body)) return body;
  const message = errorMessageOf(body);
  if (message !== null) {
    throw new TargetError(
      `The server at ${server} refused the script (${response.status}): ${message}`,
    );
  }
  throw new TargetError(
    `${server} answered ${response.status} ${response.statusText} without a PowerShell result. Is it the Hyper-V Manager server?`,
  );
}

/**
 * Opens the host on `folder` and waits for its automatic starts, runs the script, waits for
 * background work (disk merges), closes (running VMs get their Automatic Stop Action). Without
 * `prompt` the run is non-interactive.
 */
export async function runOnDataFolder(
  folder: string,
  script: string,
  width: number,
  prompt?: HostPrompter,
  /** A `-File` script: its path and arguments (powershell.exe -File). */
  scriptFile?: ScriptFile,
): Promise<PowerShellResult> {
  const absolute = resolve(folder);
  if (!existsSync(absolute) || !statSync(absolute).isDirectory()) {
    throw new UsageError(`The data folder ${absolute} does not exist or is not a folder.`);
  }
  const host = await createHost({ store: nodeFileStore(absolute), dataLocation: absolute });
  try {
    // The VMs the last run left running come back first (their Automatic Start Action).
    await host.whenIdle();
    const result = await runPowerShell(host, script, {
      width,
      // Files as powershell.exe sees them: the machine's, from the process's current directory
      // (Set-Location moves the script's location, not the process's).
      fileSystem: localFileSystem(process.cwd()),
      // hvps runs as the user who started it: `$env:` is its own process's environment.
      environment: { ...process.env },
      ...(prompt ? { prompt } : {}),
      ...(scriptFile ? { scriptFile } : {}),
    });
    await host.whenIdle();
    return result;
  } finally {
    await host.close();
  }
}
