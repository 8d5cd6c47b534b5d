/**
 * Numbers of the vhost-user protocol (QEMU 7.2 docs/interop/vhost-user.rst, hw/virtio/vhost-user.c),
 * the split virtqueue (virtio 1.2 §2.7) and virtio-blk (virtio 1.2 §5.2; Linux
 * include/uapi/linux/virtio_blk.h).
 */

/** Message header: request u32, flags u32, size u32. */
export const HEADER_BYTES = 12;
export const VHOST_USER_VERSION = 0x1;
export const FLAG_VERSION_MASK = 0x3;
export const FLAG_REPLY = 0x4;
export const FLAG_NEED_REPLY = 0x8;
/** Our bound on a message's payload: the largest QEMU sends is a memory table or a config. */
export const MAX_PAYLOAD_BYTES = 4096;
/** QEMU's VHOST_MEMORY_BASELINE_NREGIONS: descriptors one SET_MEM_TABLE carries at most. */
export const MAX_MEMORY_REGIONS = 8;

export const Request = {
  GET_FEATURES: 1,
  SET_FEATURES: 2,
  SET_OWNER: 3,
  RESET_OWNER: 4,
  SET_MEM_TABLE: 5,
  SET_LOG_BASE: 6,
  SET_LOG_FD: 7,
  SET_VRING_NUM: 8,
  SET_VRING_ADDR: 9,
  SET_VRING_BASE: 10,
  GET_VRING_BASE: 11,
  SET_VRING_KICK: 12,
  SET_VRING_CALL: 13,
  SET_VRING_ERR: 14,
  GET_PROTOCOL_FEATURES: 15,
  SET_PROTOCOL_FEATURES: 16,
  GET_QUEUE_NUM: 17,
  SET_VRING_ENABLE: 18,
  GET_CONFIG: 24,
  SET_CONFIG: 25,
} as const;

/** Feature bits (virtio 1.2 §6, §5.2.3; vhost-user.rst). */
export const Feature = {
  BLK_SEG_MAX: 2,
  BLK_RO: 5,
  BLK_BLK_SIZE: 6,
  BLK_FLUSH: 9,
  BLK_DISCARD: 13,
  /** linux/vhost.h: the front end wants dirty pages logged (migration). */
  LOG_ALL: 26,
  RING_INDIRECT_DESC: 28,
  PROTOCOL_FEATURES: 30,
  VERSION_1: 32,
} as const;

export const ProtocolFeature = {
  LOG_SHMFD: 1,
  REPLY_ACK: 3,
  CONFIG: 9,
} as const;

/** SET_VRING_KICK/CALL/ERR payload: ring index in bits 0-7; bit 8 says no descriptor came. */
export const VRING_INDEX_MASK = 0xff;
export const VRING_NO_FD_MASK = 0x100;
/** SET_VRING_ADDR flags: log the used ring's writes. */
export const VRING_F_LOG = 0x1;

/** The dirty log's page (vhost-user.rst, "Migration": VHOST_LOG_PAGE 0x1000). */
export const DIRTY_PAGE_BYTES = 4096;

/** Split ring (virtio 1.2 §2.7.5). */
export const DESC_BYTES = 16;
export const DESC_F_NEXT = 1;
export const DESC_F_WRITE = 2;
export const DESC_F_INDIRECT = 4;
export const AVAIL_F_NO_INTERRUPT = 1;
export const MAX_QUEUE_SIZE = 32768;

/** virtio-blk request types and status (virtio 1.2 §5.2.6). */
export const BlkType = { IN: 0, OUT: 1, FLUSH: 4, GET_ID: 8, DISCARD: 11 } as const;
export const BlkStatus = { OK: 0, IOERR: 1, UNSUPP: 2 } as const;
export const BLK_HEADER_BYTES = 16;
export const SECTOR_BYTES = 512;
export const BLK_ID_BYTES = 20;
export const DISCARD_SEGMENT_BYTES = 16;
