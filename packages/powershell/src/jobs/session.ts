/**
 * A PowerShell session (a console's runspace): what one command leaves for the next, as in
 * powershell.exe. Its jobs (Get-Job, Receive-Job in a later command) and its variables and
 * functions (`$vm = Get-VM Web-01` in one command, `$vm.State` in the next) live here. A run is
 * given the session in `RunOptions.session`; without one, a run is a session of its own whose jobs
 * end with it (as powershell.exe ends its jobs when it exits).
 *
 * Everything is bounded: jobs in the session and the items each job keeps for Receive-Job. These
 * limits are this product's; PowerShell has none.
 */
import { PsError } from '../errors.js';
import type { RunClock } from './clock.js';
import { realClock } from './clock.js';
import type { JobState } from './job.js';
import { PsJob, isFinished } from './job.js';

export interface SessionLimits {
  /** Jobs the session holds at once (finished ones included until Remove-Job). */
  maxJobs: number;
  /** Output objects, error records and warnings one job keeps for Receive-Job. */
  maxJobItems: number;
}

export const defaultSessionLimits: SessionLimits = { maxJobs: 100, maxJobItems: 10_000 };

/** The session's global variables between runs (Variables.entries()). */
export type SavedVariables = [string, unknown][];

export class PowerShellSession {
  readonly limits: SessionLimits;
  private readonly table: PsJob[] = [];
  /** Job ids go up by two: PowerShell gives each job's child job the id after it (Job1, Job3...). */
  private nextId = 1;
  /** The variables and functions the last run left (restored at the start of the next). */
  saved: SavedVariables = [];

  constructor(
    limits: Partial<SessionLimits> = {},
    /** The clock Start-Sleep, Wait-Job and Wait-VM wait on. */
    readonly clock: RunClock = realClock,
  ) {
    this.limits = { ...defaultSessionLimits, ...limits };
  }

  get jobs(): readonly PsJob[] {
    return this.table;
  }

  /** A new job in the NotStarted state; throws when the session holds its most jobs. */
  createJob(command: string): PsJob {
    if (this.table.length >= this.limits.maxJobs)
      throw new PsError(
        `This session already holds ${this.limits.maxJobs} jobs; remove finished jobs with Remove-Job first. (a limit of this server, not a PowerShell error)`,
        {
          category: 'LimitsExceeded',
          errorId: 'SessionJobLimitExceeded',
          exceptionType: 'InvalidOperationException',
        },
      );
    const id = this.nextId;
    this.nextId += 2;
    const job = new PsJob(id, `Job${id}`, command, this.limits.maxJobItems);
    this.table.push(job);
    return job;
  }

  remove(job: PsJob): void {
    const at = this.table.indexOf(job);
    if (at !== -1) this.table.splice(at, 1);
  }

  /** How many jobs have not finished. */
  get running(): number {
    return this.table.filter((j) => !isFinished(j.state)).length;
  }

  /**
   * Ends the session's jobs, as powershell.exe does when it exits: the running ones are Stopped (an
   * engine operation already under way still finishes on the host).
   */
  stopAll(): void {
    for (const job of this.table) job.finish('Stopped');
  }

  /** Jobs in one of the states (Get-Job -State). */
  inState(state: JobState): PsJob[] {
    return this.table.filter((j) => j.state === state);
  }
}
