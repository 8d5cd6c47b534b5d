/**
 * The host's serial console API for a QEMU host's VM, without QEMU running (a VM that is Off):
 * who may connect, the bound on viewers, typing only into a running guest, and the event log.
 * Output while a real guest runs: apps/server's serial console tests against QEMU.
 */
import { describe, expect, it } from 'vitest';
import { EventIds } from '../eventLog/eventCatalog.js';
import { SERIAL_CONSOLE_MAX_VIEWERS } from '../serialConsoleTypes.js';
import { buildVm, createTestHost } from '../testing/index.js';

const qemuHost = () =>
  createTestHost({
    hypervisor: { kind: 'qemu', accelerator: 'tcg' },
    qemuGuestImage: () => Promise.reject(new Error('no guest runs in this test')),
  });

describe("a QEMU guest's serial console through the host", () => {
  it('connects in any state with an empty backlog before the first boot, and records who connected and disconnected', async () => {
    const { host } = await qemuHost();
    const vm = await buildVm(host, { name: 'Ledger VM', guestImage: 'tiny-linux' });
    const connection = host
      .withActor('CONTOSO\\alice')
      .connectSerialConsole(vm.id, { output: () => undefined });
    expect(connection.backlog.length).toBe(0);
    connection.disconnect();
    connection.disconnect();
    const { entries } = await host.queryEventLog({ vmId: vm.id });
    const consoleEvents = entries.filter((e) => e.operation === 'Virtual Machine Connection');
    expect(consoleEvents.map((e) => [e.eventId, e.user, e.message])).toEqual([
      [
        EventIds.SerialConsoleDisconnected,
        'CONTOSO\\alice',
        `'CONTOSO\\alice' disconnected from the serial console of 'Ledger VM'. (Virtual machine ID ${vm.id.toUpperCase()})`,
      ],
      [
        EventIds.SerialConsoleConnected,
        'CONTOSO\\alice',
        `'CONTOSO\\alice' connected to the serial console of 'Ledger VM'. (Virtual machine ID ${vm.id.toUpperCase()})`,
      ],
    ]);
  });

  it('refuses typing into a guest that is not running', async () => {
    const { host } = await qemuHost();
    const vm = await buildVm(host, { guestImage: 'tiny-linux' });
    expect(() => host.typeIntoSerialConsole(vm.id, Buffer.from('ls\r'))).toThrow(
      expect.objectContaining({ code: 'INVALID_STATE' }),
    );
    expect(() => host.typeIntoSerialConsole(vm.id, new Uint8Array(4097))).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('has a bounded number of viewers per VM', async () => {
    const { host } = await qemuHost();
    const vm = await buildVm(host, { guestImage: 'tiny-linux' });
    const connections = Array.from({ length: SERIAL_CONSOLE_MAX_VIEWERS }, () =>
      host.connectSerialConsole(vm.id, { output: () => undefined }),
    );
    expect(() => host.connectSerialConsole(vm.id, { output: () => undefined })).toThrow(
      expect.objectContaining({ code: 'LIMIT_EXCEEDED' }),
    );
    connections[0]?.disconnect();
    host.connectSerialConsole(vm.id, { output: () => undefined });
  });

  it('has no serial console for a simulated guest', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { state: 'Running' });
    expect(() => host.connectSerialConsole(vm.id, { output: () => undefined })).toThrow(
      expect.objectContaining({ code: 'INVALID_STATE' }),
    );
    expect(() => host.typeIntoSerialConsole(vm.id, Buffer.from('x'))).toThrow(
      expect.objectContaining({ code: 'INVALID_STATE' }),
    );
  });
});
