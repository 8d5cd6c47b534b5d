/**
 * The job cmdlets of the session (about_Jobs): Get-Job, Wait-Job, Receive-Job, Stop-Job and
 * Remove-Job over the jobs `-AsJob` starts. Messages and error ids are PowerShell's own
 * (RemotingErrorIdStrings.resx; JobCmdletBase/RemoveJob.cs, WaitJob.cs in PowerShell/PowerShell).
 */
import { PsError } from '../errors.js';
import { hasWildcard } from '../runtime/evaluate.js';
import { toPsString } from '../runtime/values.js';
import type { JobState, PsJob } from '../jobs/job.js';
import { JOB_TYPE, isFinished, jobOf } from '../jobs/job.js';
import type { RunServices } from '../jobs/services.js';
import { nameMatcher } from './objects.js';
import type { Bound, CmdletContext, CmdletDef, ParamDef } from './types.js';

const cls = (name: string): string => `Microsoft.PowerShell.Commands.${name}Command`;

const jobStates: readonly JobState[] = ['NotStarted', 'Running', 'Completed', 'Failed', 'Stopped'];

const jobParam: ParamDef = {
  name: 'Job',
  type: 'object[]',
  objectTypes: [JOB_TYPE],
  position: 0,
  pipelineByValue: true,
};
const idParam: ParamDef = { name: 'Id', type: 'any[]', position: 0, netType: 'System.Int32' };
const nameParam: ParamDef = { name: 'Name', type: 'string[]' };
const stateParam: ParamDef = {
  name: 'State',
  type: 'enum',
  enumValues: [...jobStates, 'Blocked', 'Suspended', 'Disconnected', 'Suspending', 'Stopping'],
  enumType: 'System.Management.Automation.JobState',
};

function servicesOf(ctx: CmdletContext): RunServices {
  const services = ctx.services;
  if (services === undefined) throw new Error('The job cmdlets need the run services.');
  return services;
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** JobWithSpecifiedSessionIdNotFound, written as JobCmdletBase does (ObjectNotFound, the id). */
function idNotFound(id: number): PsError {
  return new PsError(
    `The command cannot find a job with the job ID ${id}. Verify the value of the Id parameter and then try the command again.`,
    {
      category: 'ObjectNotFound',
      errorId: 'JobWithSpecifiedSessionNotFound',
      exceptionType: 'PSArgumentException',
      target: String(id),
      targetType: 'Int32',
    },
  );
}

function nameNotFound(name: string): PsError {
  return new PsError(
    `The command cannot find the job because the job name ${name} was not found. Verify the value of the Name parameter, and then try the command again.`,
    {
      category: 'ObjectNotFound',
      errorId: 'JobWithSpecifiedNameNotFound',
      exceptionType: 'PSArgumentException',
      target: name,
      targetType: 'String',
    },
  );
}

/** The jobs named by -Job, -Id, -Name or -State; with none of them, every job of the session. */
function selectJobs(ctx: CmdletContext, params: Bound): PsJob[] {
  const session = servicesOf(ctx).session;
  const found: PsJob[] = [];
  const add = (job: PsJob): void => {
    if (!found.includes(job)) found.push(job);
  };
  if (params.Job !== undefined) {
    for (const value of list(params.Job)) {
      const job = jobOf(value);
      if (job) add(job);
    }
    return found;
  }
  if (params.Id !== undefined) {
    // `Get-Job Job1`: a name where the id goes binds to -Name in PowerShell (the Name set).
    const names = list(params.Id).filter((v) => typeof v === 'string' && !/^\s*\d+\s*$/.test(v));
    if (names.length > 0) return selectJobs(ctx, { Name: names });
    for (const value of list(params.Id)) {
      const id = Number(value);
      const job = session.jobs.find((j) => j.id === id);
      if (job) add(job);
      else ctx.writeError(idNotFound(id));
    }
    return found;
  }
  if (params.Name !== undefined) {
    for (const name of list(params.Name).map(toPsString)) {
      const matches = session.jobs.filter((j) => nameMatcher(name)(j.name));
      if (matches.length === 0 && !hasWildcard(name)) ctx.writeError(nameNotFound(name));
      matches.forEach(add);
    }
    return found;
  }
  if (typeof params.State === 'string') return session.inState(params.State as JobState);
  return [...session.jobs];
}

const getJob: CmdletDef = {
  name: 'Get-Job',
  aliases: ['gjb'],
  className: cls('GetJob'),
  params: [idParam, nameParam, stateParam],
  process(ctx, params) {
    for (const job of selectJobs(ctx, params)) ctx.write(job.object);
    return Promise.resolve();
  },
};

/** Timeout in seconds; -1 (the default) waits as long as it takes (WaitJob.cs). */
function timeoutMs(params: Bound): number | null {
  const seconds = typeof params.Timeout === 'number' ? params.Timeout : -1;
  return seconds < 0 ? null : seconds * 1000;
}

/**
 * Wait-Job: waits until every job (with -Any, one job) is finished, then writes the finished jobs
 * (with -Any, the first). When -Timeout passes first, it writes nothing and no error (WaitJob.cs,
 * EndProcessingDoNothing; about Wait-Job: "Wait-Job does not display any error message").
 */
const waitJob: CmdletDef = {
  name: 'Wait-Job',
  aliases: ['wjb'],
  className: cls('WaitJob'),
  params: [
    jobParam,
    idParam,
    nameParam,
    stateParam,
    { name: 'Any', type: 'switch' },
    { name: 'Timeout', type: 'int', aliases: ['TimeoutSec'], netType: 'System.Int32' },
    { name: 'Force', type: 'switch' },
  ],
  async end(ctx, params, input) {
    const services = servicesOf(ctx);
    const given = input.length > 0 ? { ...params, Job: [...list(params.Job), ...input] } : params;
    const jobs = selectJobs(ctx, given);
    const any = params.Any === true;
    const finished = (): PsJob[] => jobs.filter((j) => isFinished(j.state));
    const done = (): boolean =>
      any ? finished().length > 0 || jobs.length === 0 : finished().length === jobs.length;
    const wake = Promise.race(jobs.map((j) => j.finished));
    if (!(await services.waitUntil(done, timeoutMs(params), wake))) return;
    const out = any ? finished().slice(0, 1) : finished();
    for (const job of out) ctx.write(job.object);
  },
};

const quietOrStop = new Set(['SilentlyContinue', 'Ignore', 'Stop']);

/** Receive-Job: the job's output, error records and warnings not yet received, in order. */
const receiveJob: CmdletDef = {
  name: 'Receive-Job',
  aliases: ['rcjb'],
  className: cls('ReceiveJob'),
  params: [
    jobParam,
    idParam,
    nameParam,
    { name: 'Keep', type: 'switch' },
    { name: 'Wait', type: 'switch' },
    { name: 'AutoRemoveJob', type: 'switch' },
    { name: 'WriteJobInResults', type: 'switch' },
  ],
  async process(ctx, params) {
    const services = servicesOf(ctx);
    for (const job of selectJobs(ctx, params)) {
      if (params.Wait === true)
        await services.waitUntil(() => isFinished(job.state), null, job.finished);
      const items = params.Keep === true ? [...job.unreceived] : job.unreceived.splice(0);
      for (const item of items) {
        if (item.kind === 'output') ctx.write(item.value);
        else if (item.kind === 'warning') ctx.writeWarning(item.value);
        else if (quietOrStop.has(toPsString(params.ErrorAction)))
          // -ErrorAction SilentlyContinue, Ignore and Stop act as on any error of this command.
          ctx.writeError(item.value.error);
        else services.writeRecord(item.value);
      }
      if (params.Wait === true && params.AutoRemoveJob === true && isFinished(job.state))
        services.session.remove(job);
    }
  },
};

const stopJob: CmdletDef = {
  name: 'Stop-Job',
  aliases: ['spjb'],
  className: cls('StopJob'),
  shouldProcess: true,
  params: [jobParam, idParam, nameParam, stateParam, { name: 'PassThru', type: 'switch' }],
  async process(ctx, params) {
    for (const job of selectJobs(ctx, params)) {
      if (!(await ctx.shouldProcess(job.command))) continue;
      job.finish('Stopped');
      if (params.PassThru === true) ctx.write(job.object);
    }
  },
};

/**
 * Remove-Job: a job that is not finished is removed only with -Force (which stops it first);
 * otherwise RemoveJob.CheckJobCanBeRemoved writes JobWithSpecifiedSessionIdNotCompleted.
 * [B] The CategoryInfo target is the job object, whose text we do not know for Hyper-V's jobs:
 * it is left empty.
 */
const removeJob: CmdletDef = {
  name: 'Remove-Job',
  aliases: ['rjb'],
  className: cls('RemoveJob'),
  shouldProcess: true,
  params: [jobParam, idParam, nameParam, stateParam, { name: 'Force', type: 'switch' }],
  async process(ctx, params) {
    const services = servicesOf(ctx);
    for (const job of selectJobs(ctx, params)) {
      if (!isFinished(job.state) && params.Force !== true) {
        const message =
          params.Name !== undefined
            ? `The command cannot remove the job with the job ID ${job.id} and the name ${job.name} because the job is not finished. To remove the job, first stop the job, or use the Force parameter.`
            : `The command cannot remove the job with the job ID ${job.id} because the job is not finished. To remove the job, first stop the job, or use the Force parameter.`;
        ctx.writeError(
          new PsError(message, {
            category: 'InvalidOperation',
            errorId: 'JobObjectNotFinishedCannotBeRemoved',
            exceptionType: 'ArgumentException',
          }),
        );
        continue;
      }
      if (!(await ctx.shouldProcess(job.command))) continue;
      job.finish('Stopped');
      services.session.remove(job);
    }
  },
};

export const jobCmdlets: CmdletDef[] = [getJob, waitJob, receiveJob, stopJob, removeJob];
