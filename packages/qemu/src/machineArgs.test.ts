import { describe, expect, it } from 'vitest';
import {
  INHERITED_DISK_DESCRIPTOR,
  INHERITED_VHOST_USER_DESCRIPTOR,
  inheritedDescriptors,
  qemuArguments,
  shellQuote,
  type QemuMachineConfig,
} from './machineArgs.js';

const sockets = { qmp: '/run/vm/qmp.sock', guestAgent: '/run/vm/qga.sock' };
const base: QemuMachineConfig = {
  name: 'Web Server',
  memoryMiB: 512,
  processorCount: 2,
  accelerator: 'tcg',
  guestAgent: false,
};

const after = (args: string[], option: string): string[] =>
  args.flatMap((a, i) => (a === option ? [args[i + 1] ?? ''] : []));

describe('the QEMU command line of a VM', () => {
  it('is a q35 machine with the chosen accelerator, memory and processors, no default devices, no display, started stopped', () => {
    const args = qemuArguments(base, sockets);
    expect(after(args, '-machine')).toEqual(['q35,accel=tcg']);
    expect(after(args, '-m')).toEqual(['512']);
    expect(after(args, '-smp')).toEqual(['2']);
    expect(args).toContain('-nodefaults');
    expect(after(args, '-display')).toEqual(['none']);
    expect(args).toContain('-S');
    expect(after(args, '-sandbox')).toEqual(['on']);
    expect(args).not.toContain('-kernel');
    expect(args).not.toContain('-incoming');
  });

  it('attaches the NBD disk as the first virtio-blk disk and the guest agent port by its standard name', () => {
    const args = qemuArguments(
      { ...base, disk: { socketPath: '/run/vm/disk.sock', exportName: 'disk' }, guestAgent: true },
      sockets,
    );
    const blockdev = JSON.parse(after(args, '-blockdev')[0] ?? '{}') as Record<string, unknown>;
    expect(blockdev).toMatchObject({
      driver: 'nbd',
      server: { type: 'unix', path: '/run/vm/disk.sock' },
      export: 'disk',
    });
    expect(after(args, '-device')).toEqual([
      'virtio-blk-pci,drive=disk0,id=disk0-device',
      'virtio-serial-pci,id=virtio-serial0',
      'virtserialport,chardev=guest-agent,name=org.qemu.guest_agent.0',
    ]);
  });

  it('attaches an NBD disk on a connection the host made as the descriptor QEMU inherits', () => {
    const args = qemuArguments(
      { ...base, disk: { descriptor: 41, exportName: 'disk' }, guestAgent: false },
      sockets,
    );
    const blockdev = JSON.parse(after(args, '-blockdev')[0] ?? '{}') as Record<string, unknown>;
    // QEMU gets the end as its descriptor 3 (spawn's fourth stdio entry), whatever the host's was.
    expect(blockdev).toMatchObject({
      driver: 'nbd',
      server: { type: 'fd', str: String(INHERITED_DISK_DESCRIPTOR) },
      export: 'disk',
    });
    expect(INHERITED_DISK_DESCRIPTOR).toBe(3);
  });

  it('attaches a vhost-user-blk disk on the inherited control socket, with the RAM shared as a memfd', () => {
    const args = qemuArguments(
      { ...base, disk: { vhostUserDescriptor: 57, queueSize: 128 } },
      sockets,
    );
    expect(after(args, '-machine')).toEqual(['q35,accel=tcg,memory-backend=guest-memory']);
    expect(after(args, '-m')).toEqual(['512']);
    expect(after(args, '-object')).toEqual([
      'memory-backend-memfd,id=guest-memory,size=512M,share=on',
    ]);
    // QEMU gets the end as its descriptor 4 (spawn's fifth stdio entry), whatever the host's was.
    expect(INHERITED_VHOST_USER_DESCRIPTOR).toBe(4);
    expect(args).toContain('socket,id=disk0-vhost,fd=4');
    expect(after(args, '-device')).toEqual([
      'vhost-user-blk-pci,chardev=disk0-vhost,id=disk0-device,num-queues=1,queue-size=128',
    ]);
    expect(args).not.toContain('-blockdev');
    // The other disks keep QEMU's private RAM (the layout their saved states have).
    const nbd = qemuArguments({ ...base, disk: { descriptor: 41, exportName: 'disk' } }, sockets);
    expect(after(nbd, '-machine')).toEqual(['q35,accel=tcg']);
    expect(nbd).not.toContain('-object');
  });

  it("hands each disk's descriptor to QEMU at its number through spawn's stdio", () => {
    const stdio = (disk: QemuMachineConfig['disk']): unknown[] => [
      'pipe',
      'pipe',
      'pipe',
      ...inheritedDescriptors(disk),
    ];
    expect(stdio({ descriptor: 41, exportName: 'disk' })[INHERITED_DISK_DESCRIPTOR]).toBe(41);
    expect(stdio({ vhostUserDescriptor: 57, queueSize: 128 })).toEqual([
      'pipe',
      'pipe',
      'pipe',
      'ignore',
      57,
    ]);
    expect(
      stdio({ vhostUserDescriptor: 57, queueSize: 128 })[INHERITED_VHOST_USER_DESCRIPTOR],
    ).toBe(57);
    expect(inheritedDescriptors({ socketPath: '/run/vm/disk.sock', exportName: 'd' })).toEqual([]);
    expect(inheritedDescriptors({ rawFile: '/bench/disk.raw' })).toEqual([]);
    expect(inheritedDescriptors(undefined)).toEqual([]);
  });

  it('attaches a raw file as the same first virtio-blk disk when given one (the peer of the NBD disk)', () => {
    const args = qemuArguments({ ...base, disk: { rawFile: '/bench/disk,1.raw' } }, sockets);
    const blockdev = JSON.parse(after(args, '-blockdev')[0] ?? '{}') as Record<string, unknown>;
    // JSON option values are not split at commas: the path is kept as it is.
    expect(blockdev).toEqual({
      driver: 'raw',
      'node-name': 'disk0',
      file: { driver: 'file', filename: '/bench/disk,1.raw' },
    });
    expect(after(args, '-device')).toEqual(['virtio-blk-pci,drive=disk0,id=disk0-device']);
  });

  it("puts the VM on QEMU's restricted user-mode network with its first adapter's MAC address", () => {
    const args = qemuArguments({ ...base, network: { macAddress: '00155D0A0B1C' } }, sockets);
    // restrict=on: the guest reaches neither the host nor any network beyond its own.
    expect(after(args, '-netdev')).toEqual(['user,id=net0,restrict=on']);
    expect(after(args, '-device')).toEqual([
      'virtio-net-pci,netdev=net0,mac=00:15:5d:0a:0b:1c,id=net0-device',
    ]);
    expect(() =>
      qemuArguments({ ...base, network: { macAddress: '00155D0A0B' } }, sockets),
    ).toThrow(/MAC address/);
  });

  it('gives a VM whose first adapter is Not connected no network device at all', () => {
    const args = qemuArguments(base, sockets);
    expect(args).not.toContain('-netdev');
    expect(after(args, '-device').some((d) => d.startsWith('virtio-net'))).toBe(false);
  });

  it('boots a kernel with its initrd and command line when given', () => {
    const args = qemuArguments(
      { ...base, kernel: { kernel: '/k/vmlinuz', initrd: '/k/initrd', cmdline: 'console=ttyS0' } },
      sockets,
    );
    expect(after(args, '-kernel')).toEqual(['/k/vmlinuz']);
    expect(after(args, '-initrd')).toEqual(['/k/initrd']);
    expect(after(args, '-append')).toEqual(['console=ttyS0 no_timer_check']);
  });

  it("under TCG the kernel skips its IO-APIC timer check, which a loaded host's slow emulation can fail with a panic", () => {
    const kernel = { kernel: '/k/vmlinuz', cmdline: 'console=ttyS0' };
    expect(after(qemuArguments({ ...base, kernel }, sockets), '-append')).toEqual([
      'console=ttyS0 no_timer_check',
    ]);
    const kvm = qemuArguments({ ...base, accelerator: 'kvm', kernel }, sockets);
    expect(after(kvm, '-append')).toEqual(['console=ttyS0']);
    const twice = { ...kernel, cmdline: 'console=ttyS0 no_timer_check' };
    expect(after(qemuArguments({ ...base, kernel: twice }, sockets), '-append')).toEqual([
      'console=ttyS0 no_timer_check',
    ]);
  });

  it('restores from a state file whose path is quoted for the shell', () => {
    const args = qemuArguments(base, sockets, "/vms/it's here/a.vmrs");
    expect(after(args, '-incoming')).toEqual([`exec:cat '/vms/it'\\''s here/a.vmrs'`]);
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
  });

  it('doubles commas in socket paths and names, as QEMU option values need', () => {
    const args = qemuArguments({ ...base, name: 'a,b' }, { ...sockets, qmp: '/run/x,y/qmp.sock' });
    expect(after(args, '-name')).toEqual(['a,,b']);
    expect(args).toContain('socket,id=qmp,path=/run/x,,y/qmp.sock');
  });

  it('refuses a name with control characters and impossible sizes', () => {
    expect(() => qemuArguments({ ...base, name: 'a\nb' }, sockets)).toThrow(/control/);
    expect(() => qemuArguments({ ...base, memoryMiB: 0 }, sockets)).toThrow(/memory/);
    expect(() => qemuArguments({ ...base, processorCount: 0 }, sockets)).toThrow(/processors/);
    const vhostUser = { ...base, disk: { vhostUserDescriptor: 9, queueSize: 128 } };
    expect(() => qemuArguments({ ...vhostUser, name: 'a\u0007b' }, sockets)).toThrow(/control/);
    expect(() => qemuArguments({ ...vhostUser, memoryMiB: 12.5 }, sockets)).toThrow(/memory/);
    expect(() => qemuArguments({ ...vhostUser, memoryMiB: 8 }, sockets)).toThrow(/memory/);
    for (const bad of [-1, 3.5, Number.NaN])
      expect(() =>
        qemuArguments({ ...base, disk: { vhostUserDescriptor: bad, queueSize: 128 } }, sockets),
      ).toThrow(/vhost-user descriptor/);
    for (const bad of [0, 1, 1025, 64.5])
      expect(() =>
        qemuArguments({ ...base, disk: { vhostUserDescriptor: 9, queueSize: bad } }, sockets),
      ).toThrow(/queue size/);
  });
});
