import type { HostContext, VmRuntime } from '../host/hostContext.js';

/**
 * Whether the VM starts with the host: Automatic Start Action Start, or StartIfRunning when it was
 * running as the host stopped (`runningAtHostStop`), and only from Off or Saved, where Start may
 * begin.
 */
export function startsWithHost(vm: VmRuntime): boolean {
  if (vm.state !== 'Off' && vm.state !== 'Saved') return false;
  const action = vm.file.automaticStartAction ?? 'StartIfRunning';
  return action === 'Start' || (action === 'StartIfRunning' && vm.file.runningAtHostStop === true);
}

/**
 * The Automatic Start Action of every VM, in the background once the host is open: each VM due to
 * start waits its startup delay, then `start` runs (a Start as any other, holding the VM; a Saved
 * VM resumes from its saved state, an Off VM boots). The starts count as operations in flight, so
 * `whenIdle()` and `close()` wait for them; a startup delay does not (the host is idle meanwhile),
 * and closing the host ends the delays that are still running, starting nothing. A VM that is no
 * longer due when its delay ends (started, deleted) is left alone; `start` reports failures.
 */
export function startVmsWithHost(
  ctx: HostContext,
  start: (vm: VmRuntime) => Promise<unknown>,
): void {
  for (const vm of ctx.vms.values()) {
    if (!startsWithHost(vm)) continue;
    const delayMs = (vm.file.automaticStartDelaySeconds ?? 0) * 1000;
    const begin = (): void => {
      const work = (async () => {
        await Promise.resolve();
        if (ctx.closed || ctx.vms.get(vm.file.id) !== vm || !startsWithHost(vm)) return;
        await start(vm);
      })().catch(() => undefined);
      ctx.inFlight.add(work);
      void work.finally(() => ctx.inFlight.delete(work));
    };
    if (delayMs <= 0) {
      begin();
      continue;
    }
    const signal = ctx.closing.signal;
    const handle = ctx.clock.setTimeout(() => {
      signal.removeEventListener('abort', cancel);
      begin();
    }, delayMs);
    const cancel = (): void => ctx.clock.clearTimeout(handle);
    signal.addEventListener('abort', cancel, { once: true });
  }
}
