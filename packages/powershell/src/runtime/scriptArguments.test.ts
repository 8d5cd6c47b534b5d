import { createTestHost } from '@hvm/engine/testing';
import { describe, expect, it } from 'vitest';
import { runPowerShell } from '../index.js';

const script = [
  'param([int]$Keep = 3, [string]$Name = "all", [switch]$Force)',
  '"Keep=$Keep Name=$Name Force=$Force Args=$($args -join \',\') Count=$($args.Count)"',
].join('\n');

async function run(args: string[]): Promise<{ output: string; exitCode?: number }> {
  const { host } = await createTestHost();
  return runPowerShell(host, script, {
    scriptFile: { path: 'C:\\Scripts\\prune.ps1', arguments: args },
  });
}

describe('a script file run with arguments (powershell.exe -File)', () => {
  it('binds named, positional and switch arguments to param(), the rest to $args', async () => {
    expect((await run(['-Keep', '5', 'Web-01'])).output).toBe(
      'Keep=5 Name=Web-01 Force=False Args= Count=0\n',
    );
    expect((await run(['-Force', '7', '-n:DB', 'extra', '-Other'])).output).toBe(
      'Keep=7 Name=DB Force=True Args=extra,-Other Count=2\n',
    );
  });

  it('gives the defaults without arguments', async () => {
    expect((await run([])).output).toBe('Keep=3 Name=all Force=False Args= Count=0\n');
  });

  it('refuses a value the parameter type cannot take, with the script path, and exits 1', async () => {
    const result = await run(['-Keep', 'many']);
    expect(result.exitCode).toBe(1);
    expect(result.output).toMatch(
      /^C:\\Scripts\\prune\.ps1 : Cannot process argument transformation on parameter 'Keep'\. /,
    );
    expect(result.output).toContain(
      '    + FullyQualifiedErrorId : ParameterArgumentTransformationError,prune.ps1\n',
    );
    expect(result.output).not.toContain('Keep=');
  });

  it('refuses a parameter name without its value', async () => {
    const result = await run(['-Keep']);
    expect(result.exitCode).toBe(1);
    expect(result.output).toContain(
      "C:\\Scripts\\prune.ps1 : Missing an argument for parameter 'Keep'. Specify a parameter of type 'System.Int32' and try again.",
    );
  });
});
