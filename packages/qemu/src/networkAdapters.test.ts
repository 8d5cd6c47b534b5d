import { describe, expect, it } from 'vitest';
import { qemuArguments, type QemuMachineConfig } from './machineArgs.js';
import { NetworkAdapterDevices } from './networkAdapters.js';
import type { QmpClient, QmpEvent } from './qmp.js';

const sockets = { qmp: '/run/vm/qmp.sock', guestAgent: '/run/vm/qga.sock' };
const base: QemuMachineConfig = {
  name: 'Web Server',
  memoryMiB: 512,
  processorCount: 1,
  accelerator: 'tcg',
  guestAgent: false,
};

const after = (args: string[], option: string): string[] =>
  args.flatMap((a, i) => (a === option ? [args[i + 1] ?? ''] : []));
const devices = (args: string[]): Record<string, unknown>[] =>
  after(args, '-device').map((d) => JSON.parse(d) as Record<string, unknown>);

describe('the network adapters of a VM on the QEMU command line', () => {
  it('gives every adapter its own virtio-net device, MAC address and restricted user network, each on its own root port', () => {
    const args = qemuArguments(
      {
        ...base,
        networkAdapters: {
          ports: 3,
          devices: [
            { port: 0, macAddress: '00155D0A0B1C' },
            { port: 2, macAddress: '00-15-5D-0A-0B-1D' },
          ],
        },
      },
      sockets,
    );
    const all = devices(args);
    const ports = all.filter((d) => d.driver === 'pcie-root-port');
    // One root port per adapter the VM may have, each at a fixed PCI address of the root bus.
    expect(ports.map((p) => [p.id, p.addr, p.chassis])).toEqual([
      ['nic-port0', '0x10', 1],
      ['nic-port1', '0x11', 2],
      ['nic-port2', '0x12', 3],
    ]);
    expect(all.filter((d) => d.driver === 'virtio-net-pci')).toEqual([
      {
        driver: 'virtio-net-pci',
        id: 'nic0',
        netdev: 'nic0-net',
        mac: '00:15:5d:0a:0b:1c',
        bus: 'nic-port0',
        addr: '0x0',
      },
      {
        driver: 'virtio-net-pci',
        id: 'nic2',
        netdev: 'nic2-net',
        mac: '00:15:5d:0a:0b:1d',
        bus: 'nic-port2',
        addr: '0x0',
      },
    ]);
    // restrict=on: the guest reaches neither the host nor any network beyond its own; each port's
    // network has its own subnet, so each adapter gets an address of its own.
    expect(after(args, '-netdev')).toEqual([
      'user,id=nic0-net,net=10.0.2.0/24,restrict=on',
      'user,id=nic2-net,net=10.0.4.0/24,restrict=on',
    ]);
  });

  it('has the same root ports whatever devices sit on them, so a saved state finds its PCI addresses', () => {
    const none = devices(
      qemuArguments({ ...base, networkAdapters: { ports: 2, devices: [] } }, sockets),
    );
    const one = devices(
      qemuArguments(
        {
          ...base,
          networkAdapters: { ports: 2, devices: [{ port: 1, macAddress: '00155D000001' }] },
        },
        sockets,
      ),
    );
    expect(one.filter((d) => d.driver === 'pcie-root-port')).toEqual(none);
  });

  it('refuses two adapters on one port, a port the VM does not have, a bad MAC address and both layouts at once', () => {
    const mac = '00155D000001';
    const layout = (ports: number, list: { port: number; macAddress: string }[]) =>
      qemuArguments({ ...base, networkAdapters: { ports, devices: list } }, sockets);
    expect(() =>
      layout(2, [
        { port: 0, macAddress: mac },
        { port: 0, macAddress: mac },
      ]),
    ).toThrow(/port 0/);
    expect(() => layout(2, [{ port: 2, macAddress: mac }])).toThrow(/port 2/);
    expect(() => layout(2, [{ port: 0, macAddress: '0015' }])).toThrow(/MAC address/);
    expect(() => layout(16, [])).toThrow(/16 network adapter ports/);
    expect(() =>
      qemuArguments(
        { ...base, network: { macAddress: mac }, networkAdapters: { ports: 1, devices: [] } },
        sockets,
      ),
    ).toThrow(/both/);
  });
});

/** A QMP monitor that records commands and answers them, and can send events. */
function fakeQmp(refuse: (command: string) => string | null = () => null) {
  const commands: { command: string; args: unknown }[] = [];
  const listeners = new Set<(event: QmpEvent) => void>();
  const waiters: {
    name: string;
    match: (d: Record<string, unknown>) => boolean;
    resolve: (e: QmpEvent) => void;
    reject: (e: Error) => void;
  }[] = [];
  const qmp = {
    execute: (command: string, args?: unknown) => {
      commands.push({ command, args });
      const refusal = refuse(command);
      return refusal === null ? Promise.resolve({}) : Promise.reject(new Error(refusal));
    },
    onEvent: (listener: (event: QmpEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    waitForEvent: (
      name: string,
      timeoutMs: number,
      match: (d: Record<string, unknown>) => boolean,
    ) =>
      new Promise<QmpEvent>((resolve, reject) => {
        const waiter = { name, match, resolve, reject };
        waiters.push(waiter);
        setTimeout(() => reject(new Error(`event ${name} not seen in ${timeoutMs} ms`)), timeoutMs);
      }),
  };
  const send = (event: QmpEvent): void => {
    for (const w of waiters) if (w.name === event.event && w.match(event.data)) w.resolve(event);
    for (const l of listeners) l(event);
  };
  return { qmp: qmp as unknown as QmpClient, commands, send };
}

describe('network adapter devices of a running machine', () => {
  it('sets a link down and up by the device of the port', async () => {
    const { qmp, commands } = fakeQmp();
    const nics = new NetworkAdapterDevices(qmp, 4, [{ port: 1, macAddress: '00155D000001' }]);
    await nics.setLink(1, false);
    await nics.setLink(1, true);
    expect(commands).toEqual([
      { command: 'set_link', args: { name: 'nic1', up: false } },
      { command: 'set_link', args: { name: 'nic1', up: true } },
    ]);
  });

  it('plugs a device with its network into a free port, its cable unplugged when asked', async () => {
    const { qmp, commands } = fakeQmp();
    const nics = new NetworkAdapterDevices(qmp, 2, [{ port: 0, macAddress: '00155D000001' }]);
    expect(nics.freePort()).toBe(1);
    await nics.plug({ port: 1, macAddress: '00155D000002' }, false);
    expect(commands.map((c) => c.command)).toEqual(['netdev_add', 'device_add', 'set_link']);
    expect(commands[0]?.args).toEqual({
      type: 'user',
      id: 'nic1-net',
      net: '10.0.3.0/24',
      restrict: true,
    });
    expect(nics.devices.map((d) => d.port)).toEqual([0, 1]);
    expect(nics.freePort()).toBeNull();
    await expect(nics.plug({ port: 1, macAddress: '00155D000003' }, true)).rejects.toThrow(
      /port 1/,
    );
  });

  it('removes the network again when QEMU refuses the device, and keeps no record of it', async () => {
    const { qmp, commands } = fakeQmp((c) => (c === 'device_add' ? 'Bus nic-port0 is full' : null));
    const nics = new NetworkAdapterDevices(qmp, 1, []);
    await expect(nics.plug({ port: 0, macAddress: '00155D000001' }, true)).rejects.toThrow(/full/);
    expect(commands.map((c) => c.command)).toEqual(['netdev_add', 'device_add', 'netdev_del']);
    expect(nics.devices).toEqual([]);
  });

  it('unplugs a device once QEMU reports it deleted, and then removes its network', async () => {
    const { qmp, commands, send } = fakeQmp();
    const nics = new NetworkAdapterDevices(qmp, 2, [{ port: 0, macAddress: '00155D000001' }]);
    const unplugged = nics.unplug(0, 5_000);
    await Promise.resolve();
    send({
      event: 'DEVICE_DELETED',
      data: { device: 'nic0', path: '/machine/peripheral/nic0' },
    });
    await unplugged;
    expect(nics.devices).toEqual([]);
    expect(commands.map((c) => c.command)).toEqual(['device_del', 'netdev_del']);
  });

  it('fails an unplug the guest does not complete in time, and keeps the device until QEMU reports it gone', async () => {
    const { qmp, send } = fakeQmp();
    const nics = new NetworkAdapterDevices(qmp, 2, [{ port: 0, macAddress: '00155D000001' }]);
    await expect(nics.unplug(0, 20)).rejects.toThrow(/DEVICE_DELETED/);
    expect(nics.devices.map((d) => d.port)).toEqual([0]);
    send({ event: 'DEVICE_DELETED', data: { device: 'nic0' } });
    expect(nics.devices).toEqual([]);
  });
});
