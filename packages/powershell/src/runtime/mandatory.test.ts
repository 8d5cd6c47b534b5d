import type { Host } from '@hvm/engine';
import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';
import type { HostPrompt, HostPromptAnswer, HostPrompter } from './hostUi.js';

/** Two running VMs with a checkpoint each: what "every VM" would have hit. */
async function twoVms(): Promise<Host> {
  const { host } = await createTestHost();
  for (const name of ['Web-01', 'Db-01']) {
    const vm = await buildVm(host, { name, state: 'Running' });
    await host.createCheckpoint(vm.id, { name: `${name} before` });
  }
  await host.whenIdle();
  return host;
}

/** Everything a script could have changed. */
function snapshotOf(host: Host): unknown {
  const vms = [...host.listVms()].sort((a, b) => a.name.localeCompare(b.name));
  return vms.map((vm) => ({
    name: vm.name,
    state: vm.state,
    checkpointType: vm.checkpointType,
    checkpoints: host.listCheckpoints(vm.id).checkpoints.map((c) => c.name),
  }));
}

/** A user who gives the answers in order, and the prompts they saw. */
function user(answers: HostPromptAnswer[]): { prompt: HostPrompter; seen: HostPrompt[] } {
  const seen: HostPrompt[] = [];
  const prompt: HostPrompter = (p) => {
    seen.push(p);
    return Promise.resolve(answers.shift() ?? { cancelled: true });
  };
  return { prompt, seen };
}

describe('mandatory parameters (behaviour spec R27)', () => {
  test.each([
    ['Checkpoint-VM', 'Name', 'CheckpointVM'],
    ['Set-VM -CheckpointType Disabled', 'Name', 'SetVM'],
    ['Stop-VM', 'Name', 'StopVM'],
    ['Stop-VM -TurnOff -Confirm:$false', 'Name', 'StopVM'],
    ['Remove-VM -Force', 'Name', 'RemoveVM'],
    ['Remove-VMSnapshot -Confirm:$false', 'VMName', 'RemoveVMSnapshot'],
    ['Restore-VMSnapshot -Name x -Confirm:$false', 'VMName', 'RestoreVMSnapshot'],
  ])(
    'without a user, `%s` fails with MissingMandatoryParameter and touches no VM',
    async (script, parameter, className) => {
      const host = await twoVms();
      const before = snapshotOf(host);
      const r = await runPowerShell(host, script);
      await host.whenIdle();
      expect(r.output).toContain(
        `: Cannot process command because of one or more missing mandatory parameters: ${parameter}.`,
      );
      expect(r.errors[0]?.categoryInfo).toBe(
        `InvalidArgument: (:) [${script.split(' ')[0] ?? ''}], ParameterBindingException`,
      );
      expect(r.errors[0]?.fullyQualifiedErrorId).toBe(
        `MissingMandatoryParameter,Microsoft.HyperV.PowerShell.Commands.${className}`,
      );
      expect(r.hadTerminatingError).toBe(true);
      expect(snapshotOf(host)).toEqual(before);
    },
  );

  test('several missing parameters are named together, as PowerShell lists them', async () => {
    const host = await twoVms();
    const r = await runPowerShell(host, 'Rename-VMSnapshot');
    expect(r.errors[0]?.message).toBe(
      'Cannot process command because of one or more missing mandatory parameters: Name VMName NewName.',
    );
  });

  test('the statements after a missing parameter still run (the error ends only that statement)', async () => {
    const host = await twoVms();
    const r = await runPowerShell(host, "Checkpoint-VM\n'next'");
    expect(r.objects).toEqual(['next']);
  });

  test.each([
    ['Stop-VM -Name $null -TurnOff -Confirm:$false', 'null or empty'],
    ["Stop-VM -Name '' -TurnOff -Confirm:$false", 'null or empty'],
    ["Checkpoint-VM ''", 'null or empty'],
    ['Checkpoint-VM -Name @()', 'collection'],
    ['Remove-VM -Name $missing -Force', 'null or empty'],
  ])('`%s` is a validation error, never a silent no-op or every VM', async (script, kind) => {
    const host = await twoVms();
    const before = snapshotOf(host);
    const r = await runPowerShell(host, script);
    await host.whenIdle();
    expect(r.errors[0]?.message).toBe(
      kind === 'null or empty'
        ? "Cannot validate argument on parameter 'Name'. The argument is null or empty. Provide an argument that is not null or empty, and then try the command again."
        : "Cannot validate argument on parameter 'Name'. The argument is null, empty, or an element of the argument collection contains a null value. Supply a collection that does not contain any null values and then try the command again.",
    );
    expect(r.errors[0]?.categoryInfo).toMatch(
      /^InvalidData: .*ParameterBindingValidationException$/,
    );
    expect(r.errors[0]?.fullyQualifiedErrorId).toMatch(/^ParameterArgumentValidationError,/);
    expect(snapshotOf(host)).toEqual(before);
  });

  test.each([
    ['Stop-VM -VM $null -TurnOff -Confirm:$false', "parameter 'VM' because it is null."],
    ['Stop-VM -VM @() -TurnOff -Confirm:$false', "parameter 'VM' because it is an empty array."],
    [
      "Restore-VMSnapshot -VMName Web-01 -Name '' -Confirm:$false",
      "parameter 'Name' because it is an empty string.",
    ],
  ])('a mandatory parameter takes no $null or empty value: `%s`', async (script, tail) => {
    const host = await twoVms();
    const before = snapshotOf(host);
    const r = await runPowerShell(host, script);
    await host.whenIdle();
    expect(r.errors[0]?.message).toBe(`Cannot bind argument to ${tail}`);
    expect(r.errors[0]?.categoryInfo).toMatch(
      /^InvalidData: .*ParameterBindingValidationException$/,
    );
    expect(snapshotOf(host)).toEqual(before);
  });

  test('pipeline input supplies the mandatory VM', async () => {
    const host = await twoVms();
    const r = await runPowerShell(
      host,
      'Get-VM Web-01 | Stop-VM -TurnOff -Confirm:$false\nGet-VM Web-01 | Checkpoint-VM -SnapshotName piped\nGet-VMSnapshot -VMName Web-01 -Name piped | Remove-VMSnapshot -Confirm:$false',
    );
    await host.whenIdle();
    expect(r.errors).toEqual([]);
    expect(snapshotOf(host)).toEqual([
      {
        name: 'Db-01',
        state: 'Running',
        checkpointType: 'Production',
        checkpoints: ['Db-01 before'],
      },
      {
        name: 'Web-01',
        state: 'Off',
        checkpointType: 'Production',
        checkpoints: ['Web-01 before'],
      },
    ]);
  });

  test('an input object that leaves a mandatory parameter unbound is an error for that object, never every VM', async () => {
    const host = await twoVms();
    const before = snapshotOf(host);
    const r = await runPowerShell(
      host,
      'Get-VMSnapshot -VMName Web-01 | Select-Object Name | Remove-VMSnapshot -Confirm:$false',
    );
    await host.whenIdle();
    expect(r.errors[0]?.message).toBe(
      'The input object cannot be bound because it did not contain the information required to bind all mandatory parameters:  VMName',
    );
    expect(r.errors[0]?.fullyQualifiedErrorId).toBe(
      'InputObjectMissingMandatory,Microsoft.HyperV.PowerShell.Commands.RemoveVMSnapshot',
    );
    expect(snapshotOf(host)).toEqual(before);
  });

  test('an interactive run asks for the missing name as the console host does, and acts on that VM only', async () => {
    const host = await twoVms();
    const { prompt, seen } = user([{ text: ['Db-01'] }, { text: [''] }]);
    const r = await runPowerShell(host, 'Checkpoint-VM -SnapshotName asked', { prompt });
    await host.whenIdle();
    expect(r.errors).toEqual([]);
    expect(seen).toEqual([
      {
        kind: 'text',
        caption: 'cmdlet Checkpoint-VM at command pipeline position 1',
        message: 'Supply values for the following parameters:',
        fields: ['Name[0]'],
      },
      { kind: 'text', caption: '', message: '', fields: ['Name[1]'] },
    ]);
    const names = snapshotOf(host) as { checkpoints: string[] }[];
    expect(names.map((vm) => vm.checkpoints)).toEqual([
      ['Db-01 before', 'asked'],
      ['Web-01 before'],
    ]);
  });

  test('the pipeline position in the caption counts the commands before it', async () => {
    const host = await twoVms();
    const { prompt, seen } = user([{ cancelled: true }]);
    await runPowerShell(host, 'Get-VM Web-01 | Write-Output | Rename-VMSnapshot -Name x', {
      prompt,
    });
    expect(seen[0]).toMatchObject({
      caption: 'cmdlet Rename-VMSnapshot at command pipeline position 3',
    });
  });

  test('an empty answer fails as PowerShell does and changes nothing', async () => {
    const host = await twoVms();
    const before = snapshotOf(host);
    const { prompt } = user([{ text: [''] }]);
    const r = await runPowerShell(host, 'Stop-VM -TurnOff -Confirm:$false', { prompt });
    await host.whenIdle();
    expect(r.errors[0]?.message).toBe(
      "Cannot validate argument on parameter 'Name'. The argument is null, empty, or an element of the argument collection contains a null value. Supply a collection that does not contain any null values and then try the command again.",
    );
    expect(snapshotOf(host)).toEqual(before);
  });

  test('Ctrl+C at the prompt stops the whole script', async () => {
    const host = await twoVms();
    const before = snapshotOf(host);
    const { prompt } = user([{ cancelled: true }]);
    const r = await runPowerShell(host, "Remove-VM -Force\n'not reached'", { prompt });
    expect(r.objects).toEqual([]);
    expect(r.errors[0]?.message).toBe(
      'The running command stopped because the user interrupted the command.',
    );
    expect(snapshotOf(host)).toEqual(before);
  });
});
