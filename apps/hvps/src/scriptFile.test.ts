/** `hvps -File`: the built CLI run on real script files, as powershell.exe -File runs them. */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const bin = join(packageRoot, 'bin', 'hvps.js');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function hvps(args: string[]): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end('');
  });
}

beforeAll(() => {
  execFileSync(
    process.execPath,
    [join(packageRoot, '../../node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    { cwd: packageRoot },
  );
});

describe('hvps -File', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'hvps-file-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const script = "Write-Output 'Grüße'\r\n(Get-VM).Count\r\n";

  it('runs a script saved with a UTF-8 byte order mark, as Windows editors save .ps1 files', async () => {
    const file = join(folder, 'bom.ps1');
    await writeFile(
      file,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(script, 'utf8')]),
    );
    expect(await hvps(['--data', folder, '-File', file])).toEqual({
      code: 0,
      stdout: 'Grüße\n0\n',
      stderr: '',
    });
  });

  it('runs a script saved as UTF-16 LE with its byte order mark (Out-File -Encoding Unicode)', async () => {
    const file = join(folder, 'unicode.ps1');
    await writeFile(
      file,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(script, 'utf16le')]),
    );
    expect(await hvps(['--data', folder, '-File', file])).toEqual({
      code: 0,
      stdout: 'Grüße\n0\n',
      stderr: '',
    });
  });

  it('binds the arguments after the path to param() and $args, as powershell.exe -File does', async () => {
    const file = join(folder, 'prune.ps1');
    await writeFile(
      file,
      [
        'param([int]$Keep = 3, [string]$VMName, [switch]$Force)',
        '"Keep $Keep of $VMName, Force $Force, rest: $($args -join \' \')"',
        'exit $Keep',
        '',
      ].join('\r\n'),
    );
    expect(
      await hvps(['--data', folder, '-File', file, '-Keep', '5', 'Web-01', '-Force', 'extra']),
    ).toEqual({ code: 5, stdout: 'Keep 5 of Web-01, Force True, rest: extra\n', stderr: '' });
    const refused = await hvps(['--data', folder, '-File', file, '-Keep', 'all']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(
      `${file} : Cannot process argument transformation on parameter 'Keep'.`,
    );
  });

  it('exit N beyond 255 gives the low 8 bits a Linux process can return, as pwsh on Linux', async () => {
    // Windows PowerShell 5.1 on Windows keeps the whole Int32 (exit 256 gives %ERRORLEVEL% 256);
    // a process on Linux returns only the low 8 bits (README: exit codes).
    const codes: (number | null)[] = [];
    for (const n of [255, 256, 257, 65535, -1]) {
      const file = join(folder, `exit${codes.length}.ps1`);
      await writeFile(file, `exit ${n}\r\n`);
      codes.push((await hvps(['--data', folder, '-File', file])).code);
    }
    expect(codes).toEqual([255, 0, 1, 255, 255]);
  });

  it('error records point into the file: At <full path>:<line> char:<column>, as powershell.exe -File', async () => {
    await writeFile(join(folder, 'report.ps1'), "'start'\r\nGet-VM -Name NoSuch\r\n");
    const outcome = await hvps(['--data', folder, '-File', join(folder, '.', 'report.ps1')]);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toBe('start\n');
    expect(outcome.stderr).toContain(
      `Get-VM : Hyper-V was unable to find a virtual machine with name "NoSuch".\nAt ${join(folder, 'report.ps1')}:2 char:1\n+ Get-VM -Name NoSuch\n`,
    );
  });
});
