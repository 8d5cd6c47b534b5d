/**
 * The numbers of the NBD protocol, as the protocol document (NetworkBlockDevice/nbd, doc/proto.md)
 * defines them. Every value on the wire is big-endian.
 */

/** "NBDMAGIC": the first 64 bits the server sends (proto.md, "Newstyle negotiation"). */
export const NBD_MAGIC = 0x4e42444d41474943n;
/** "IHAVEOPT": sent by the server after NBDMAGIC, and by the client before every option. */
export const IHAVEOPT = 0x49484156454f5054n;
/** The magic of every option reply (proto.md, "Fixed newstyle negotiation"). */
export const OPTION_REPLY_MAGIC = 0x3e889045565a9n;
/** NBD_REQUEST_MAGIC and NBD_SIMPLE_REPLY_MAGIC (proto.md, "Request message", "Simple reply message"). */
export const REQUEST_MAGIC = 0x25609513;
export const SIMPLE_REPLY_MAGIC = 0x67446698;

/** Handshake flags (server) and client flags (proto.md, "Flag fields"). */
export const HandshakeFlag = { FIXED_NEWSTYLE: 1 << 0, NO_ZEROES: 1 << 1 } as const;
export const ClientFlag = { FIXED_NEWSTYLE: 1 << 0, NO_ZEROES: 1 << 1 } as const;

/** Transmission flags (proto.md, "Transmission flags"). */
export const TransmissionFlag = {
  HAS_FLAGS: 1 << 0,
  READ_ONLY: 1 << 1,
  SEND_FLUSH: 1 << 2,
  SEND_FUA: 1 << 3,
  SEND_TRIM: 1 << 5,
} as const;

/** Option types (proto.md, "Option types"). */
export const Option = {
  EXPORT_NAME: 1,
  ABORT: 2,
  LIST: 3,
  STARTTLS: 5,
  INFO: 6,
  GO: 7,
  STRUCTURED_REPLY: 8,
} as const;

/** Option reply types; the errors have bit 31 set (proto.md, "Option reply types"). */
export const OptionReply = {
  ACK: 1,
  SERVER: 2,
  INFO: 3,
  ERR_UNSUP: 2 ** 31 + 1,
  ERR_POLICY: 2 ** 31 + 2,
  ERR_INVALID: 2 ** 31 + 3,
  ERR_UNKNOWN: 2 ** 31 + 6,
  ERR_TOO_BIG: 2 ** 31 + 9,
} as const;

/** Information types of NBD_REP_INFO (proto.md, "NBD_REP_INFO"). */
export const Info = { EXPORT: 0, NAME: 1, DESCRIPTION: 2, BLOCK_SIZE: 3 } as const;

/** Request types (proto.md, "Request types"). */
export const Command = { READ: 0, WRITE: 1, DISC: 2, FLUSH: 3, TRIM: 4 } as const;

/** Command flags (proto.md, "Command flags"). */
export const CommandFlag = { FUA: 1 << 0 } as const;

/** Error values of a reply (proto.md, "Error values"). */
export const NbdError = {
  EPERM: 1,
  EIO: 5,
  ENOMEM: 12,
  EINVAL: 22,
  ENOSPC: 28,
  EOVERFLOW: 75,
  ENOTSUP: 95,
  ESHUTDOWN: 108,
} as const;

/**
 * The size constraints this server announces with NBD_INFO_BLOCK_SIZE. The maximum payload is the
 * protocol's default of 2^25 bytes (proto.md, "Size constraints"); a larger request is refused.
 */
export const BLOCK_SIZE = { minimum: 1, preferred: 4096, maximumPayload: 2 ** 25 } as const;

/** The longest option data the server reads: NBD strings are at most 4096 bytes (proto.md, "Conventions"). */
export const MAX_OPTION_LENGTH = 4096 + 64;
/** The most options one client may send before it chooses an export. */
export const MAX_OPTIONS = 64;
