/**
 * The connection a QEMU guest's disk is served on, made by this process, whose other end QEMU
 * inherits (qemuDiskTransport.ts says which and why): a vhost-user-blk control socket, or an NBD
 * connection. Either serves the guest's `SwitchableDisk`, so a checkpoint switches the file
 * behind it while QEMU's end stays open.
 */
import { serveNbdOnSocketPair } from '@hvm/nbd';
import type { NbdDisk, VhostUserDisk } from '@hvm/qemu';
import { serveVhostUserBlkOnSocketPair } from '@hvm/vhost-user';
import type { QemuDiskTransport } from './qemuDiskTransport.js';
import type { QemuServedDisk } from './qemuServedDisk.js';

const EXPORT_NAME = 'disk0';
/**
 * The vhost-user-blk ring's size, given to both ends: 256, as QEMU 7.2's `virtio-blk-pci` has by
 * default, so the guest may send up to 254 pieces of memory per request (`seg_max`). With the
 * vhost-user device's default of 128 (126 pieces), a 1 MiB request from a `dd` buffer whose pages
 * lay scattered was often split in two (the bench's guest: up to 2053 requests for 1 GiB instead
 * of 1029). A state saves the ring's size, so this value is part of the device: a new one would
 * need its own record (QemuDeviceRecord), as the transport has.
 */
const VHOST_USER_QUEUE_SIZE = 256;
/** The send buffer of QEMU's end of an NBD connection. */
const QEMU_SEND_BUFFER_BYTES = 4 * 2 ** 20;

export interface ServedGuestDisk {
  /** The disk as QEMU's command line names it (`@hvm/qemu`'s machine configuration). */
  readonly machineDisk: NbdDisk | VhostUserDisk;
  /** Closes this process's copy of QEMU's end, once QEMU holds its own; once. */
  releaseClientDescriptor(): void;
  /** Stops serving and closes the connection (the disk itself stays open). */
  close(): Promise<void>;
}

export function serveGuestDisk(
  transport: QemuDiskTransport,
  disk: QemuServedDisk,
): ServedGuestDisk {
  if (transport === 'vhost-user-blk') {
    const served = serveVhostUserBlkOnSocketPair({
      export: disk.export,
      queueSize: VHOST_USER_QUEUE_SIZE,
    });
    return {
      machineDisk: {
        vhostUserDescriptor: served.clientDescriptor,
        queueSize: VHOST_USER_QUEUE_SIZE,
      },
      releaseClientDescriptor: () => served.releaseClientDescriptor(),
      close: () => served.close(),
    };
  }
  // Both ends get 4 MiB send buffers, which a socket QEMU made itself would not: QEMU's 1 MiB
  // writes then cross in one call (the bench's guests, load 3 to 9: writes 0.49× of raw against
  // 0.43×, reads 0.63× against 0.50×; @hvm/nbd's README).
  const served = serveNbdOnSocketPair({
    exports: (name) => (name === EXPORT_NAME ? disk.export : undefined),
    clientSendBufferBytes: QEMU_SEND_BUFFER_BYTES,
  });
  return {
    machineDisk: { descriptor: served.clientDescriptor, exportName: EXPORT_NAME },
    releaseClientDescriptor: () => served.releaseClientDescriptor(),
    close: () => served.close(),
  };
}
