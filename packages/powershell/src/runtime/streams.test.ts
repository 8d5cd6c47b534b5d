import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';

async function lab() {
  const { host } = await createTestHost();
  const web = await buildVm(host, { name: 'Web-01', state: 'Running' });
  return { host, web };
}

describe('streams and the error model hold the run budgets', () => {
  test('a loop writing warnings to $null ends at the step limit', async () => {
    const { host } = await lab();
    const r = await runPowerShell(host, `while ($true) { Write-Warning 'w' 3> $null }`, {
      limits: { maxSteps: 2_000 },
    });
    expect(r.errors[0]?.fullyQualifiedErrorId).toBe('ScriptLimitExceeded');
  });

  test('-OutVariable and -ErrorVariable are bounded like any array', async () => {
    const { host } = await lab();
    const r = await runPowerShell(
      host,
      `1..50 | Write-Output -OutVariable all | Out-Null; $all.Count`,
      {
        limits: { maxCollectionItems: 10 },
      },
    );
    expect(r.errors[0]?.fullyQualifiedErrorId).toBe('ScriptLimitExceeded');
  });

  test('a prompter that always answers Suspend cannot keep an Inquire asking forever', async () => {
    const { host } = await lab();
    let asked = 0;
    const r = await runPowerShell(host, `Get-VM -Name NoSuch -ErrorAction Inquire`, {
      prompt: () => {
        asked++;
        return Promise.resolve({ choice: 3 });
      },
    });
    expect(asked).toBe(100);
    expect(r.output).toContain(
      'The running command stopped because the user selected the Stop option.',
    );
  });
});

describe('-ErrorAction Stop stops the command where the error happened', () => {
  test('Stop-VM -Name NoSuch, Web-01 -ErrorAction Stop leaves Web-01 running', async () => {
    const { host, web } = await lab();
    const r = await runPowerShell(
      host,
      `Stop-VM -Name NoSuch, Web-01 -TurnOff -Confirm:$false -ErrorAction Stop`,
    );
    expect(r.hadTerminatingError).toBe(true);
    expect(host.getVm(web.id).state).toBe('Running');
  });

  test('without Stop the same command goes on with Web-01', async () => {
    const { host, web } = await lab();
    await runPowerShell(host, `Stop-VM -Name NoSuch, Web-01 -TurnOff -Confirm:$false`);
    expect(host.getVm(web.id).state).toBe('Off');
  });
});

describe('the result lists the warning, verbose and debug lines so a console can colour them', () => {
  test('messages holds each line shown, in order, and none that was hidden or redirected', async () => {
    const { host } = await lab();
    const r = await runPowerShell(
      host,
      `Write-Warning 'w1'; Write-Verbose 'v' -Verbose; Write-Warning 'gone' 3> $null; $DebugPreference = 'Continue'; Write-Debug 'd'; Write-Host 'h'`,
    );
    expect(r.messages).toEqual([
      { stream: 'warning', text: 'WARNING: w1\n' },
      { stream: 'verbose', text: 'VERBOSE: v\n' },
      { stream: 'debug', text: 'DEBUG: d\n' },
    ]);
    expect(r.output).toBe('WARNING: w1\nVERBOSE: v\nDEBUG: d\nh\n');
  });
});
