import type { Host } from '@hvm/engine';
import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';
import type { HostPrompt, HostPromptAnswer, HostPrompter } from './hostUi.js';
import { SUSPEND_NOT_AVAILABLE } from './shouldProcess.js';

const YES = { choice: 0 };
const YES_TO_ALL = { choice: 1 };
const NO = { choice: 2 };
const NO_TO_ALL = { choice: 3 };
const SUSPEND = { choice: 4 };

const NON_INTERACTIVE =
  'PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.';

async function hostWith(
  vms: { name: string; state?: 'Off' | 'Running'; guestImage?: string | null }[],
): Promise<Host> {
  const { host } = await createTestHost();
  for (const vm of vms) {
    const built = await buildVm(host, vm);
    await host.createCheckpoint(built.id, { name: `${vm.name} A` });
    await host.createCheckpoint(built.id, { name: `${vm.name} B` });
  }
  await host.whenIdle();
  return host;
}

function names(host: Host): string[] {
  return host
    .listVms()
    .map((v) => v.name)
    .sort();
}

function stateOf(host: Host, name: string): string | undefined {
  return host.findVmsByName(name)[0]?.state;
}

function user(answers: HostPromptAnswer[]): { prompt: HostPrompter; seen: HostPrompt[] } {
  const seen: HostPrompt[] = [];
  const prompt: HostPrompter = (p) => {
    seen.push(p);
    return Promise.resolve(answers.shift() ?? { cancelled: true });
  };
  return { prompt, seen };
}

describe('confirmation (behaviour spec R28)', () => {
  test("Remove-VM asks with Hyper-V's question and PowerShell's choices; Yes removes, No keeps", async () => {
    const host = await hostWith([{ name: 'Web-01' }, { name: 'Db-01' }]);
    const { prompt, seen } = user([YES, NO]);
    await runPowerShell(host, 'Remove-VM Web-01\nRemove-VM Db-01', { prompt });
    await host.whenIdle();
    expect(names(host)).toEqual(['Db-01']);
    expect(seen[0]).toEqual({
      kind: 'choice',
      caption: 'Confirm',
      message: 'Are you sure you want to remove virtual machine "Web-01"?',
      choices: [
        { label: '&Yes', help: 'Continue with only the next step of the operation.' },
        { label: 'Yes to &All', help: 'Continue with all the steps of the operation.' },
        { label: '&No', help: 'Skip this operation and proceed with the next operation.' },
        { label: 'No to A&ll', help: 'Skip this operation and all subsequent operations.' },
        {
          label: '&Suspend',
          help: 'Pause the current pipeline and return to the command prompt. Type "exit" to resume the pipeline.',
        },
      ],
      defaultChoice: 0,
    });
  });

  test('without a user, Restore-VMSnapshot, Remove-VM, Remove-VMSnapshot and Stop-VM -TurnOff fail and change nothing', async () => {
    const host = await hostWith([{ name: 'Web-01', state: 'Running' }]);
    const vm = host.findVmsByName('Web-01')[0];
    if (!vm) throw new Error('no VM');
    const r = await runPowerShell(
      host,
      "Restore-VMSnapshot -VMName Web-01 -Name 'Web-01 A'\nRemove-VMSnapshot -VMName Web-01\nStop-VM Web-01 -TurnOff\nRemove-VM Web-01\nRestart-VM Web-01",
    );
    await host.whenIdle();
    expect(r.errors.map((e) => e.message)).toEqual(Array(5).fill(NON_INTERACTIVE));
    expect(r.errors.map((e) => e.fullyQualifiedErrorId)).toEqual([
      'InvalidOperation,Microsoft.HyperV.PowerShell.Commands.RestoreVMSnapshot',
      'InvalidOperation,Microsoft.HyperV.PowerShell.Commands.RemoveVMSnapshot',
      'InvalidOperation,Microsoft.HyperV.PowerShell.Commands.StopVM',
      'InvalidOperation,Microsoft.HyperV.PowerShell.Commands.RemoveVM',
      'InvalidOperation,Microsoft.HyperV.PowerShell.Commands.RestartVM',
    ]);
    expect(r.errors[0]?.categoryInfo).toBe(
      'InvalidOperation: (:) [Restore-VMSnapshot], PSInvalidOperationException',
    );
    expect(host.getVm(vm.id)).toMatchObject({ state: 'Running', parentCheckpointName: 'Web-01 B' });
    expect(host.listCheckpoints(vm.id).checkpoints).toHaveLength(2);
  });

  test('-Confirm:$false and -Force skip the question; lower-impact cmdlets do not ask', async () => {
    const host = await hostWith([
      { name: 'Web-01', state: 'Running' },
      { name: 'Db-01' },
      { name: 'App-01' },
    ]);
    const r = await runPowerShell(
      host,
      "Restore-VMSnapshot -VMName Db-01 -Name 'Db-01 A' -Confirm:$false\nStop-VM Web-01 -TurnOff -Confirm:$false\nRemove-VM App-01 -Force\nStart-VM Db-01\nCheckpoint-VM Db-01 C",
    );
    await host.whenIdle();
    expect(r.errors).toEqual([]);
    expect(names(host)).toEqual(['Db-01', 'Web-01']);
    expect(stateOf(host, 'Web-01')).toBe('Off');
    expect(stateOf(host, 'Db-01')).toBe('Running');
  });

  test('Yes to All answers for the rest of the pipeline, once', async () => {
    const host = await hostWith([{ name: 'Web-01' }, { name: 'Web-02' }, { name: 'Db-01' }]);
    const { prompt, seen } = user([YES_TO_ALL]);
    await runPowerShell(host, 'Get-VM Web* | Remove-VM', { prompt });
    await host.whenIdle();
    expect(seen).toHaveLength(1);
    expect(names(host)).toEqual(['Db-01']);
  });

  test('No to All declines the rest of the pipeline, once; the next statement asks again', async () => {
    const host = await hostWith([{ name: 'Web-01' }, { name: 'Web-02' }]);
    const { prompt, seen } = user([NO_TO_ALL, YES]);
    await runPowerShell(host, 'Get-VM Web* | Remove-VM\nRemove-VM Web-02', { prompt });
    await host.whenIdle();
    expect(seen).toHaveLength(2);
    expect(names(host)).toEqual(['Web-01']);
  });

  test('Suspend is not available: the console says so and nothing is done', async () => {
    const host = await hostWith([{ name: 'Web-01' }]);
    const { prompt } = user([SUSPEND]);
    const r = await runPowerShell(host, 'Remove-VM Web-01', { prompt });
    expect(r.output).toContain(SUSPEND_NOT_AVAILABLE);
    expect(names(host)).toEqual(['Web-01']);
  });

  test("Restore-VMSnapshot asks with PowerShell's question around Hyper-V's operation text", async () => {
    const host = await hostWith([{ name: 'Web-01' }]);
    const { prompt, seen } = user([NO]);
    await runPowerShell(host, "Restore-VMSnapshot -VMName Web-01 -Name 'Web-01 A'", { prompt });
    expect(seen[0]).toMatchObject({
      caption: 'Confirm',
      message:
        'Are you sure you want to perform this action?\nRestore-VMSnapshot will restore checkpoint "Web-01 A".',
    });
    expect(host.findVmsByName('Web-01')[0]?.parentCheckpointName).toBe('Web-01 B');
  });

  test('Stop-VM asks before turning a VM off, not before a guest shutdown', async () => {
    const host = await hostWith([
      { name: 'Web-01', state: 'Running' },
      { name: 'Db-01', state: 'Running' },
    ]);
    const { prompt, seen } = user([NO]);
    await runPowerShell(host, 'Stop-VM Web-01 -TurnOff\nStop-VM Db-01', { prompt });
    await host.whenIdle();
    expect(seen.map((p) => (p.kind === 'choice' ? p.message : ''))).toEqual([
      'Are you sure you want to turn off virtual machine "Web-01"?',
    ]);
    expect(stateOf(host, 'Web-01')).toBe('Running');
    expect(stateOf(host, 'Db-01')).toBe('Off');
  });

  test('a guest that cannot shut down is turned off only after a Yes, or with -Force', async () => {
    const host = await hostWith([
      { name: 'Bare-01', state: 'Running', guestImage: null },
      { name: 'Bare-02', state: 'Running', guestImage: null },
      { name: 'Bare-03', state: 'Running', guestImage: null },
    ]);
    const { prompt, seen } = user([NO, YES]);
    await runPowerShell(host, 'Stop-VM Bare-01\nStop-VM Bare-02\nStop-VM Bare-03 -Force', {
      prompt,
    });
    await host.whenIdle();
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({ caption: 'Confirm' });
    expect(seen[0]?.message).toContain(
      'Are you sure you want to turn off virtual machine "Bare-01"?',
    );
    expect(stateOf(host, 'Bare-01')).toBe('Running');
    expect(stateOf(host, 'Bare-02')).toBe('Off');
    expect(stateOf(host, 'Bare-03')).toBe('Off');
    const quiet = await hostWith([{ name: 'Bare-04', state: 'Running', guestImage: null }]);
    const r = await runPowerShell(quiet, 'Stop-VM Bare-04');
    expect(r.errors[0]?.message).toBe(NON_INTERACTIVE);
    expect(stateOf(quiet, 'Bare-04')).toBe('Running');
  });

  test("-WhatIf prints Hyper-V's sentences and changes nothing", async () => {
    const host = await hostWith([{ name: 'Web-01', state: 'Running' }]);
    const r = await runPowerShell(
      host,
      "Stop-VM Web-01 -WhatIf\nRestore-VMSnapshot -VMName Web-01 -Name 'Web-01 A' -WhatIf\nRemove-VM Web-01 -WhatIf",
    );
    expect(r.output).toBe(
      [
        'What if: Stop-VM will shut down the virtual machine "Web-01".',
        'What if: Restore-VMSnapshot will restore checkpoint "Web-01 A".',
        'What if: Remove-VM will remove virtual machine "Web-01".',
        '',
      ].join('\n'),
    );
    expect(stateOf(host, 'Web-01')).toBe('Running');
    expect(names(host)).toEqual(['Web-01']);
  });

  test('-Confirm asks even for a medium-impact cmdlet; without a user that fails', async () => {
    const host = await hostWith([{ name: 'Web-01' }]);
    const { prompt, seen } = user([NO]);
    await runPowerShell(host, 'Checkpoint-VM Web-01 C -Confirm', { prompt });
    expect(seen[0]).toMatchObject({
      message:
        'Are you sure you want to perform this action?\nPerforming the operation "Checkpoint-VM" on target "Web-01".',
    });
    const r = await runPowerShell(host, 'Checkpoint-VM Web-01 C -Confirm');
    expect(r.errors[0]?.message).toBe(NON_INTERACTIVE);
    expect(
      host.listCheckpoints(host.findVmsByName('Web-01')[0]?.id ?? ('' as never)).checkpoints,
    ).toHaveLength(2);
  });

  test('$ConfirmPreference: None never asks, Low asks for Start-VM', async () => {
    const host = await hostWith([{ name: 'Web-01' }, { name: 'Db-01' }]);
    const none = await runPowerShell(host, "$ConfirmPreference = 'None'\nRemove-VM Db-01");
    await host.whenIdle();
    expect(none.errors).toEqual([]);
    expect(names(host)).toEqual(['Web-01']);
    const low = await runPowerShell(host, "$ConfirmPreference = 'Low'\nStart-VM Web-01");
    expect(low.errors[0]?.message).toBe(NON_INTERACTIVE);
    expect(stateOf(host, 'Web-01')).toBe('Off');
  });
});
