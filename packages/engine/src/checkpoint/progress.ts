import type { HostContext, VmRuntime } from '../host/hostContext.js';
import { sleep } from '../ports.js';
import { emitVmChanged } from '../vm/vmView.js';

/** Shows "<label> (n%)" in the VM's Status column and spends a share of `totalMs` there. */
export async function showProgress(
  ctx: HostContext,
  vm: VmRuntime,
  label: string,
  percent: number,
  waitMs = 0,
): Promise<void> {
  vm.progress = `${label} (${percent}%)`;
  emitVmChanged(ctx, vm);
  await sleep(ctx.clock, waitMs);
}
