import type { Host } from './host.js';
import type { HostContext } from './hostContext.js';

const contexts = new WeakMap<Host, HostContext>();

/** Links a Host to its internals, for the demo seeder and the test helpers of this package. */
export function registerContext(host: Host, ctx: HostContext): void {
  contexts.set(host, ctx);
}

export function contextOf(host: Host): HostContext {
  const ctx = contexts.get(host);
  if (ctx === undefined) throw new Error('this Host was not made by createHost');
  return ctx;
}
