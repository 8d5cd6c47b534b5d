/**
 * The virtio-blk configuration space (`struct virtio_blk_config`, virtio 1.2 §5.2.4; Linux
 * include/uapi/linux/virtio_blk.h) this back end answers VHOST_USER_GET_CONFIG with, and the
 * feature bits it offers (VHOST_USER_GET_FEATURES).
 */
import type { BlockExport } from '@hvm/nbd';
import { MAX_DISCARD_SECTORS, MAX_DISCARD_SEGMENTS } from './blockRequests.js';
import { Feature, SECTOR_BYTES } from './protocol.js';

/** Up to `unused1[3]` of QEMU 7.2's copy of the header: the size QEMU asks for. */
export const BLK_CONFIG_BYTES = 60;

/** vhost-user-blk-pci's default `queue-size` in QEMU 7.2 (hw/block/vhost-user-blk.c). */
export const DEFAULT_QUEUE_SIZE = 128;
/** QEMU's VIRTQUEUE_MAX_SIZE: the largest `queue-size` QEMU accepts. */
export const MAX_DEVICE_QUEUE_SIZE = 1024;

/**
 * Segments per request the driver may use (`seg_max`): the queue size − 2 (a chain is at most
 * the queue size, virtio 1.2 §2.7.5.3.1, and carries a header and a status besides the data), as
 * QEMU's own virtio-blk says (hw/block/virtio-blk.c). The configuration is read before the
 * queue size is set, so the queue size is the one the QEMU device is given (`queue-size`).
 */
export function segMaxOf(queueSize: number): number {
  return queueSize - 2;
}

export function blkConfigOf(blockExport: BlockExport, queueSize: number): Uint8Array {
  const config = new Uint8Array(BLK_CONFIG_BYTES);
  const view = new DataView(config.buffer);
  view.setBigUint64(0, BigInt(Math.floor(blockExport.sizeBytes / SECTOR_BYTES)), true);
  view.setUint32(12, segMaxOf(queueSize), true); // seg_max
  view.setUint32(20, SECTOR_BYTES, true); // blk_size
  view.setUint16(34, 1, true); // num_queues
  if (blockExport.trim !== undefined) {
    view.setUint32(36, MAX_DISCARD_SECTORS, true); // max_discard_sectors
    view.setUint32(40, MAX_DISCARD_SEGMENTS, true); // max_discard_seg
    view.setUint32(44, 1, true); // discard_sector_alignment, in sectors
  }
  return config;
}

const bit = (n: number): bigint => 1n << BigInt(n);

/**
 * VERSION_1, vhost-user's PROTOCOL_FEATURES, LOG_ALL (migration), indirect descriptors, and for
 * the disk: SEG_MAX, BLK_SIZE, FLUSH (writes are not on stable storage until a flush: never
 * claim write-through), DISCARD with a `trim`, RO for a read-only export.
 */
export function offeredFeatures(blockExport: BlockExport): bigint {
  let features =
    bit(Feature.VERSION_1) |
    bit(Feature.PROTOCOL_FEATURES) |
    bit(Feature.LOG_ALL) |
    bit(Feature.RING_INDIRECT_DESC) |
    bit(Feature.BLK_SEG_MAX) |
    bit(Feature.BLK_BLK_SIZE) |
    bit(Feature.BLK_FLUSH);
  if (blockExport.trim !== undefined) features |= bit(Feature.BLK_DISCARD);
  if (blockExport.readOnly) features |= bit(Feature.BLK_RO);
  return features;
}

export function hasFeature(features: bigint, feature: number): boolean {
  return (features & bit(feature)) !== 0n;
}
