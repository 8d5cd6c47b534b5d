/**
 * hvps writes and reads files as powershell.exe does on its machine: paths relative to the
 * process's current directory, Out-File / `>` in UTF-16LE with a byte-order mark (Windows
 * PowerShell 5.1's default, about_Character_Encoding), Get-Content reading them back.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHost, nodeFileStore } from '@hvm/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const bin = join(fileURLToPath(new URL('..', import.meta.url)), 'bin', 'hvps.js');

function hvps(
  cwd: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: 'pipe', cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end('');
  });
}

describe('hvps files', () => {
  let work: string;
  let data: string;
  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'hvps-files-'));
    data = join(work, 'data');
    const host = await createHost({ store: nodeFileStore(data), dataLocation: data });
    await host.close();
  });
  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('writes a report beside the process and reads it back', async () => {
    const run = await hvps(work, [
      '--data',
      data,
      '-Command',
      "'one','two' > report.txt; 'three' >> report.txt; Get-Content report.txt; (Get-Location).Path",
    ]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`one\ntwo\nthree\n${work}\n`);
    const bytes = await readFile(join(work, 'report.txt'));
    // UTF-16LE with its byte-order mark, CRLF line ends, one mark only after the append.
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(bytes.subarray(2).toString('utf16le')).toBe('one\r\ntwo\r\nthree\r\n');
  });

  it('Set-Location moves the script, not the process; Export-Csv and Import-Csv round-trip', async () => {
    await writeFile(join(work, 'data', 'marker.txt'), 'x');
    const run = await hvps(work, [
      '--data',
      data,
      '-Command',
      "Set-Location data; Test-Path marker.txt; [pscustomobject]@{Name='a'; Size=1} | Export-Csv ../r.csv -NoTypeInformation; (Import-Csv ../r.csv).Name",
    ]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('True\na\n');
    expect(await readFile(join(work, 'r.csv'), 'latin1')).toBe('"Name","Size"\r\n"a","1"\r\n');
  });

  it("a missing file is PowerShell's PathNotFound record on stderr, exit code 1", async () => {
    const run = await hvps(work, ['--data', data, '-Command', 'Get-Content nope.txt']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `Cannot find path '${join(work, 'nope.txt')}' because it does not exist.`,
    );
  });
});
