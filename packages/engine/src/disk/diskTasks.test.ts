import { describe, expect, it } from 'vitest';
import { EventIds } from '../eventLog/eventCatalog.js';
import { createTestHost } from '../testing/index.js';
import type { Task } from '../types.js';

const MB = 1024 * 1024;
const ALICE = 'CONTOSO\\alice';

/** Every step of every task the host announces, in order. */
function watchTasks(host: Awaited<ReturnType<typeof createTestHost>>['host']): Task[] {
  const seen: Task[] = [];
  host.subscribe((event) => {
    if (event.type === 'task-changed') seen.push(event.task);
  });
  return seen;
}

/** Hyper-V's default block size: a new dynamic disk's blocks are 32 MB. */
const BLOCK = 32 * MB;

/** Writes a little data into each of the first `count` blocks of a disk. */
async function fillBlocks(
  host: Awaited<ReturnType<typeof createTestHost>>['host'],
  path: string,
  count: number,
) {
  const { contextOf } = await import('../host/hostRegistry.js');
  const ctx = contextOf(host);
  const data = new Uint8Array(4096).fill(7);
  for (let i = 0; i < count; i += 1) await ctx.disks.writeDisk(ctx.store, path, i * BLOCK, data);
}

const percents = (tasks: Task[], name: string) =>
  tasks.filter((t) => t.name === name).map((t) => t.percentComplete);

describe('disk edits run as host tasks whose percentage follows the bytes processed', () => {
  it('Convert-VHD shows a task on the source disk rising block by block to 100 %', async () => {
    const { host } = await createTestHost();
    await host.createVirtualHardDisk({ path: 'Disks/data.vhdx', sizeBytes: 4 * BLOCK });
    await fillBlocks(host, 'Disks/data.vhdx', 4);
    const seen = watchTasks(host);
    await host.convertVirtualHardDisk({
      path: 'Disks/data.vhdx',
      destinationPath: 'Disks/copy.vhdx',
    });
    const steps = seen.filter((t) => t.name === 'Converting virtual hard disk');
    expect(steps[0]).toMatchObject({ status: 'Running', vmId: null, disk: 'Disks/data.vhdx' });
    expect(steps.at(-1)).toMatchObject({ status: 'Completed', percentComplete: 100 });
    // 4 blocks of data: 25 %, 50 %, 75 % as each is copied, never a jump back.
    const rising = percents(seen, 'Converting virtual hard disk');
    expect(rising).toEqual([...rising].sort((a, b) => a - b));
    expect(rising).toEqual(expect.arrayContaining([25, 50, 75]));
    expect(host.listTasks().map((t) => t.name)).toContain('Converting virtual hard disk');
  });

  it('Optimize-VHD (Compact) and Resize-VHD (Expand) complete their tasks', async () => {
    const { host } = await createTestHost();
    await host.createVirtualHardDisk({ path: 'd.vhdx', sizeBytes: 4 * BLOCK });
    await fillBlocks(host, 'd.vhdx', 2);
    const seen = watchTasks(host);
    await host.optimizeVirtualHardDisk({ path: 'd.vhdx', mode: 'Full' });
    await host.resizeVirtualHardDisk({ path: 'd.vhdx', sizeBytes: 8 * BLOCK });
    // The table's 4 blocks, one by one.
    expect(percents(seen, 'Compacting virtual hard disk').at(-1)).toBe(100);
    expect(percents(seen, 'Compacting virtual hard disk')).toContain(25);
    expect(percents(seen, 'Expanding virtual hard disk').at(-1)).toBe(100);
  });

  it('Merge-VHD weighs each merged file by its size; New-VHD -Fixed zero-fills with progress', async () => {
    const { host } = await createTestHost();
    await host.createVirtualHardDisk({ path: 'base.vhdx', sizeBytes: 4 * BLOCK });
    await host.createVirtualHardDisk({ path: 'a.vhdx', parentPath: 'base.vhdx' });
    await fillBlocks(host, 'a.vhdx', 2);
    const seen = watchTasks(host);
    await host.mergeVirtualHardDisk({ path: 'a.vhdx' });
    expect(percents(seen, 'Merging virtual hard disk').at(-1)).toBe(100);
    await host.createVirtualHardDisk({ path: 'fixed.vhdx', sizeBytes: 8 * MB, fixed: true });
    const created = percents(seen, 'Creating virtual hard disk');
    expect(created.at(-1)).toBe(100);
    expect(created.some((p) => p > 0 && p < 100)).toBe(true);
  });

  it('an edit refused before it starts shows no task', async () => {
    const { host } = await createTestHost();
    await host.createVirtualHardDisk({ path: 'f.vhdx', sizeBytes: 8 * MB, fixed: true });
    const seen = watchTasks(host);
    await expect(
      host.resizeVirtualHardDisk({ path: 'f.vhdx', sizeBytes: 16 * MB }),
    ).rejects.toThrow();
    // Refused before any byte is touched: no task at all.
    expect(seen).toEqual([]);
  });
});

describe('disk edits in the event log', () => {
  it('records who edited which disk and the outcome', async () => {
    const { host } = await createTestHost();
    const alice = host.withActor(ALICE);
    await alice.createVirtualHardDisk({ path: 'Disks/data.vhdx', sizeBytes: 8 * MB });
    await alice.resizeVirtualHardDisk({ path: 'Disks/data.vhdx', sizeBytes: 16 * MB });
    await alice.optimizeVirtualHardDisk({ path: 'Disks/data.vhdx' });
    await alice.convertVirtualHardDisk({
      path: 'Disks/data.vhdx',
      destinationPath: 'Disks/fixed.vhdx',
      vhdType: 'Fixed',
    });
    await expect(alice.optimizeVirtualHardDisk({ path: 'Disks/fixed.vhdx' })).rejects.toThrow();
    const { entries } = await host.queryEventLog({ text: 'virtual hard disk' });
    const mine = entries.filter((e) => e.user === ALICE);
    expect(mine.map((e) => [e.operation, e.outcome])).toEqual(
      expect.arrayContaining([
        ['New virtual hard disk', 'Succeeded'],
        ['Edit virtual hard disk', 'Succeeded'],
        ['Edit virtual hard disk', 'Failed'],
      ]),
    );
    const expanded = mine.find((e) => e.message.includes('resized'));
    expect(expanded).toMatchObject({
      level: 'Information',
      eventId: EventIds.VirtualHardDiskEdited,
      vmId: null,
    });
    expect(expanded?.message).toContain("'Disks/data.vhdx'");
    const failed = mine.find((e) => e.outcome === 'Failed');
    expect(failed).toMatchObject({ level: 'Error', eventId: EventIds.VirtualHardDiskEditFailed });
    expect(failed?.message).toContain("'Disks/fixed.vhdx'");
  });
});
