import { memoryFileStore, type FileStore } from '@hvm/vhdx';
import { describe, expect, it } from 'vitest';
import { decodeGuestMemory, type GuestMemorySnapshot } from '../guest/guestMemory.js';
import { checkpointSavedStatePath, vmSavedStatePath } from '../persistence/layout.js';
import { openSavedState } from '../persistence/savedState.js';
import { buildVm, createTestHost, type TestHost } from '../testing/index.js';
import type { VmId } from '../types.js';

const POSTGRES = 'ubuntu-22.04-postgres';

/** A store whose writes to temporary saved-state files wait while the gate is closed. */
function gatedStore(): {
  store: FileStore;
  close(): void;
  open(): void;
  reached: () => Promise<void>;
} {
  const inner = memoryFileStore();
  let gate: Promise<void> | null = null;
  let openGate = (): void => undefined;
  let arrived = (): void => undefined;
  let arrival = new Promise<void>((resolve) => (arrived = resolve));
  const store: FileStore = {
    ...inner,
    open: async (path, mode) => {
      const handle = await inner.open(path, mode);
      if (!path.includes('.vmrs.tmp-')) return handle;
      return {
        ...handle,
        write: async (buffer, position) => {
          if (gate !== null) {
            arrived();
            await gate;
          }
          return handle.write(buffer, position);
        },
      };
    },
  };
  return {
    store,
    close: () => {
      gate = new Promise((resolve) => (openGate = resolve));
      arrival = new Promise((resolve) => (arrived = resolve));
    },
    open: () => {
      gate = null;
      openGate();
    },
    reached: () => arrival,
  };
}

async function savedMemory(test: TestHost, path: string): Promise<GuestMemorySnapshot> {
  const state = await openSavedState(test.store, path);
  try {
    const memory = await decodeGuestMemory(state);
    if (memory === null) throw new Error(`${path} holds no guest memory`);
    return memory;
  } finally {
    await state.close();
  }
}

/** A running guest with 4 MB of working set, 10 s into its run; a checkpoint's memory file held back. */
async function checkpointWhileGuestRuns(): Promise<{
  test: TestHost;
  gate: ReturnType<typeof gatedStore>;
  vmId: VmId;
  instant: ReturnType<TestHost['host']['getGuestConsole']>;
  creating: ReturnType<TestHost['host']['createCheckpoint']>;
}> {
  const gate = gatedStore();
  const test = await createTestHost({ store: gate.store });
  const vm = await buildVm(test.host, { guestImage: POSTGRES, state: 'Running' });
  await test.host.updateVmSettings(vm.id, { checkpointType: 'Standard', guestWorkingSetMB: 4 });
  await test.clock.advance(10_000);
  await test.host.whenIdle();
  const instant = test.host.getGuestConsole(vm.id);
  gate.close();
  const creating = test.host.createCheckpoint(vm.id, { name: 'instant' });
  await gate.reached();
  return { test, gate, vmId: vm.id, instant, creating };
}

describe('Standard checkpoint of a running VM: memory saved in the background', () => {
  it('the guest keeps running and committing transactions while the memory file is written', async () => {
    const { test, gate, vmId, instant, creating } = await checkpointWhileGuestRuns();
    await test.clock.advance(3_000);
    const during = test.host.getGuestConsole(vmId);
    expect(during.uptimeMs).toBe(instant.uptimeMs + 3_000);
    expect(during.committedTransactions).toBeGreaterThan(instant.committedTransactions);
    expect(test.host.getVm(vmId).status).toMatch(/^Creating checkpoint \(\d+%\)$/);
    // Not in the tree until its memory is on disk.
    expect(test.host.listCheckpoints(vmId).checkpoints).toHaveLength(0);
    gate.open();
    const checkpoint = await creating;
    expect(checkpoint).toMatchObject({ hasSavedState: true, vmState: 'Running' });
    expect(test.host.listCheckpoints(vmId).checkpoints.map((c) => c.name)).toEqual(['instant']);
  });

  it('the memory file holds the memory of the checkpoint instant, not what the guest wrote later', async () => {
    const { test, gate, vmId, instant, creating } = await checkpointWhileGuestRuns();
    await test.clock.advance(3_000);
    gate.open();
    const checkpoint = await creating;
    const folder = test.host.getVm(vmId).snapshotFileLocation;
    const saved = await savedMemory(test, checkpointSavedStatePath(folder, checkpoint.id));
    expect(saved.state.lastCommitted).toBe(instant.committedTransactions);
    expect(saved.state.inFlight).toEqual(instant.inFlightTransactions);
    expect(saved.state.ticks).toBe(10);
    // The workload wrote pages at ticks 11-13 while the file was written; none of that is in it.
    expect(Math.max(...saved.stamps)).toBe(10);
    expect(saved.stamps.filter((stamp) => stamp === 10).length).toBeGreaterThan(0);
    // The live guest has moved on: a Save now holds pages written after the instant.
    await test.host.changeVmState(vmId, 'save');
    const later = await savedMemory(test, vmSavedStatePath(vmId));
    expect(later.state.ticks).toBe(13);
    expect(Math.max(...later.stamps)).toBe(13);
  });

  it('Apply of that checkpoint brings back the instant: uptime, transactions and every page', async () => {
    const { test, gate, vmId, instant, creating } = await checkpointWhileGuestRuns();
    await test.clock.advance(3_000);
    gate.open();
    const checkpoint = await creating;
    const folder = test.host.getVm(vmId).snapshotFileLocation;
    const saved = await savedMemory(test, checkpointSavedStatePath(folder, checkpoint.id));
    await test.host.applyCheckpoint(vmId, checkpoint.id);
    expect(test.host.getVm(vmId).state).toBe('Saved');
    await test.host.changeVmState(vmId, 'start');
    expect(test.host.getGuestConsole(vmId)).toMatchObject({
      uptimeMs: instant.uptimeMs,
      committedTransactions: instant.committedTransactions,
      inFlightTransactions: instant.inFlightTransactions,
    });
    await test.host.changeVmState(vmId, 'save');
    const resumed = await savedMemory(test, vmSavedStatePath(vmId));
    expect(resumed.state.ticks).toBe(10);
    // The page map after the resume is the checkpoint's (the state pages at the start aside).
    const from = 4;
    expect([...resumed.stamps.subarray(from)]).toEqual([...saved.stamps.subarray(from)]);
  });

  it('a host stopped while the memory file is written comes back without the checkpoint and with every write of the guest', async () => {
    const { test, vmId, creating } = await checkpointWhileGuestRuns();
    void creating.catch(() => undefined);
    await test.clock.advance(3_000);
    const committed = test.host.getGuestConsole(vmId).committedTransactions;
    const diskBefore = test.host.getVm(vmId).hardDrives[0]?.chain.at(-1);
    // The process dies: the old host never finishes; a new one loads the same files.
    const host = await test.restart({ close: false });
    await host.whenIdle();
    expect(host.listCheckpoints(vmId).checkpoints).toHaveLength(0);
    const vm = host.getVm(vmId);
    expect(vm.state).toBe('Off');
    // The frozen disk took Now's writes back (merged): one disk, no .avhdx left.
    expect(vm.hardDrives[0]?.path).toBe(diskBefore);
    expect(vm.hardDrives[0]?.chain).toEqual([diskBefore]);
    expect((await test.store.list('Snapshots')).filter((n) => n.includes('.vmrs'))).toEqual([]);
    // The guest finds every transaction it committed before the host stopped.
    await host.changeVmState(vmId, 'start');
    expect(host.getGuestConsole(vmId)).toMatchObject({
      boot: { kind: 'crash-recovery' },
      committedTransactions: committed,
    });
    const check = await host.checkHost();
    expect(check.ok).toBe(true);
  });
});
