/** The built CLI, spawned as `node apps/hvps/bin/hvps.js`, against a data folder and a server. */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHost, nodeFileStore } from '@hvm/engine';
import type { Host } from '@hvm/engine';
import { createTestHost } from '@hvm/engine/testing';
import { createApp } from '@hvm/server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const bin = join(packageRoot, 'bin', 'hvps.js');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns the CLI without blocking this process (the in-process server must keep answering). */
function hvps(args: string[], stdin?: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

function hasScriptCommand(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs the CLI on a pseudo-terminal (`script -qec`), typing each answer once its question is on the
 * screen. Resolves with everything the terminal showed.
 */
function onTerminal(
  args: string[],
  answers: [question: string, answer: string][],
): Promise<string> {
  const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, bin, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: 'pipe' });
    let screen = '';
    let seenUpTo = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      screen += chunk;
      const next = answers[0];
      if (next === undefined) return;
      const at = screen.indexOf(next[0], seenUpTo);
      if (at === -1) return;
      seenUpTo = at + next[0].length;
      answers.shift();
      child.stdin.write(`${next[1]}\r`);
    });
    child.on('error', reject);
    child.on('close', () => resolve(screen));
  });
}

const newVm = "New-VM -Name 'Web Server' -MemoryStartupBytes 1GB -NewVHDSizeBytes 1GB | Out-Null";
const setStandard = "Set-VM -Name 'Web Server' -CheckpointType Standard";
const takeCheckpoint = "Get-VM -Name 'Web Server' | Checkpoint-VM -SnapshotName StandardCheckpoint";

beforeAll(() => {
  // The tests run the built CLI: build it from the current sources first.
  execFileSync(
    process.execPath,
    [join(packageRoot, '../../node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: packageRoot,
    },
  );
});

describe('hvps --data <folder>', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'hvps-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function openFolder(): Promise<Host> {
    return createHost({ store: nodeFileStore(folder) });
  }

  it("runs the article's lines on the folder: the checkpoint is on disk afterwards", async () => {
    const created = await hvps(['--data', folder, '-Command', newVm]);
    expect(created, created.stderr).toMatchObject({ code: 0, stderr: '' });
    const set = await hvps(['--data', folder, '-Command', setStandard]);
    expect(set).toEqual({ code: 0, stdout: '', stderr: '' });
    const taken = await hvps(['--data', folder, '-Command', takeCheckpoint]);
    expect(taken).toMatchObject({ code: 0, stderr: '' });

    const listed = await hvps([
      '--data',
      folder,
      '-Command',
      "Get-VMSnapshot -VMName 'Web Server'",
    ]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/Web Server\s+StandardCheckpoint\s+Standard/);

    const host = await openFolder();
    try {
      const [vm] = host.listVms();
      if (vm === undefined) throw new Error('The VM is not in the data folder.');
      expect(vm.checkpointType).toBe('Standard');
      const tree = host.listCheckpoints(vm.id);
      expect(tree.checkpoints.map((c) => [c.name, c.kind])).toEqual([
        ['StandardCheckpoint', 'Standard'],
      ]);
    } finally {
      await host.close();
    }
  });

  it('a VM left running by one run is running again in the next (Automatic Start Action), and takes commands', async () => {
    const started = await hvps([
      '--data',
      folder,
      '-Command',
      `${newVm}; Start-VM -Name 'Web Server'`,
    ]);
    expect(started, started.stderr).toMatchObject({ code: 0, stderr: '' });
    const next = await hvps([
      '--data',
      folder,
      '-Command',
      "(Get-VM -Name 'Web Server').State; Save-VM -Name 'Web Server'; (Get-VM -Name 'Web Server').State",
    ]);
    expect(next, next.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(next.stdout.trim().split(/\s+/)).toEqual(['Running', 'Saved']);
  });

  it('reads the script from standard input when there is no -Command', async () => {
    const outcome = await hvps(
      ['--data', folder],
      `${newVm}\n${setStandard}\nGet-VM | Select-Object -ExpandProperty CheckpointType\n`,
    );
    expect(outcome).toEqual({ code: 0, stdout: 'Standard\n', stderr: '' });
  });

  it('exits 1 on a terminating error, with the error record on stderr only', async () => {
    const outcome = await hvps(['--data', folder, '-Command', 'Write-Output before; Get-Foo']);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toBe('before\n');
    expect(outcome.stderr).toContain("Get-Foo : The term 'Get-Foo' is not recognized");
    expect(outcome.stderr).toContain('CommandNotFoundException');
  });

  it('exits 0 after a non-terminating error, which goes to stderr', async () => {
    const outcome = await hvps(['--data', folder, '-Command', "Get-VM -Name 'Nope'; 'after'"]);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toBe('after\n');
    expect(outcome.stderr).toContain(
      'Hyper-V was unable to find a virtual machine with name "Nope".',
    );
  });

  it('writes warnings and error records merged with 2>&1 to stdout, as powershell.exe does', async () => {
    const outcome = await hvps([
      '--data',
      folder,
      '-Command',
      "Write-Warning 'low disk'; Get-VM -Name 'Nope' 2>&1 | ForEach-Object { \"got: $_\" }; Write-Error 'boom' 2> $null",
    ]);
    expect(outcome.stdout).toBe(
      'WARNING: low disk\ngot: Hyper-V was unable to find a virtual machine with name "Nope".\n',
    );
    expect(outcome.stderr).toBe('');
  });

  it('exits 1 when the last statement failed, as powershell.exe -Command does (R29)', async () => {
    const failed = await hvps(['--data', folder, '-Command', "Get-VM -Name 'Nope'"]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain(
      'Hyper-V was unable to find a virtual machine with name "Nope".',
    );
    const fromStdin = await hvps(['--data', folder], "'before'\nGet-VM -Name 'Nope'\n");
    expect(fromStdin.code).toBe(1);
    expect(fromStdin.stdout).toBe('before\n');
    const caught = await hvps([
      '--data',
      folder,
      '-Command',
      "try { throw 'x' } catch { 'handled' }",
    ]);
    expect(caught).toEqual({ code: 0, stdout: 'handled\n', stderr: '' });
  });

  it('exit N gives N, from -Command, standard input and -File', async () => {
    expect((await hvps(['--data', folder, '-Command', "'out'; exit 5; 'never'"])).code).toBe(5);
    expect((await hvps(['--data', folder], 'exit 6\n')).code).toBe(6);
    const file = join(folder, 'check.ps1');
    await writeFile(
      file,
      [
        'function Get-Label { param([string]$Name, [int]$Count = 1) "$Name x$Count" }',
        'foreach ($n in 1..2) { Get-Label -Name vm -Count $n }',
        "if ((Get-VM).Count -eq 0) { Write-Output 'no VMs'; exit 3 }",
        "'not reached'",
        '',
      ].join('\n'),
    );
    expect(await hvps(['--data', folder, '-File', file])).toEqual({
      code: 3,
      stdout: 'vm x1\nvm x2\nno VMs\n',
      stderr: '',
    });
  });

  it("exits 2 with pwsh's message when the -File does not exist", async () => {
    const outcome = await hvps(['--data', folder, '-File', join(folder, 'missing.ps1')]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(
      'is not recognized as the name of a script file. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.',
    );
  });

  it('without a terminal, Remove-VM fails as under -NonInteractive and the VM stays', async () => {
    await hvps(['--data', folder, '-Command', newVm]);
    const refused = await hvps(['--data', folder, '-Command', "Remove-VM 'Web Server'"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'Remove-VM : PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.',
    );
    const missing = await hvps(['--data', folder, '-Command', 'Stop-VM -TurnOff']);
    expect(missing.stderr).toContain(
      'Stop-VM : Cannot process command because of one or more missing mandatory parameters: Name.',
    );
    const kept = await hvps(['--data', folder, '-Command', '(Get-VM).Name']);
    expect(kept.stdout).toBe('Web Server\n');
  });

  // A real terminal: util-linux `script` gives the CLI a pseudo-terminal as stdin. The answers are
  // typed when the question has appeared on the screen.
  it.skipIf(!hasScriptCommand())(
    'on a terminal, asks the Confirm and mandatory-parameter questions and acts on the answers',
    async () => {
      await hvps(['--data', folder, '-Command', `${newVm}; New-VM -Name Db | Out-Null`]);
      const screen = await onTerminal(
        ['--data', folder, '-Command', "Remove-VM 'Web Server'; Checkpoint-VM -SnapshotName asked"],
        [
          ['(default is "Y"): ', 'y'],
          ['Name[0]: ', 'Db'],
          ['Name[1]: ', ''],
        ],
      );
      expect(screen).toContain('Are you sure you want to remove virtual machine "Web Server"?');
      expect(screen).toContain('cmdlet Checkpoint-VM at command pipeline position 1');
      const after = await hvps([
        '--data',
        folder,
        '-Command',
        '(Get-VM).Name; (Get-VMSnapshot -VMName Db).Name',
      ]);
      expect(after.stdout).toBe('Db\nasked\n');
    },
    60_000,
  );

  it('exits 2 on a data folder that does not exist', async () => {
    const outcome = await hvps(['--data', join(folder, 'missing'), '-Command', 'Get-VM']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/^hvps: The data folder .*missing does not exist/);
  });
});

describe('hvps --server <url>', () => {
  let server: Server;
  let url: string;
  let host: Host;
  beforeAll(async () => {
    ({ host } = await createTestHost());
    server = createApp(host, { logError: () => undefined }).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await host.close();
  });

  it("runs the article's lines through the API and the host changes", async () => {
    expect((await hvps(['--server', url, '-Command', newVm])).code).toBe(0);
    expect(await hvps(['--server', url, '-Command', setStandard])).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    expect((await hvps(['--server', url, '-Command', takeCheckpoint])).code).toBe(0);
    const vm = host.listVms().find((v) => v.name === 'Web Server');
    if (vm === undefined) throw new Error('The VM was not created.');
    expect(vm.checkpointType).toBe('Standard');
    expect(host.listCheckpoints(vm.id).checkpoints.map((c) => c.name)).toEqual([
      'StandardCheckpoint',
    ]);
  });

  it('prints the formatted output for the width asked, and reads stdin', async () => {
    const outcome = await hvps(['--server', url, '--width', '80'], "Get-VM -Name 'Web Server'\n");
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^Name\s+State/m);
    expect(outcome.stdout).toContain('Web Server');
    for (const line of outcome.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it("exits with the script's exit code through the API", async () => {
    expect((await hvps(['--server', url, '-Command', 'exit 4'])).code).toBe(4);
    expect((await hvps(['--server', url, '-Command', "Get-VM -Name 'Nope'"])).code).toBe(1);
    expect((await hvps(['--server', url, '-Command', "Get-VM -Name 'Nope'; 'after'"])).code).toBe(
      0,
    );
  });

  it('exits 1 on an unknown cmdlet, with the PowerShell error text on stderr', async () => {
    const outcome = await hvps(['--server', url, '-Command', 'Get-Foo']);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toContain("The term 'Get-Foo' is not recognized");
  });

  it('exits 1 with a clear message when the server cannot be reached', async () => {
    const closed = createApp(host).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => closed.once('listening', () => resolve()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const outcome = await hvps(['--server', `http://127.0.0.1:${port}`, '-Command', 'Get-VM']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(
      new RegExp(
        `^hvps: Cannot reach the Hyper-V Manager server at http://127\\.0\\.0\\.1:${port}: .+\\. Start it with npm start, or use --data <folder>\\.\\n$`,
      ),
    );
  });
});

describe('usage', () => {
  it('prints the help and exits 0', async () => {
    const outcome = await hvps(['--help']);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain("Usage: hvps [-Command] '<script>'");
  });

  it.each([
    [['--bogus'], 'Unknown option --bogus'],
    [['--server'], '--server needs a value.'],
    [['--server', 'ftp://x', '-Command', 'Get-VM'], '--server must be an http(s) URL'],
    [['--server', 'http://x', '--data', '.', '-Command', 'Get-VM'], 'either --server or --data'],
    [['--width', '10', '-Command', 'Get-VM'], '--width must be a whole number from 40 to 400'],
  ])('exits 2 on %j', async (args, message) => {
    const outcome = await hvps(args);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toContain(message);
  });

  it('exits 2 when standard input holds no script', async () => {
    const outcome = await hvps(['--data', '.'], '  \n');
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toBe('hvps: No script: standard input was empty.\n');
  });
});
