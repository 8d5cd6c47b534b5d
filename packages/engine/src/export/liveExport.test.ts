import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';
import { LIVE_EXPORT_CHECKPOINT_NAME } from './liveExport.js';

describe('live export of a running VM', () => {
  it('exports the VM as a Standard checkpoint froze it (Saved, with its memory), then deletes that checkpoint', async () => {
    const { host, store } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    await host.updateVmSettings(vm.id, { checkpointType: 'Standard' });
    await host.createCheckpoint(vm.id, { name: 'kept' });
    const task = await host.exportVm(vm.id, { path: 'Exports' });
    await host.whenIdle();
    expect(host.getTask(task.id).status).toBe('Completed');
    expect(host.getVm(vm.id).state).toBe('Running');
    // The export's point in time is gone again; the user's own checkpoint stays.
    expect(host.listCheckpoints(vm.id).checkpoints.map((c) => c.name)).toEqual(['kept']);
    const folder = `Exports/${vm.name}`;
    expect((await store.list(`${folder}/Virtual Machines`)).sort()).toEqual([
      `${vm.id}.json`,
      `${vm.id}.vmrs`,
    ]);
    const config = JSON.parse(
      new TextDecoder().decode(await store.readFile(`${folder}/Virtual Machines/${vm.id}.json`)),
    ) as { state: string; checkpoints: { name: string }[] };
    expect(config.state).toBe('Saved');
    expect(config.checkpoints.map((c) => c.name)).toEqual(['kept']);
    expect(JSON.stringify(config)).not.toContain(LIVE_EXPORT_CHECKPOINT_NAME);

    const copy = await host.importVm({ path: folder, mode: 'copy', newName: 'LIVE COPY' });
    expect(copy.state).toBe('Saved');
    await host.changeVmState(copy.id, 'start');
    expect(host.getVm(copy.id).state).toBe('Running');
    expect((await host.checkHost()).ok).toBe(true);
  });

  it('with Production checkpoints, the export is Off with application-consistent disks', async () => {
    const { host, store } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    const task = await host.exportVm(vm.id, { path: 'Exports' });
    await host.whenIdle();
    expect(host.getTask(task.id).status).toBe('Completed');
    const config = JSON.parse(
      new TextDecoder().decode(
        await store.readFile(`Exports/${vm.name}/Virtual Machines/${vm.id}.json`),
      ),
    ) as { state: string; checkpoints: unknown[] };
    expect(config).toMatchObject({ state: 'Off', checkpoints: [] });
    expect(host.listCheckpoints(vm.id).checkpoints).toEqual([]);
  });
});
