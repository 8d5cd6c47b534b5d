/**
 * Conformance: whole scripts an administrator runs against a host, end to end, with the console
 * text and the exit code Windows PowerShell 5.1 gives (R29 for the exit codes). They use only
 * what the language subset has today (README "Language subset"): no hashtables, no -f, no
 * Format-Table of custom objects. These are the scripts a new user's first script looks like.
 *
 * The host: Web-01 (Running) with four nightly checkpoints made 30, 20, 10 and 3 days ago, Db-01
 * (Off) with the last two, App-01 (Off) with none. The host's clock starts 30 days before the
 * real one, since Get-Date reads this machine's clock (as on Windows), so that "older than 14
 * days" means the same thing to the script and to the host.
 */
import type { Host } from '@hvm/engine';
import { FakeClock, buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import type { PowerShellResult } from '../index.js';
import { runPowerShell } from '../index.js';
import { lines } from './harness.js';

const DAY = 86_400_000;

async function adminHost(): Promise<Host> {
  const clock = new FakeClock(new Date(Date.now() - 30 * DAY));
  const { host } = await createTestHost({ clock });
  const web = await buildVm(host, { name: 'Web-01' });
  const db = await buildVm(host, { name: 'Db-01' });
  await buildVm(host, { name: 'App-01' });
  const daysToNext = [10, 10, 7, 0];
  for (const [index, days] of daysToNext.entries()) {
    const name = `Nightly-${index + 1}`;
    await host.createCheckpoint(web.id, { name });
    if (index >= 2) await host.createCheckpoint(db.id, { name });
    await clock.advance(days * DAY);
  }
  // Started after the clock has moved: a running guest keeps timers of its own.
  const started = await runPowerShell(host, 'Start-VM -Name Web-01');
  expect(started.errors).toEqual([]);
  return host;
}

async function run(script: string, host?: Host): Promise<PowerShellResult> {
  return runPowerShell(host ?? (await adminHost()), script, { limits: { maxSteps: 100_000 } });
}

async function checkpointNames(host: Host, vm: string): Promise<unknown[]> {
  return (await run(`(Get-VMSnapshot -VMName ${vm} | Sort-Object CreationTime).Name`, host))
    .objects;
}

describe('administrator scripts run end to end as in PowerShell 5.1', () => {
  test('nightly rotation keeps the newest two checkpoints of every VM (about_Foreach, Remove-VMSnapshot reference)', async () => {
    const host = await adminHost();
    const r = await run(
      `param([int]$Keep = 2)
# Nightly rotation: keep the newest $Keep checkpoints of every VM.
foreach ($vm in Get-VM | Sort-Object Name) {
  $checkpoints = @(Get-VMSnapshot -VMName $vm.Name | Sort-Object CreationTime -Descending)
  if ($checkpoints.Count -le $Keep) {
    "$($vm.Name): $($checkpoints.Count) checkpoint(s), nothing to remove"
    continue
  }
  foreach ($old in $checkpoints | Select-Object -Skip $Keep) {
    Remove-VMSnapshot -VMName $vm.Name -Name $old.Name -Confirm:$false
    "$($vm.Name): removed $($old.Name)"
  }
}`,
      host,
    );
    expect(r.output).toBe(
      lines(
        'App-01: 0 checkpoint(s), nothing to remove',
        'Db-01: 2 checkpoint(s), nothing to remove',
        'Web-01: removed Nightly-2',
        'Web-01: removed Nightly-1',
      ),
    );
    expect(r.exitCode).toBe(0);
    expect(await checkpointNames(host, 'Web-01')).toEqual(['Nightly-3', 'Nightly-4']);
    expect(await checkpointNames(host, 'Db-01')).toEqual(['Nightly-3', 'Nightly-4']);
  });

  test('a report of the VMs with their checkpoint counts and newest checkpoint (about_Foreach, about_Assignment_Operators)', async () => {
    const r = await run(`$total = 0
foreach ($vm in Get-VM | Sort-Object Name) {
  $checkpoints = @(Get-VMSnapshot -VMName $vm.Name)
  $total += $checkpoints.Count
  if ($checkpoints.Count -eq 0) {
    "$($vm.Name) ($($vm.State)): no checkpoints"
  } else {
    $newest = $checkpoints | Sort-Object CreationTime -Descending | Select-Object -First 1
    "$($vm.Name) ($($vm.State)): $($checkpoints.Count) checkpoints, newest $($newest.Name)"
  }
}
"$total checkpoints on $(@(Get-VM).Count) VMs"`);
    expect(r.output).toBe(
      lines(
        'App-01 (Off): no checkpoints',
        'Db-01 (Off): 2 checkpoints, newest Nightly-4',
        'Web-01 (Running): 4 checkpoints, newest Nightly-4',
        '6 checkpoints on 3 VMs',
      ),
    );
    expect(r.exitCode).toBe(0);
  });

  const preUpdate = (vmName: string): string => `$vmName = '${vmName}'
try {
  $vm = Get-VM -Name $vmName -ErrorAction Stop
  Checkpoint-VM -Name $vmName -SnapshotName 'Before-Update' -ErrorAction Stop
  "Checkpoint Before-Update created for $vmName ($($vm.State))"
} catch {
  "Pre-update checkpoint failed: $($_.Exception.Message)"
  exit 2
}
'Continuing with the update'`;

  test('a pre-update checkpoint: created, the script goes on and exits 0 (about_Try_Catch_Finally, R29)', async () => {
    const host = await adminHost();
    const r = await run(preUpdate('Web-01'), host);
    expect(r.output).toBe(
      lines('Checkpoint Before-Update created for Web-01 (Running)', 'Continuing with the update'),
    );
    expect(r.exitCode).toBe(0);
    expect(await checkpointNames(host, 'Web-01')).toContain('Before-Update');
  });

  test('a pre-update checkpoint of a VM that does not exist: the catch block says why and exits 2 (about_Try_Catch_Finally, about_Language_Keywords exit)', async () => {
    const r = await run(preUpdate('App-02'));
    expect(r.output).toBe(
      lines(
        'Pre-update checkpoint failed: Hyper-V was unable to find a virtual machine with name "App-02".',
      ),
    );
    expect(r.exitCode).toBe(2);
  });

  test('a pre-update checkpoint on a VM whose checkpoints are disabled exits 3 (R31, about_Try_Catch_Finally)', async () => {
    // The exception's whole text (R31 lists Hyper-V's four lines) is the Hyper-V cmdlets' business;
    // the script only asks whether it says checkpoints are disabled.
    const r = await run(`Set-VM -Name App-01 -CheckpointType Disabled
try {
  Checkpoint-VM -Name App-01 -SnapshotName 'Before-Update' -ErrorAction Stop
} catch {
  if ($_.Exception.Message -like '*disabled*') { 'Checkpoints are disabled on App-01: update cancelled' }
  exit 3
}`);
    expect(r.output).toBe(lines('Checkpoints are disabled on App-01: update cancelled'));
    expect(r.exitCode).toBe(3);
  });

  test('checkpoints older than 14 days removed through the pipeline (Remove-VMSnapshot example: pipe old checkpoints filtered by CreationTime)', async () => {
    const host = await adminHost();
    const r = await run(
      `$cutoff = (Get-Date).AddDays(-14)
Get-VMSnapshot -VMName Web-01 | Where-Object { $_.CreationTime -lt $cutoff } | Remove-VMSnapshot -Confirm:$false
(Get-VMSnapshot -VMName Web-01 | Sort-Object CreationTime).Name`,
      host,
    );
    expect(r.output).toBe(lines('Nightly-3', 'Nightly-4'));
    expect(r.exitCode).toBe(0);
  });

  test('a health gate function: Write-Host says what is wrong and the script exits 1 (about_Functions, about_Return, R29)', async () => {
    const r = await run(`function Assert-Running {
  param([string]$Name)
  $vm = Get-VM -Name $Name -ErrorAction SilentlyContinue
  if ($null -eq $vm) { Write-Host "$Name does not exist"; return $false }
  if ($vm.State -ne 'Running') { Write-Host "$Name is $($vm.State)"; return $false }
  $true
}
$ok = $true
foreach ($name in 'Web-01', 'Db-01', 'Old-01') {
  if (-not (Assert-Running $name)) { $ok = $false }
}
if (-not $ok) { exit 1 }
'all running'`);
    expect(r.output).toBe(lines('Db-01 is Off', 'Old-01 does not exist'));
    expect(r.exitCode).toBe(1);
  });

  test('a script that ends with a failed command exits 1, even after output (R29)', async () => {
    const r = await run(`'Checking Db-01'\nGet-VMSnapshot -VMName Db-01 -Name Weekly`);
    expect(r.output).toBe(
      lines(
        'Checking Db-01',
        'Get-VMSnapshot : Unable to find a snapshot matching the given criteria.',
        'At line:2 char:1',
        '+ Get-VMSnapshot -VMName Db-01 -Name Weekly',
        '+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
        '    + CategoryInfo          : ObjectNotFound: (:) [Get-VMSnapshot], VirtualizationException',
        '    + FullyQualifiedErrorId : ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.GetVMSnapshot',
      ),
    );
    expect(r.exitCode).toBe(1);
  });
});
