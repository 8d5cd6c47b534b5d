/**
 * PowerShell runs on one host go one at a time, in arrival order, so that two consoles never
 * interleave their pipelines. At most `maxWaiting` runs wait behind the running one; another is
 * refused at once (RunQueueFullError) instead of piling up.
 */
import type { Host } from '@hvm/engine';

export class RunQueueFullError extends Error {
  override readonly name = 'RunQueueFullError';
  constructor(readonly waiting: number) {
    super(`${waiting} PowerShell runs are already waiting for this host.`);
  }
}

const tails = new WeakMap<Host, Promise<void>>();
/** Runs queued on a host and not yet settled: the running one and those waiting behind it. */
const pendingCount = new WeakMap<Host, number>();

/** Runs `work` after every run queued before it on `host` has settled; throws RunQueueFullError. */
export function runQueued<T>(
  host: Host,
  work: () => Promise<T>,
  maxWaiting = Number.POSITIVE_INFINITY,
): Promise<T> {
  const pending = pendingCount.get(host) ?? 0;
  const waiting = Math.max(0, pending - 1);
  if (pending > 0 && waiting >= maxWaiting) throw new RunQueueFullError(waiting);
  pendingCount.set(host, pending + 1);
  const previous = tails.get(host) ?? Promise.resolve();
  const result = previous
    .then(work)
    .finally(() => pendingCount.set(host, (pendingCount.get(host) ?? 1) - 1));
  tails.set(
    host,
    result.then(
      () => undefined,
      () => undefined,
    ),
  );
  return result;
}
