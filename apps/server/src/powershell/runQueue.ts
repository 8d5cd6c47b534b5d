/**
 * PowerShell runs on one host go one at a time, in arrival order, so that two consoles never
 * interleave their pipelines.
 */
import type { Host } from '@hvm/engine';

const tails = new WeakMap<Host, Promise<void>>();

/** Runs `work` after every run queued before it on `host` has settled. */
export function runQueued<T>(host: Host, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(host) ?? Promise.resolve();
  const result = previous.then(work);
  tails.set(
    host,
    result.then(
      () => undefined,
      () => undefined,
    ),
  );
  return result;
}
