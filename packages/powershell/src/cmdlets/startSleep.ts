/**
 * Start-Sleep (Microsoft.PowerShell.Utility): waits -Seconds or -Milliseconds on the session's
 * clock. The wait looks at the run every WAIT_TICK_MS, each look a step: Ctrl+C, the stop API and
 * the time limit end it, and a script cannot sleep past its limits.
 */
import { PsError } from '../errors.js';
import type { CmdletDef } from './types.js';

/**
 * ValidateRange on -Seconds and -Milliseconds: ParameterBinderStrings ParameterArgumentValidationError
 * with Metadata.resx ValidateRangeSmallerThanMinRangeFailure.
 */
function belowMinimum(parameter: string, value: number): PsError {
  return new PsError(
    `Cannot validate argument on parameter '${parameter}'. The ${value} argument is less than the minimum allowed range of 0. Supply an argument that is greater than or equal to 0 and then try the command again.`,
    {
      category: 'InvalidData',
      errorId: 'ParameterArgumentValidationError',
      exceptionType: 'ParameterBindingValidationException',
      reach: 'statement',
    },
  );
}

export const startSleep: CmdletDef = {
  name: 'Start-Sleep',
  aliases: ['sleep'],
  className: 'Microsoft.PowerShell.Commands.StartSleepCommand',
  parameterSets: [
    { name: 'Seconds', mandatory: ['Seconds'] },
    { name: 'Milliseconds', mandatory: ['Milliseconds'] },
  ],
  params: [
    { name: 'Seconds', type: 'int', position: 0, netType: 'System.Int32', pipelineByValue: true },
    { name: 'Milliseconds', type: 'int', aliases: ['ms'], netType: 'System.Int32' },
  ],
  async process(ctx, params) {
    const services = ctx.services;
    let ms = 0;
    if (typeof params.Seconds === 'number') {
      if (params.Seconds < 0) throw belowMinimum('Seconds', params.Seconds);
      ms = Math.floor(params.Seconds) * 1000;
    } else if (typeof params.Milliseconds === 'number') {
      if (params.Milliseconds < 0) throw belowMinimum('Milliseconds', params.Milliseconds);
      ms = Math.floor(params.Milliseconds);
    }
    if (services === undefined || ms === 0) return;
    await services.waitUntil(() => false, ms);
  },
};
