/**
 * Host reads a run is about to make, asked for in one go. In the server a script runs on a worker
 * thread whose every host call crosses to the main thread and back (apps/server's script worker);
 * `Get-VM | Get-VMSnapshot` on 2,000 VMs made about 8,000 such crossings, one per VM and call. A
 * cmdlet that knows which reads its next input items need says so here, and a host that can (the
 * worker's) answers them all in one crossing; the cmdlet's own calls then take those answers, in
 * the same order and with the same errors, as if each had been asked alone. A host without the
 * ability (the engine's own, in process) ignores the hint: its calls cost no crossing.
 *
 * What was read ahead is the host as it was at that moment, as the objects Hyper-V's Get-VM returns
 * hold the values of the moment it read them; the answers are dropped at the end of the command
 * that asked, and the worker drops them at the script's first call that may change the host.
 *
 * A host may also fetch the next window's reads while the current one is used (at most that one
 * window ahead, so what is held stays bounded): the worker's main thread then reads while the
 * worker formats. A window fetched ahead is used only if nothing was asked of the host since it
 * was asked other than the reads it holds answers for; any other call drops it, so no answer
 * older than the script's own last change is ever used.
 */
import type { Host } from '@hvm/engine';

/** The read-only host methods a cmdlet may read ahead. */
export type ReadAheadMethod = 'getVm' | 'getVmSummary' | 'listCheckpoints' | 'info';

export interface HostRead {
  method: ReadAheadMethod;
  args: unknown[];
}

/** A host that answers many reads in one go holds a function under this key. */
export const hostReadAheadKey: unique symbol = Symbol.for('@hvm/powershell.hostReadAhead');

/**
 * Reads `reads` ahead for the items about to be used, and may fetch `next` (the window after
 * them) while those are used; an empty list drops what was read ahead and not used.
 */
export type HostReadAhead = (reads: readonly HostRead[], next?: readonly HostRead[]) => void;

/**
 * Items read ahead at a time, so that what is held stays bounded whatever the input's size. A
 * window's answers live until its last item is used: measured on `Get-VM | Get-VMSnapshot` over
 * 2,000 VMs of 50 checkpoints (apps/bench's host, same run), windows of 500 cost about a quarter
 * more processor time than windows of 100 (likely the worker's garbage collector moving answers
 * that outlive its young generation); the extra crossings cost less than that.
 */
export const READ_AHEAD_WINDOW = 100;

export function readAhead(
  host: Host,
  reads: readonly HostRead[],
  next: readonly HostRead[] = [],
): void {
  const ahead = (host as unknown as Record<symbol, unknown>)[hostReadAheadKey];
  if (typeof ahead === 'function') (ahead as HostReadAhead)(reads, next);
}

/**
 * Calls `each` for every item, reading ahead what the next `READ_AHEAD_WINDOW` items need before
 * their turn comes (and naming the window after, which the host may fetch meanwhile), and dropping
 * what is left unused at the end.
 */
export async function withReadAhead<T>(
  host: Host,
  items: readonly T[],
  readsOf: (window: readonly T[]) => HostRead[],
  each: (item: T, index: number) => Promise<void> | void,
): Promise<void> {
  const windowReads = (from: number): HostRead[] =>
    from < items.length ? readsOf(items.slice(from, from + READ_AHEAD_WINDOW)) : [];
  try {
    let next: HostRead[] | null = null;
    for (let at = 0; at < items.length; at++) {
      if (at % READ_AHEAD_WINDOW === 0) {
        const now = next ?? windowReads(at);
        next = windowReads(at + READ_AHEAD_WINDOW);
        readAhead(host, now, next);
      }
      await each(items[at] as T, at);
    }
  } finally {
    readAhead(host, []);
  }
}
