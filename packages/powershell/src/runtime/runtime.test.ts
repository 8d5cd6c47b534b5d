import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { completeCommand, cmdletNames, runPowerShell } from '../index.js';

async function hostWithVms() {
  const { host } = await createTestHost();
  await buildVm(host, { name: 'Web-01', state: 'Running' });
  await buildVm(host, { name: 'Web-02' });
  await buildVm(host, { name: 'Db-01', state: 'Running' });
  return host;
}

describe('the language at run time', () => {
  test('variables, member access, string expansion and @(...).Count', async () => {
    const host = await hostWithVms();
    const r = await runPowerShell(
      host,
      '$vm = Get-VM -Name Web-01\n"$($vm.Name) is $($vm.State)"\n(Get-VM -Name Web-02).State\n@(Get-VM -Name Web*).Count\n@(Get-VMSnapshot -VMName Web-01).Count',
    );
    expect(r.errors).toEqual([]);
    expect(r.objects).toEqual(['Web-01 is Running', 'Off', 2, 0]);
    expect(r.output).toBe('Web-01 is Running\nOff\n2\n0\n');
  });

  test('parameter prefixes, aliases and positional parameters bind like PowerShell', async () => {
    const host = await hostWithVms();
    const r = await runPowerShell(
      host,
      'Checkpoint-VM -VMName Web-02 -CheckpointName A\nCheckpoint-VM Web-02 B\nGet-VMCheckpoint -VMN Web-02 -Na B | Select-Object -ExpandProperty Name',
    );
    expect(r.errors).toEqual([]);
    expect(r.objects).toEqual(['B']);
  });

  test('-Switch:$false turns a switch off', async () => {
    const host = await hostWithVms();
    const r = await runPowerShell(
      host,
      'Checkpoint-VM -Name Web-02 -SnapshotName A -Passthru:$false',
    );
    expect(r.objects).toEqual([]);
    const p = await runPowerShell(host, 'Checkpoint-VM -Name Web-02 -SnapshotName B -Passthru');
    expect(p.objects).toMatchObject([{ Name: 'B', VMName: 'Web-02' }]);
  });

  test('wildcards in -Name, comparison operators and Where-Object in both forms', async () => {
    const host = await hostWithVms();
    const a = await runPowerShell(
      host,
      "Get-VM -Name web-0? | Where-Object { $_.State -eq 'running' -or $_.Name -like '*2' } | Sort-Object Name -Descending | Select-Object -ExpandProperty Name",
    );
    expect(a.objects).toEqual(['Web-02', 'Web-01']);
    const b = await runPowerShell(
      host,
      'Get-VM | Where-Object State -eq Running | Measure-Object | Select-Object -ExpandProperty Count',
    );
    expect(b.objects).toEqual([2]);
    const c = await runPowerShell(
      host,
      "(Get-VM).Name -match '^db'; 1GB -gt 512MB; -not $true; 'a', 'b' -contains 'B'",
    );
    expect(c.objects).toEqual(['Db-01', true, false, true]);
  });

  test('Get-VM | Where-Object {...} | Stop-VM -TurnOff stops the running VMs', async () => {
    const host = await hostWithVms();
    const r = await runPowerShell(
      host,
      "Get-VM | Where-Object { $_.State -eq 'Running' } | Stop-VM -TurnOff -Confirm:$false",
    );
    expect(r.errors).toEqual([]);
    expect(host.listVms().map((v) => v.state)).toEqual(['Off', 'Off', 'Off']);
  });

  test('-ErrorAction SilentlyContinue hides an error; Stop ends the script', async () => {
    const host = await hostWithVms();
    const quiet = await runPowerShell(
      host,
      'Get-VM -Name Nope -ErrorAction SilentlyContinue; "after"',
    );
    expect(quiet.errors).toEqual([]);
    expect(quiet.objects).toEqual(['after']);
    const stop = await runPowerShell(host, 'Get-VM -Name Nope -ErrorAction Stop; "after"');
    expect(stop.errors).toHaveLength(1);
    expect(stop.objects).toEqual([]);
    expect(stop.hadTerminatingError).toBe(true);
    const go = await runPowerShell(host, 'Get-VM -Name Nope; "after"');
    expect(go.objects).toEqual(['after']);
    expect(go.hadTerminatingError).toBe(false);
  });

  test('ConvertTo-Json and Format-List', async () => {
    const host = await hostWithVms();
    const r = await runPowerShell(
      host,
      'Get-VM -Name Web-02 | Select-Object Name, State | ConvertTo-Json -Compress',
    );
    expect(r.objects).toEqual(['{"Name":"Web-02","State":"Off"}']);
    const l = await runPowerShell(
      host,
      'Get-VM -Name Web-02 | Format-List Name, State, Generation',
    );
    expect(l.output).toBe('\nName       : Web-02\nState      : Off\nGeneration : 2\n\n\n');
  });

  test('Out-Null, Write-Host and Get-Command', async () => {
    const host = await hostWithVms();
    const r = await runPowerShell(
      host,
      "Checkpoint-VM Web-02 -Passthru | Out-Null; Write-Host 'done' (Get-VM Web-02).Name; Get-Command *-VMSnapshot | Select-Object -ExpandProperty Name",
    );
    expect(r.errors).toEqual([]);
    expect(r.output).toBe(
      'done Web-02\nExport-VMSnapshot\nGet-VMSnapshot\nRemove-VMSnapshot\nRename-VMSnapshot\nRestore-VMSnapshot\n',
    );
  });

  test('tab completion of cmdlet and parameter names', () => {
    expect(completeCommand('Get-VMSn', 8)).toEqual(['Get-VMSnapshot']);
    expect(completeCommand('Get-VM X | Checkpoint-VM -Sna', 29)).toEqual(['-SnapshotName']);
    expect(cmdletNames()).toContain('Restore-VMSnapshot');
  });
});

describe('method calls and dates', () => {
  test('old checkpoints filtered by CreationTime against (Get-Date).AddDays(-7)', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'Old' });
    await host.createCheckpoint(vm.id, { name: 'Ancient' }); // the test clock stands in 2024
    const r = await runPowerShell(
      host,
      "Get-VMSnapshot -VMName Old | Where-Object { $_.CreationTime -lt (Get-Date).AddDays(-7) } | Remove-VMSnapshot -Confirm:$false -Passthru | Select-Object -ExpandProperty Name\n'abc'.ToUpper()\n(Get-VM Old).Name.ToLower().StartsWith('o')",
    );
    await host.whenIdle();
    expect(r.errors).toEqual([]);
    expect(r.objects).toEqual(['Ancient', 'ABC', true]);
    expect(host.listCheckpoints(vm.id).checkpoints).toEqual([]);
  });
});
