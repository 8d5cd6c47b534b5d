/**
 * `-ComputerName` of another server (remoteComputers.ts): the command sent there, what comes back,
 * and a name the run's RemoteComputers cannot reach.
 */
import { createTestHost } from '@hvm/engine/testing';
import { describe, expect, it } from 'vitest';
import { runPowerShell } from '../index.js';
import type { RemoteComputers, RemoteOutcome } from '../index.js';

function recording(outcome: RemoteOutcome): { sent: string[][]; remote: RemoteComputers } {
  const sent: string[][] = [];
  return {
    sent,
    remote: {
      invoke: (computerName, script) => {
        sent.push([computerName, script]);
        return Promise.resolve(outcome);
      },
    },
  };
}

const unreachable =
  "The computer 'FAR' could not be resolved. Make sure you typed the machine name correctly and that you have network access.";

describe('-ComputerName of another server', () => {
  it('sends the command with its parameters as literals, without -ComputerName', async () => {
    const { host } = await createTestHost();
    const { sent, remote } = recording({
      reached: true,
      computerName: 'FAR',
      objects: [{ Name: "O'Brien", ComputerName: 'FAR', State: 'Off' }],
      errors: [],
    });
    const result = await runPowerShell(
      host,
      "(Get-VM -ComputerName FAR -Name \"O'Brien\", 'B').ComputerName",
      { remoteComputers: remote },
    );
    expect(sent).toEqual([['FAR', "Get-VM -Name:@('O''Brien','B')"]]);
    expect(result.objects).toEqual(['FAR']);
  });

  it("writes the other server's error records here", async () => {
    const { host } = await createTestHost();
    const { remote } = recording({
      reached: true,
      computerName: 'FAR',
      objects: [],
      errors: [
        {
          message: "Hyper-V was unable to find a virtual machine with name 'X'.",
          categoryInfo: 'InvalidArgument: (X:String) [Get-VM], VirtualizationException',
          fullyQualifiedErrorId: 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM',
        },
      ],
    });
    const result = await runPowerShell(host, 'Get-VM -ComputerName FAR -Name X', {
      remoteComputers: remote,
    });
    expect(result.errors.map((e) => [e.message, e.fullyQualifiedErrorId])).toEqual([
      [
        "Hyper-V was unable to find a virtual machine with name 'X'.",
        'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM',
      ],
    ]);
  });

  it('adds -WhatIf when $WhatIfPreference is set here', async () => {
    const { host } = await createTestHost();
    const { sent, remote } = recording({
      reached: true,
      computerName: 'FAR',
      objects: [],
      errors: [],
    });
    await runPowerShell(host, '$WhatIfPreference = $true; Start-VM -ComputerName FAR -Name A', {
      remoteComputers: remote,
    });
    expect(sent).toEqual([['FAR', "Start-VM -WhatIf -Name:@('A')"]]);
  });

  it('refuses to send an object as a parameter value', async () => {
    const { host } = await createTestHost();
    const { sent, remote } = recording({ reached: false });
    const result = await runPowerShell(
      host,
      'New-VM -Name A -NoVHD | Out-Null; Start-VM -VM (Get-VM -Name A) -ComputerName FAR',
      { remoteComputers: remote },
    );
    expect(sent).toEqual([]);
    expect(result.errors.map((e) => e.message)).toEqual([
      "Start-VM cannot run on 'FAR' with an object as a parameter value. Give names instead, for example -VMName.",
    ]);
  });

  it('a name the run cannot reach gives the error, and this host still acts', async () => {
    const { host } = await createTestHost();
    const { remote } = recording({ reached: false });
    const result = await runPowerShell(
      host,
      'New-VM -Name A -NoVHD | Out-Null; (Get-VM -ComputerName FAR, localhost).Name',
      { remoteComputers: remote },
    );
    expect(result.errors.map((e) => e.message)).toEqual([unreachable]);
    expect(result.objects).toEqual(['A']);
  });
});
