// Cmdlets on a host of many VMs with deep checkpoint chains: each host call of a script run in the
// server crosses from its worker thread to the main thread, so a pipeline asks the host per VM,
// not per object it writes.
import type { Host } from '@hvm/engine';
import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { hostReadAheadKey, runPowerShell } from '../index.js';
import type { HostRead } from '../index.js';

/** The host, and the number of calls a script made of each of its methods. */
function counting(host: Host): { host: Host; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const proxy = new Proxy(host, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        calls.set(property, (calls.get(property) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { host: proxy, calls };
}

/**
 * The host as a script worker sees it: each call not read ahead is one crossing to the main
 * thread, and so is each read-ahead; answers read ahead are taken once each, in order.
 */
function crossing(host: Host): { host: Host; crossings: () => number } {
  let crossings = 0;
  const ahead = new Map<string, unknown[]>();
  const key = (method: string, args: unknown[]): string => `${method} ${JSON.stringify(args)}`;
  const proxy = new Proxy(host, {
    get(target, property, receiver) {
      if (property === hostReadAheadKey)
        return (reads: readonly HostRead[]) => {
          ahead.clear();
          if (reads.length === 0) return;
          crossings++;
          for (const { method, args } of reads) {
            const fn = Reflect.get(target, method) as (...a: unknown[]) => unknown;
            const answers = ahead.get(key(method, args)) ?? [];
            answers.push(fn.apply(target, args));
            ahead.set(key(method, args), answers);
          }
        };
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        const answers = ahead.get(key(property, args));
        if (answers !== undefined && answers.length > 0) return answers.shift();
        crossings++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { host: proxy, crossings: () => crossings };
}

describe('Get-VM | Get-VMSnapshot on many VMs with deep chains', () => {
  const vmCount = 3;
  const depth = 6;

  async function largeHost(chain = depth) {
    const { host } = await createTestHost();
    for (let v = 1; v <= vmCount; v++) {
      const vm = await buildVm(host, { name: `VM${v}` });
      for (let c = 1; c <= chain; c++) await host.createCheckpoint(vm.id, { name: `C${c}` });
    }
    return host;
  }

  test('writes every checkpoint with its VM, parent and computer name, oldest first per VM', async () => {
    const host = await largeHost();
    const r = await runPowerShell(
      host,
      'Get-VM | Get-VMSnapshot | ForEach-Object { "$($_.VMName)/$($_.Name)<$($_.ParentSnapshotName)@$($_.ComputerName)" }',
    );
    expect(r.errors).toEqual([]);
    const computer = host.info().name;
    const expected = [];
    for (let v = 1; v <= vmCount; v++)
      for (let c = 1; c <= depth; c++)
        expected.push(`VM${v}/C${c}<${c === 1 ? '' : `C${c - 1}`}@${computer}`);
    expect(r.objects).toEqual(expected);
  });

  test('asks the host as often whatever the depth of the chains: per VM, not per checkpoint', async () => {
    const callsAt = async (chain: number): Promise<Map<string, number>> => {
      const { host, calls } = counting(await largeHost(chain));
      const r = await runPowerShell(host, 'Get-VM | Get-VMSnapshot');
      expect(r.errors).toEqual([]);
      expect(r.objects).toHaveLength(vmCount * chain);
      return calls;
    };
    const shallow = await callsAt(2);
    const deep = await callsAt(depth);
    expect(deep).toEqual(shallow);
    expect(deep.get('getCheckpoint') ?? 0).toBe(0);
  });

  test("builds each VM's details once, for Get-VM's objects: Get-VMSnapshot checks a piped VM with its summary", async () => {
    const { host, calls } = counting(await largeHost());
    const r = await runPowerShell(host, 'Get-VM | Get-VMSnapshot');
    expect(r.objects).toHaveLength(vmCount * depth);
    expect(calls.get('getVm')).toBe(vmCount);
    expect(calls.get('getVmSummary')).toBe(vmCount);
  });

  test('a VM removed after Get-VM read it: Get-VMSnapshot -VM writes the same error as before', async () => {
    const host = await largeHost(1);
    const r = await runPowerShell(
      host,
      '$vm = Get-VM -Name VM2; Remove-VM -VM $vm -Force; Get-VMSnapshot -VM $vm',
    );
    expect(r.errors.map((e) => e.fullyQualifiedErrorId)).toEqual([
      expect.stringContaining('ObjectNotFound'),
    ]);
    expect(r.errors[0]?.message).toContain('Hyper-V was unable to find a virtual machine');
  });

  test('on a host that reads ahead, crosses as often for many VMs as for one, with the same output', async () => {
    const plain = await largeHost();
    const expected = await runPowerShell(plain, 'Get-VM | Get-VMSnapshot');
    const { host, crossings } = crossing(plain);
    const r = await runPowerShell(host, 'Get-VM | Get-VMSnapshot');
    expect(r.errors).toEqual([]);
    expect(r.output).toBe(expected.output);
    expect(r.objects).toEqual(expected.objects);
    // The computer name ($env:COMPUTERNAME), the VM list and the computer name again, then one
    // read-ahead for Get-VM and one for Get-VMSnapshot: as many for 3 VMs as for 500.
    expect(crossings()).toBe(5);
    const single = crossing(await largeHost(depth));
    await runPowerShell(single.host, 'Get-VM -Name VM1 | Get-VMSnapshot');
    expect(single.crossings()).toBeLessThanOrEqual(crossings());
  });

  test('what was read ahead is not seen after the script changed the host', async () => {
    const { host } = crossing(await largeHost(2));
    const r = await runPowerShell(
      host,
      'Get-VM | Get-VMSnapshot | Out-Null; Checkpoint-VM -Name VM2 -SnapshotName Later; (Get-VM -Name VM2 | Get-VMSnapshot).Name; (Get-VM -Name VM2).ParentSnapshotName',
    );
    expect(r.errors).toEqual([]);
    expect(r.objects).toEqual(['C1', 'C2', 'Later', 'Later']);
  });
});
