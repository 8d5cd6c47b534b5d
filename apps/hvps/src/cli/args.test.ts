import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVER, UsageError, parseArgs } from './args.js';

const pipe = { columns: undefined, stdinIsTty: false };
const tty = { columns: 100, stdinIsTty: true };

describe('parseArgs', () => {
  it('takes -Command in any case and spelling, defaulting to the local server', () => {
    for (const flag of ['-Command', '-command', '--command', '-c']) {
      expect(parseArgs([flag, 'Get-VM'], tty)).toEqual({
        kind: 'run',
        script: 'Get-VM',
        target: { kind: 'server', url: DEFAULT_SERVER },
        width: 100,
        interactive: false,
      });
    }
    expect(parseArgs(['--command=Get-VM -Name X'], tty)).toMatchObject({
      script: 'Get-VM -Name X',
    });
  });

  it('takes the rest of the line as the script without -Command, as pwsh does', () => {
    expect(parseArgs(['Get-VM', '-Name', 'X'], tty)).toMatchObject({ script: 'Get-VM -Name X' });
  });

  it('reads standard input without a script, or with -Command -', () => {
    expect(parseArgs(['--data', 'folder'], pipe)).toMatchObject({
      script: null,
      target: { kind: 'data', folder: 'folder' },
      width: 120,
    });
    expect(parseArgs(['-Command', '-'], tty)).toMatchObject({ script: null });
    expect(() => parseArgs([], tty)).toThrow(UsageError);
  });

  it('uses the terminal width within 40..400, or --width', () => {
    expect(parseArgs(['-c', 'x'], { columns: 20, stdinIsTty: true })).toMatchObject({ width: 40 });
    expect(parseArgs(['-c', 'x'], { columns: 999, stdinIsTty: true })).toMatchObject({
      width: 400,
    });
    expect(parseArgs(['-c', 'x', '--width', '200'], tty)).toMatchObject({ width: 200 });
  });

  it('normalises the server URL', () => {
    expect(parseArgs(['--server', 'http://localhost:9000/', '-c', 'x'], tty)).toMatchObject({
      target: { kind: 'server', url: 'http://localhost:9000' },
    });
  });

  it.each([
    [['-Command']],
    [['-Command', 'a', '-Command', 'b']],
    [['-Command', 'a', 'extra']],
    [['-Command', '  ']],
    [['--data', '', '-c', 'x']],
  ])('rejects %j', (args) => {
    expect(() => parseArgs(args, tty)).toThrow(UsageError);
  });

  it('answers help', () => {
    expect(parseArgs(['-?'], tty)).toEqual({ kind: 'help' });
  });

  it('is interactive only on a terminal, with --data, with the script on the command line, without -NonInteractive', () => {
    expect(parseArgs(['--data', 'f', '-c', 'Remove-VM X'], tty)).toMatchObject({
      interactive: true,
    });
    expect(parseArgs(['--data', 'f', '-c', 'Remove-VM X'], pipe)).toMatchObject({
      interactive: false,
    });
    expect(parseArgs(['-c', 'Remove-VM X'], tty)).toMatchObject({ interactive: false });
    expect(parseArgs(['--data', 'f', '-Command', '-'], tty)).toMatchObject({ interactive: false });
    for (const flag of ['-NonInteractive', '-noni', '--non-interactive']) {
      expect(parseArgs([flag, '--data', 'f', '-c', 'Remove-VM X'], tty)).toMatchObject({
        interactive: false,
        script: 'Remove-VM X',
      });
      expect(parseArgs(['--data', 'f', '-c', 'Remove-VM X', flag], tty)).toMatchObject({
        interactive: false,
      });
    }
  });

  it('takes -File <path> in any spelling, alone', () => {
    for (const flag of ['-File', '-file', '--file', '-f']) {
      expect(parseArgs([flag, 'check.ps1', '--data', 'folder'], pipe)).toEqual({
        kind: 'run',
        script: null,
        file: 'check.ps1',
        scriptArguments: [],
        target: { kind: 'data', folder: 'folder' },
        width: 120,
        interactive: false,
      });
    }
    expect(parseArgs(['-File', 'check.ps1', '--data', 'folder'], tty)).toMatchObject({
      interactive: true,
    });
    expect(() => parseArgs(['-Command', 'Get-VM', '-File', 'a.ps1'], tty)).toThrow(
      'Give either -Command or -File, not both.',
    );
    expect(() => parseArgs(['-File', 'a.ps1', 'extra'], tty)).toThrow(
      'Arguments for a -File script need --data <folder>',
    );
    expect(() => parseArgs(['-File'], tty)).toThrow('-File needs a value.');
  });

  it('gives the arguments after -File <path> to the script, as powershell.exe -File does', () => {
    expect(
      parseArgs(
        ['-File', 'prune.ps1', '-Keep', '5', 'Web-01', '-Command', '-f', '--data', 'd'],
        tty,
      ),
    ).toMatchObject({
      kind: 'run',
      file: 'prune.ps1',
      scriptArguments: ['-Keep', '5', 'Web-01', '-Command', '-f'],
      target: { kind: 'data', folder: 'd' },
    });
    expect(parseArgs(['--data', 'd', '-File', 'a.ps1', '--width=80', '-Force'], tty)).toMatchObject(
      {
        scriptArguments: ['-Force'],
        width: 80,
      },
    );
  });
});
