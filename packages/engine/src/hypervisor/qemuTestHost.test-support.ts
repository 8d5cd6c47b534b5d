/**
 * What the QEMU integration tests share: a test host whose guests run under QEMU with TCG (the
 * gallery's images built on demand), a tiny-linux VM on it, and a VM's running QEMU guest.
 */
import { ensureGuestImage, type GuestImageName } from '@hvm/guest-image';
import type { FileStore } from '@hvm/vhdx';
import type { Host } from '../host/host.js';
import { createTestHost, qemuGuestOf, type TestHost } from '../testing/index.js';
import type { VmDetail, VmId } from '../types.js';
import type { QemuGuest } from './qemuGuest.js';

export async function createQemuTestHost(store: FileStore): Promise<TestHost> {
  await ensureGuestImage('tiny-linux');
  return createTestHost({
    store,
    hypervisor: { kind: 'qemu', accelerator: 'tcg' },
    qemuGuestImage: (name) => ensureGuestImage(name as GuestImageName),
  });
}

/** A VM of the guest image with 192 MB of memory and a new 64 MiB disk. */
export function createGuestVm(
  host: Host,
  name: string,
  image: GuestImageName = 'tiny-linux',
): Promise<VmDetail> {
  return host.createVm({
    name,
    memoryStartupMB: 192,
    diskSizeBytes: 64 * 1024 * 1024,
    guestImage: image,
  });
}

/** The VM's running QEMU guest; throws when it has none. */
export function requireQemuGuest(host: Host | undefined, vmId: VmId): QemuGuest {
  const guest = host === undefined ? null : qemuGuestOf(host, vmId);
  if (guest === null) throw new Error('the VM has no QEMU guest');
  return guest;
}
