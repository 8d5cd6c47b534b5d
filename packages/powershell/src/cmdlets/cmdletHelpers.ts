/** Small helpers every utility cmdlet file shares. */
import { toArray } from '../runtime/values.js';
import type { Bound, CmdletContext } from './types.js';

export const cls = (name: string): string => `Microsoft.PowerShell.Commands.${name}`;

/** Pipeline input, or -InputObject when the command starts the pipeline. */
export function inputOf(params: Bound, input: unknown[]): unknown[] {
  return input.length === 0 && 'InputObject' in params ? toArray(params.InputObject) : input;
}

/** One unit of work on the run's budget (each item a cmdlet handles is a step). */
export function step(ctx: Pick<CmdletContext, 'variables'>): void {
  ctx.variables?.budget.step();
}
