/**
 * A background job (about_Jobs): what `-AsJob` returns and Get-Job lists. Its object has the
 * properties PowerShell's job table shows (Id, Name, PSJobTypeName, State, HasMoreData, Location,
 * Command) and reads the job's state when read, as a .NET Job object does.
 */
import type { ErrorRecord, PsError } from '../errors.js';
import { PsObject } from '../runtime/values.js';

export type JobState = 'NotStarted' | 'Running' | 'Completed' | 'Failed' | 'Stopped';

export const JOB_TYPE = 'System.Management.Automation.Job';

/** States a job does not leave (Job.IsFinishedState). */
export function isFinished(state: JobState): boolean {
  return state === 'Completed' || state === 'Failed' || state === 'Stopped';
}

/** One error the job's command wrote: its record as the console shows it, and the error. */
export interface JobError {
  record: ErrorRecord;
  error: PsError;
}

/** What a job wrote, in order: output objects, error records and warnings. */
export type JobItem =
  | { kind: 'output'; value: unknown }
  | { kind: 'error'; value: JobError }
  | { kind: 'warning'; value: string };

export class PsJob {
  state: JobState = 'NotStarted';
  /** What the job wrote and nobody received yet (Receive-Job takes it, -Keep leaves it). */
  readonly unreceived: JobItem[] = [];
  /** Items dropped because the job wrote more than its session keeps. */
  dropped = 0;
  private settle: () => void = () => undefined;
  /** Resolves when the job reaches a finished state. */
  readonly finished: Promise<void>;
  readonly object: PsObject;

  constructor(
    readonly id: number,
    readonly name: string,
    readonly command: string,
    /** The most items a job keeps for Receive-Job. */
    private readonly maxItems: number,
    /** PowerShell's job type name for this kind of job; empty when not known (see jobs.ts). */
    readonly typeName = '',
  ) {
    this.finished = new Promise((resolve) => {
      this.settle = resolve;
    });
    const props: Record<string, unknown> = {};
    const live = (name: string, get: () => unknown): void => {
      Object.defineProperty(props, name, { get, enumerable: true });
    };
    live('Id', () => this.id);
    live('Name', () => this.name);
    live('PSJobTypeName', () => this.typeName);
    live('State', () => this.state);
    live('HasMoreData', () => this.hasMoreData);
    live('Location', () => 'localhost');
    live('Command', () => this.command);
    this.object = new PsObject(JOB_TYPE, props);
    jobOfObject.set(this.object, this);
  }

  /** True while the job runs or has items not yet received (Job.HasMoreData). */
  get hasMoreData(): boolean {
    return !isFinished(this.state) || this.unreceived.length > 0;
  }

  write(item: JobItem): void {
    // A stopped job takes nothing more from an operation that was already under way.
    if (this.state === 'Stopped') return;
    if (this.unreceived.length >= this.maxItems) {
      this.dropped++;
      return;
    }
    this.unreceived.push(item);
  }

  /** Moves to a finished state once; later calls change nothing (a stopped job stays Stopped). */
  finish(state: 'Completed' | 'Failed' | 'Stopped'): void {
    if (isFinished(this.state)) return;
    this.state = state;
    this.settle();
  }
}

const jobOfObject = new WeakMap<PsObject, PsJob>();

/** The job a job object (Get-Job's output, `$job`) stands for. */
export function jobOf(value: unknown): PsJob | undefined {
  return value instanceof PsObject ? jobOfObject.get(value) : undefined;
}
