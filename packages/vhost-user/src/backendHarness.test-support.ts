/**
 * The back end driven directly, as the control channel would: each message handled with its
 * descriptors, the reply (REPLY_ACK's u64, or a GET_*'s first u64) given back.
 */
import { memoryBlockExport } from '@hvm/nbd';
import { VhostUserBlkBackend } from './backend.js';
import { BlockRequestHandler } from './blockRequests.js';
import type { ControlChannel } from './controlChannel.js';
import { fdWatcher } from './fdWatcher.js';
import { libcCalls } from './libc.js';
import { FLAG_NEED_REPLY } from './protocol.js';

export function u64(value: bigint): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value, true);
  return bytes;
}

export function backendWithReplies(blockExport = memoryBlockExport(1024 * 1024)): {
  counts: { reads: number; writes: number; flushes: number; discards: number; errors: number };
  send(request: number, payload: Uint8Array, fds?: number[]): Promise<bigint | null>;
  shutdown(): Promise<void>;
} {
  const calls = libcCalls();
  if (calls === null) throw new Error('no C library calls on this host');
  const replies: bigint[] = [];
  const channel = {
    reply: (_request: number, _flags: number, payload: Uint8Array) =>
      replies.push(new DataView(payload.buffer).getBigUint64(0, true)),
  } as unknown as ControlChannel;
  const counts = { reads: 0, writes: 0, flushes: 0, discards: 0, errors: 0 };
  const backend = new VhostUserBlkBackend(
    calls,
    channel,
    fdWatcher(),
    blockExport,
    new BlockRequestHandler(blockExport, counts, new Uint8Array(0)),
    () => undefined,
    128,
  );
  return {
    counts,
    async send(request, payload, fds = []) {
      await backend.handle({ request, flags: 0x1 | FLAG_NEED_REPLY, payload, fds });
      return replies.pop() ?? null;
    },
    shutdown: () => backend.shutdown(),
  };
}
