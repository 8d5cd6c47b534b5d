// Cmdlets on a host of many VMs with deep checkpoint chains: each host call of a script run in the
// server crosses from its worker thread to the main thread, so a pipeline asks the host per VM,
// not per object it writes.
import type { Host } from '@hvm/engine';
import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';

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
});
