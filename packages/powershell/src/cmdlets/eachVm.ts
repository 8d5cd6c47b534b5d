/**
 * Hyper-V cmdlets given several VMs (`-Name NoSuch, Web-01`, `-VMName A, B`, VM objects) act on
 * each one in turn: a name that finds no VM gets Hyper-V's "unable to find" record, and a VM whose
 * operation fails gets its own record, while the cmdlet goes on with the rest, as the Hyper-V
 * module writes a non-terminating error per VM (Stop-VM -Name NoSuch, Web-01 stops Web-01).
 * `-ErrorAction Stop` still ends the cmdlet at the first record: the record is thrown where it is
 * written.
 */
import type { VmSummary } from '@hvm/engine';
import { EngineError } from '@hvm/engine';
import { PsError, fromEngineError } from '../errors.js';
import { targetVms, vmNotFoundError } from './objects.js';
import type { Bound, CmdletContext } from './types.js';

/** The VMs named by `nameParam` (or given as -VM objects); each name that finds none is reported. */
export function vmsOf(ctx: CmdletContext, params: Bound, nameParam = 'VMName'): VmSummary[] {
  return targetVms(ctx.host, params, nameParam, (name) => ctx.writeError(vmNotFoundError(name)));
}

/**
 * Runs `act` for each target; a failure of one (an engine refusal or a non-terminating record) is
 * written as that target's error record and the next one runs. Anything else (a statement- or
 * script-terminating error, a stop, an exceeded limit) ends the cmdlet as before.
 */
export async function forEachTarget<T>(
  ctx: CmdletContext,
  targets: readonly T[],
  act: (target: T) => Promise<void>,
): Promise<void> {
  for (const target of targets) {
    try {
      await act(target);
    } catch (error) {
      if (error instanceof EngineError) ctx.writeError(fromEngineError(error));
      else if (error instanceof PsError && error.reach === 'non-terminating') ctx.writeError(error);
      else throw error;
    }
  }
}
