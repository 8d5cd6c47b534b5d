/**
 * A VM is shown in a new state once that state is written to its configuration: whoever sees it
 * Off (Hyper-V Manager, Get-VM) can act on it at once. When a guest shuts itself down its VM turns
 * Off without anyone asking, and a checkpoint asked for as soon as the VM shows Off must not be
 * refused as busy with that Turn Off (behaviour spec §8.3: an Off VM takes checkpoints).
 */
import { memoryFileStore, type FileStore } from '@hvm/vhdx';
import { describe, expect, it, vi } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

/** A file store that, once armed, holds every write of a VM record saying `state` until released. */
function storeHoldingRecordsOf(state: string): {
  store: FileStore;
  arm: () => void;
  held: () => number;
  release: () => void;
} {
  const base = memoryFileStore();
  let armed = false;
  let held = 0;
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const store = new Proxy(base, {
    get(target, property) {
      if (property === 'writeFileAtomic') {
        return async (path: string, data: Uint8Array) => {
          const text = new TextDecoder().decode(data);
          if (armed && path.endsWith('.json') && text.includes(`"state": "${state}"`)) {
            held += 1;
            await gate;
          }
          return target.writeFileAtomic(path, data);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  return { store, arm: () => (armed = true), held: () => held, release };
}

describe('the state a VM is shown in', () => {
  it('changes to Off only once Off is written, and a VM shown Off takes a checkpoint at once', async () => {
    const { store, arm, held, release } = storeHoldingRecordsOf('Off');
    const { host } = await createTestHost({ store });
    const vm = await buildVm(host);
    await host.changeVmState(vm.id, 'start');
    arm();

    const turningOff = host.changeVmState(vm.id, 'turn-off');
    await vi.waitFor(() => expect(held()).toBeGreaterThan(0));
    expect(host.getVm(vm.id).state).not.toBe('Off');
    release();
    await turningOff;

    expect(host.getVm(vm.id).state).toBe('Off');
    await expect(host.createCheckpoint(vm.id, { name: 'Right after' })).resolves.toMatchObject({
      name: 'Right after',
    });
  });
});
