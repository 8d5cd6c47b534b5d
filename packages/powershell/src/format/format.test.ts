import { FakeClock, buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';
import { TimeSpan, formatDateTime } from '../runtime/values.js';

describe('default views', () => {
  test('Get-VM: Name State CPUUsage(%) MemoryAssigned(M) Uptime Status Version', async () => {
    const { host } = await createTestHost();
    await buildVm(host, { name: 'VM-Brice' });
    const r = await runPowerShell(host, 'Get-VM');
    expect(r.output).toBe(
      [
        '',
        'Name     State CPUUsage(%) MemoryAssigned(M) Uptime   Status             Version',
        '----     ----- ----------- ----------------- ------   ------             -------',
        'VM-Brice Off   0           0                 00:00:00 Operating normally 10.0',
        '',
        '',
      ].join('\n'),
    );
    expect(r.objects).toMatchObject([
      { Name: 'VM-Brice', State: 'Off', MemoryAssigned: 0, Uptime: '00:00:00', Generation: 2 },
    ]);
  });

  test('Get-VMSnapshot: VMName Name SnapshotType CreationTime ParentSnapshotName, time as M/d/yyyy h:mm:ss tt', async () => {
    const clock = new FakeClock('2023-06-02T12:14:05');
    const { host } = await createTestHost({ clock });
    const vm = await buildVm(host, { name: 'RDP-Workstation' });
    await host.createCheckpoint(vm.id, { name: 'No-Software' });
    await host.createCheckpoint(vm.id, { name: 'Office' });
    const r = await runPowerShell(host, 'Get-VMSnapshot -VMName RDP-Workstation');
    expect(r.output).toBe(
      [
        '',
        'VMName          Name        SnapshotType CreationTime         ParentSnapshotName',
        '------          ----        ------------ ------------         ------------------',
        'RDP-Workstation No-Software Standard     6/2/2023 12:14:05 PM',
        'RDP-Workstation Office      Standard     6/2/2023 12:14:05 PM No-Software',
        '',
        '',
      ].join('\n'),
    );
  });

  test('Uptime prints hh:mm:ss[.fffffff] or d.hh:mm:ss; dates print M/d/yyyy h:mm:ss tt', () => {
    // Behaviour spec 6.8: `RDP-Workstation Running 1 8192 00:03:07.0560000` (TimeSpan "c" format).
    expect(new TimeSpan(187_056).toString()).toBe('00:03:07.0560000');
    expect(new TimeSpan(187_000).toString()).toBe('00:03:07');
    expect(new TimeSpan(2 * 86_400_000 + 3_600_000).toString()).toBe('2.01:00:00');
    expect(formatDateTime(new Date(2017, 10, 23, 0, 9, 1))).toBe('11/23/2017 12:09:01 AM');
  });

  test('a narrow console drops the columns that do not fit', async () => {
    const { host } = await createTestHost();
    await buildVm(host, { name: 'VM-Brice' });
    const r = await runPowerShell(host, 'Get-VM', { width: 40 });
    expect(r.output.split('\n')[1]).toBe('Name     State CPUUsage(%)');
  });
});

describe('error records', () => {
  async function run(script: string) {
    const { host } = await createTestHost();
    await buildVm(host, { name: 'VM1' });
    return runPowerShell(host, script);
  }

  test('Checkpoint-VM on an unknown VM', async () => {
    const r = await run('Checkpoint-VM -Name X');
    expect(r.errors).toEqual([
      {
        message: 'Hyper-V was unable to find a virtual machine with name "X".',
        categoryInfo: 'ObjectNotFound: (:) [Checkpoint-VM], VirtualizationException',
        fullyQualifiedErrorId: 'ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.CheckpointVM',
        text: [
          'Checkpoint-VM : Hyper-V was unable to find a virtual machine with name "X".',
          'At line:1 char:1',
          '+ Checkpoint-VM -Name X',
          '+ ~~~~~~~~~~~~~~~~~~~~~',
          '    + CategoryInfo          : ObjectNotFound: (:) [Checkpoint-VM], VirtualizationException',
          '    + FullyQualifiedErrorId : ObjectNotFound,Microsoft.HyperV.PowerShell.Commands.CheckpointVM',
          '',
        ].join('\n'),
      },
    ]);
    expect(r.hadTerminatingError).toBe(false);
  });

  test('an invalid -CheckpointType value', async () => {
    const r = await run('Set-VM -Name VM1 -CheckpointType X');
    expect(r.errors[0]?.text).toMatch(
      /^Set-VM : Cannot bind parameter 'CheckpointType'\. Cannot convert value "X" to type "Microsoft\.HyperV\.PowerShell\.CheckpointType"\. Error: "Unable to match the identifier name X to a valid enumerator name\. Specify one of the following enumerator names and try again: Disabled, Production, ProductionOnly, Standard"\n/,
    );
    expect(r.errors[0]?.fullyQualifiedErrorId).toBe(
      'CannotConvertArgumentNoMessage,Microsoft.HyperV.PowerShell.Commands.SetVM',
    );
    expect(r.hadTerminatingError).toBe(true);
  });

  test('an unknown cmdlet, an unknown parameter and an ambiguous prefix', async () => {
    const unknown = await run('Get-Foo -Name X');
    expect(unknown.errors[0]?.message).toBe(
      "The term 'Get-Foo' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.",
    );
    expect(unknown.errors[0]?.categoryInfo).toBe(
      'ObjectNotFound: (Get-Foo:String) [], CommandNotFoundException',
    );
    const param = await run('Get-VM -Foo 1');
    expect(param.errors[0]?.text).toContain(
      "Get-VM : A parameter cannot be found that matches parameter name 'Foo'.\nAt line:1 char:8\n+ Get-VM -Foo 1\n+        ~~~~\n",
    );
    const ambiguous = await run('Get-VMSnapshot -V VM1');
    expect(ambiguous.errors[0]?.message).toBe(
      "Parameter cannot be processed because the parameter name 'V' is ambiguous. Possible matches include: -VMName -VM -Verbose.",
    );
    expect(ambiguous.errors[0]?.fullyQualifiedErrorId).toBe(
      'AmbiguousParameter,Microsoft.HyperV.PowerShell.Commands.GetVMSnapshot',
    );
  });

  test('a parse error stops the script before anything runs', async () => {
    const r = await run('Set-VM -Name VM1 -CheckpointType Disabled; (Get-VM');
    expect(r.errors[0]?.text).toBe(
      "At line:1 char:51\n+ Set-VM -Name VM1 -CheckpointType Disabled; (Get-VM\n+                                                   ~\nMissing closing ')' in expression.\n    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException\n    + FullyQualifiedErrorId : MissingEndParenthesisInExpression\n",
    );
  });
});
