/**
 * How a QEMU guest's disk reaches QEMU. Both serve the same VHDX chain from this process; they
 * differ in how the guest's requests travel:
 * - `vhost-user-blk`: QEMU's vhost-user-blk device with the guest's memory shared with this
 *   process (`@hvm/vhost-user`): the guest's requests are read from its virtqueue here and each
 *   request's data moves once, between guest memory and the disk's files. What a guest boots with
 *   where this host can serve it (Linux, with the C library reachable).
 * - `nbd`: a virtio-blk device on QEMU's NBD client over a socket pair (`@hvm/nbd`): each request
 *   and its data cross the socket. What every state saved before the transport was recorded holds,
 *   and what a guest boots with where vhost-user cannot be served.
 * A saved state restores only onto the transport it was saved with (the devices differ, and so does
 * the name of the guest's memory in the state), so it is recorded with the state
 * (`QemuDeviceRecord.diskTransport`).
 */
import { canServeVhostUserBlk } from '@hvm/vhost-user';
import type { QemuDeviceRecord } from '../persistence/records.js';

export type QemuDiskTransport = 'vhost-user-blk' | 'nbd';

/** The transport a guest that boots gets on this host. */
export function bootDiskTransport(): QemuDiskTransport {
  return canServeVhostUserBlk() ? 'vhost-user-blk' : 'nbd';
}

/** The transport a saved state was saved with (a record without one, or none: NBD). */
export function savedDiskTransport(record: QemuDeviceRecord | undefined): QemuDiskTransport {
  return record?.diskTransport ?? 'nbd';
}
