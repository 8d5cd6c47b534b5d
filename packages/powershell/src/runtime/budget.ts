/**
 * The limits of one run, so that no script can hold the machine: a step budget (every expression,
 * statement and pipeline item is a step), the size of strings and collections a script builds, and
 * the amount of output it keeps. These are this product's own limits, not PowerShell's: their
 * messages say so plainly and carry the error id `ScriptLimitExceeded` (PowerShell has no such
 * record), and each one ends the whole script as a terminating error, but for the console text:
 * PowerShell's console prints all of a script's output (a `Get-VM | Get-VMSnapshot` of 100,000
 * checkpoints included), so a script is not ended for the text it writes. The run keeps the first
 * `maxOutputChars` characters of it, counts the rest without keeping it, and ends with a line that
 * says how much was left out (omittedOutputNotice).
 *
 * A run can also be stopped from outside (the console's Ctrl+C): `shouldStop` is polled at every
 * step and the run ends as PowerShell's pipeline does when stopped (PipelineStoppedException,
 * "The pipeline has been stopped."; the console prints nothing for it and shows the prompt again).
 */
import { PsError } from '../errors.js';

export interface RunLimits {
  /** Expressions, statements and pipeline items a run may evaluate. */
  maxSteps: number;
  /** Characters of console text a run keeps (the rest is counted, not kept). */
  maxOutputChars: number;
  /** Output objects a run may produce. */
  maxOutputObjects: number;
  /** Items in one array a script builds (`@($a; $a)`, member enumeration, a pipeline's output). */
  maxCollectionItems: number;
  /** Characters in one string a script builds (expansion, methods, `ToString()`). */
  maxStringLength: number;
}

export const defaultRunLimits: RunLimits = {
  maxSteps: 5_000_000,
  maxOutputChars: 4_000_000,
  maxOutputObjects: 100_000,
  maxCollectionItems: 100_000,
  maxStringLength: 10_000_000,
};

/** The error id of every exceeded limit: ours, not one of PowerShell's. */
export const scriptLimitErrorId = 'ScriptLimitExceeded';
/** PowerShell's id for a stopped pipeline (System.Management.Automation.PipelineStoppedException). */
export const pipelineStoppedErrorId = 'PipelineStopped';

export function limitExceeded(message: string): PsError {
  return new PsError(`${message} (a limit of this server, not a PowerShell error)`, {
    category: 'LimitsExceeded',
    errorId: scriptLimitErrorId,
    exceptionType: 'ScriptLimitException',
    reach: 'script',
  });
}

/**
 * The line that ends a run whose console text was cut: ours (PowerShell's console has no such
 * limit), shown as a warning so that the console colours it, with what the script wrote in all.
 */
export function omittedOutputNotice(
  omittedChars: number,
  maxOutputChars: number,
  objects: number,
): string {
  const count = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;
  return (
    `WARNING: The output was cut after ${maxOutputChars} characters (a limit of this server, ` +
    `not of PowerShell): ${count(omittedChars, 'more character')} ${omittedChars === 1 ? 'was' : 'were'} not shown. ` +
    `The script wrote ${count(objects, 'output object')} in all and ran to its end. ` +
    'To see a part, filter or page the output (Where-Object, Select-Object -First/-Skip).\n'
  );
}

/** Why a run was asked to stop: the user (Ctrl+C, the stop API, a closed connection) or the clock. */
export type StopReason = 'stopped' | 'timeout';

export class RunBudget {
  readonly limits: RunLimits;
  steps = 0;
  private textEntriesCounted = 0;
  private textChars = 0;
  /** Characters of console text written past `maxOutputChars`, not kept. */
  omittedChars = 0;

  constructor(
    limits: Partial<RunLimits> = {},
    private readonly shouldStop: () => StopReason | null = () => null,
    /** Told the console text written since the last step, at the step after it was written. */
    private readonly onOutput: ((text: string) => void) | null = null,
    /** Set by the run: its console text and objects so far, checked at every step. */
    private output: { text: string[]; objects: readonly unknown[] } | null = null,
  ) {
    this.limits = { ...defaultRunLimits, ...limits };
  }

  watchOutput(output: { text: string[]; objects: readonly unknown[] }): void {
    this.output = output;
  }

  /** One unit of work: throws when the run was stopped or went over one of its limits. */
  step(): void {
    this.steps++;
    const stop = this.shouldStop();
    if (stop === 'stopped') throw pipelineStopped();
    if (stop === 'timeout') throw limitExceeded('The script ran longer than its time limit.');
    if (this.steps > this.limits.maxSteps)
      throw limitExceeded(`The script took more than ${this.limits.maxSteps} steps.`);
    this.checkOutput();
  }

  /**
   * Keeps the console text within `maxOutputChars` (what is written past it is counted in
   * `omittedChars` and dropped) and throws when the output objects went over their limit.
   */
  checkOutput(): void {
    if (this.output === null) return;
    const { text, objects } = this.output;
    const from = this.textEntriesCounted;
    const max = this.limits.maxOutputChars;
    for (; this.textEntriesCounted < text.length; this.textEntriesCounted++) {
      const entry = text[this.textEntriesCounted] ?? '';
      const room = max - this.textChars;
      if (entry.length > room) {
        this.omittedChars += entry.length - Math.max(room, 0);
        text.splice(this.textEntriesCounted);
        if (room > 0) text.push(entry.slice(0, room));
        this.textChars += Math.max(room, 0);
        this.textEntriesCounted = text.length;
        break;
      }
      this.textChars += entry.length;
    }
    if (this.onOutput !== null && this.textEntriesCounted > from)
      this.onOutput(text.slice(from, this.textEntriesCounted).join(''));
    if (objects.length > this.limits.maxOutputObjects)
      throw limitExceeded(
        `The script wrote more than ${this.limits.maxOutputObjects} output objects.`,
      );
  }

  /** Throws when a value the script built is an array or a string over its limit. */
  checkValue<T>(value: T): T {
    if (Array.isArray(value)) this.checkCollection(value.length);
    else if (typeof value === 'string') this.checkString(value.length);
    return value;
  }

  checkCollection(items: number): void {
    if (items > this.limits.maxCollectionItems)
      throw limitExceeded(
        `The script built an array of more than ${this.limits.maxCollectionItems} items.`,
      );
  }

  checkString(length: number): void {
    if (length > this.limits.maxStringLength)
      throw limitExceeded(
        `The script built a string of more than ${this.limits.maxStringLength} characters.`,
      );
  }
}

/**
 * What a stopped pipeline throws. PowerShell's message (PipelineStoppedException.Message) is "The
 * pipeline has been stopped." (System.Management.Automation resources, PipelineStoppedException);
 * the console does not print it on Ctrl+C, and neither does this product's result.
 */
export function pipelineStopped(): PsError {
  return new PsError('The pipeline has been stopped.', {
    category: 'OperationStopped',
    errorId: pipelineStoppedErrorId,
    exceptionType: 'PipelineStoppedException',
    reach: 'script',
  });
}
