/**
 * The VM-Generation ID and the domain controller's safeguards (behaviour spec R32; Microsoft
 * Learn, "Virtualized domain controller architecture" and "... troubleshooting").
 */
import { describe, expect, it } from 'vitest';
import { buildVm, createTestHost } from '../testing/index.js';

const DC = 'windows-server-2016-dc';
const SQL = 'windows-server-2016-sql';

async function runFor(test: Awaited<ReturnType<typeof createTestHost>>, ms: number): Promise<void> {
  await test.clock.advance(ms);
  await test.host.whenIdle();
}

describe('the VM-Generation ID', () => {
  it('is a 128-bit GUID per VM, kept in its configuration across a restart', async () => {
    const test = await createTestHost();
    const a = await buildVm(test.host, { guestImage: SQL });
    const b = await buildVm(test.host, { guestImage: SQL });
    const id = test.host.getVm(a.id).vmGenerationId;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(test.host.getVm(b.id).vmGenerationId).not.toBe(id);
    const again = await test.restart();
    expect(again.getVm(a.id).vmGenerationId).toBe(id);
  });

  it('stays through Start, Save, Start from saved state, Pause, Resume and Reset', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL, state: 'Running' });
    const id = test.host.getVm(vm.id).vmGenerationId;
    for (const action of ['save', 'start', 'pause', 'resume', 'reset', 'shut-down'] as const)
      await test.host.changeVmState(vm.id, action);
    expect(test.host.getVm(vm.id).vmGenerationId).toBe(id);
  });

  it('changes when a checkpoint is applied (and on Revert), Standard or Production', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL, state: 'Running' });
    const checkpoint = await test.host.createCheckpoint(vm.id);
    const before = test.host.getVm(vm.id).vmGenerationId;
    await test.host.applyCheckpoint(vm.id, checkpoint.id);
    const afterApply = test.host.getVm(vm.id).vmGenerationId;
    expect(afterApply).not.toBe(before);
    await test.host.revertVm(vm.id);
    expect(test.host.getVm(vm.id).vmGenerationId).not.toBe(afterApply);
  });

  it('changes on Import, in every mode (the VM is imported, copied or cloned)', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: SQL });
    const original = test.host.getVm(vm.id).vmGenerationId;
    const task = await test.host.exportVm(vm.id, { path: 'Exports' });
    await test.host.whenIdle();
    expect(test.host.getTask(task.id).status).toBe('Completed');
    const copy = await test.host.importVm({
      path: `Exports/${vm.name}`,
      mode: 'copy',
      newName: 'SQL copy',
    });
    expect(copy.vmGenerationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(copy.vmGenerationId).not.toBe(original);
  });
});

describe("the domain controller's virtualization safeguards", () => {
  it('after applying a Standard checkpoint it resets its invocation ID and discards its RID pool: no USN rollback', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: DC, state: 'Running' });
    await test.host.updateVmSettings(vm.id, { checkpointType: 'Standard' });
    await runFor(test, 5_000);
    const checkpoint = await test.host.createCheckpoint(vm.id);
    await runFor(test, 5_000);
    expect(test.host.getGuestConsole(vm.id).replication?.status).toBe('Healthy');
    expect((await test.host.applyCheckpoint(vm.id, checkpoint.id)).state).toBe('Saved');
    await test.host.changeVmState(vm.id, 'start');
    const console = test.host.getGuestConsole(vm.id);
    expect(console.boot).toMatchObject({
      kind: 'vm-generation-id-changed',
      message: expect.stringContaining('reset its invocation ID') as unknown,
    });
    expect(console.replication?.status).toBe('Healthy');
    const events = console.lines.join('\n');
    expect(events).toContain(
      'Directory Service event 2170 (Warning): A Generation ID change has been detected.',
    );
    expect(events).toContain(
      'NTDS Replication event 1109: The invocationID attribute for this directory server has been changed',
    );
    expect(events).toContain(
      'System event 16654 (Directory-Services-SAM): A pool of account-identifiers (RIDs) has been invalidated.',
    );
    expect(events).not.toContain('2095');
    // It goes on replicating under its new invocation ID.
    await runFor(test, 3_000);
    expect(test.host.getGuestConsole(vm.id).replication?.status).toBe('Healthy');
  });

  it('after applying a Production checkpoint it boots, recovers and applies the same safeguards', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: DC, state: 'Running' });
    await runFor(test, 5_000);
    const checkpoint = await test.host.createCheckpoint(vm.id);
    expect(checkpoint.consistency).toBe('ApplicationConsistent');
    await runFor(test, 5_000);
    expect((await test.host.applyCheckpoint(vm.id, checkpoint.id)).state).toBe('Off');
    await test.host.changeVmState(vm.id, 'start');
    const console = test.host.getGuestConsole(vm.id);
    expect(console.boot?.kind).toBe('vm-generation-id-changed');
    expect(console.replication?.status).toBe('Healthy');
  });

  it('a reboot with the same VM-Generation ID changes nothing: a clean start, the same invocation ID', async () => {
    const test = await createTestHost();
    const vm = await buildVm(test.host, { guestImage: DC, state: 'Running' });
    await runFor(test, 3_000);
    await test.host.changeVmState(vm.id, 'shut-down');
    await test.host.changeVmState(vm.id, 'start');
    const console = test.host.getGuestConsole(vm.id);
    expect(console.boot?.kind).toBe('clean-start');
    expect(console.lines.join('\n')).not.toContain('2170');
    expect(console.replication?.status).toBe('Healthy');
  });
});
