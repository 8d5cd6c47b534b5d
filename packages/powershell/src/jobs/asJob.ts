/**
 * `-AsJob` on the Hyper-V cmdlets whose reference page lists it: the cmdlet does in the foreground
 * what comes before its host operation (finding the VMs, -WhatIf and -Confirm, which may ask), and
 * the job object is written as soon as the host operation starts; the rest runs in the background
 * and what it writes goes to the job (Receive-Job). A cmdlet that ends before starting any host
 * operation (no such VM, -WhatIf) still returns its job, which holds its output and errors.
 *
 * [B] How Hyper-V splits its work between the foreground and the job is not documented; this is our
 * reading of "Runs the cmdlet as a background job" (the -AsJob parameter on each reference page).
 * One job is made per call of the cmdlet (per pipeline input object), as each call is one operation.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Host } from '@hvm/engine';
import { EngineError } from '@hvm/engine';
import { PsError, fromEngineError, nonInteractivePrompt } from '../errors.js';
import type { HostPrompter } from '../runtime/hostUi.js';
import type { CmdletContext, CmdletDef } from '../cmdlets/types.js';
import type { PsJob } from './job.js';
import type { RunServices } from './services.js';
import { WAIT_TICK_MS } from './services.js';

/**
 * The Hyper-V cmdlets with -AsJob in Microsoft's reference (windows-powershell-docs, docset
 * winserver2019-ps/hyper-v and winserver2012-ps/hyper-v): Set-VM, Rename-VMSnapshot and the Get-*
 * cmdlets have none.
 */
export const asJobCmdlets: readonly string[] = [
  'New-VM',
  'Remove-VM',
  'Start-VM',
  'Stop-VM',
  'Save-VM',
  'Suspend-VM',
  'Resume-VM',
  'Restart-VM',
  'Checkpoint-VM',
  'Restore-VMSnapshot',
  'Remove-VMSnapshot',
  'Export-VMSnapshot',
  'Import-VM',
  'Wait-VM',
];

/** The job whose background part is running now (set once its host operation started). */
const backgroundJob = new AsyncLocalStorage<{ detached: boolean }>();

/**
 * The run's prompter as jobs see it: a job's foreground part may ask (a -Confirm question before
 * the operation), its background part may not: it runs as under `powershell.exe -NonInteractive`
 * and its question fails with PowerShell's NonInteractive error, in the job (Receive-Job shows it),
 * instead of asking the user in the middle of a later command or waiting forever.
 */
export function jobAwarePrompter(prompt: HostPrompter): HostPrompter {
  return (hostPrompt) => {
    if (backgroundJob.getStore()?.detached === true) return Promise.reject(nonInteractivePrompt());
    return prompt(hostPrompt);
  };
}

/** A host whose first asynchronous call (an operation that takes time) tells `onOperation`. */
function watchedHost(host: Host, onOperation: () => void): Host {
  return new Proxy(host, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (result instanceof Promise) onOperation();
        return result;
      };
    },
  });
}

function asPsError(error: unknown): PsError {
  if (error instanceof PsError) return error;
  if (error instanceof EngineError) return fromEngineError(error);
  return new PsError(error instanceof Error ? error.message : String(error), {
    category: 'NotSpecified',
    errorId: 'RuntimeException',
    exceptionType: 'RuntimeException',
  });
}

/**
 * A wait inside a job (Wait-VM -AsJob): it is the job's work, so the command returns its job when
 * the wait begins. It looks on the session's clock until the job is stopped (Stop-Job, Remove-Job
 * -Force, the end of the session); it is not a step of the run that started it, which may be over.
 */
function jobWait(services: RunServices, job: PsJob, started: () => void): RunServices['waitUntil'] {
  return async (done, timeoutMs, wake) => {
    started();
    const { clock } = services.session;
    const start = clock.now();
    for (;;) {
      if (job.state === 'Stopped') return false;
      if (done()) return true;
      const elapsed = clock.now() - start;
      if (timeoutMs !== null && elapsed >= timeoutMs) return false;
      const tick = timeoutMs === null ? WAIT_TICK_MS : Math.min(WAIT_TICK_MS, timeoutMs - elapsed);
      await Promise.race(
        wake ? [clock.sleep(tick), wake, job.finished] : [clock.sleep(tick), job.finished],
      );
    }
  };
}

async function runAsJob(
  ctx: CmdletContext,
  run: (ctx: CmdletContext) => Promise<void>,
): Promise<void> {
  const services = ctx.services;
  if (services === undefined) return run(ctx);
  const job: PsJob = services.session.createJob(services.commandText);
  const scope = { detached: false };
  let started: () => void = () => undefined;
  const operationStarted = new Promise<'started'>((resolve) => {
    started = () => {
      scope.detached = true;
      resolve('started');
    };
  });
  const recordItem = (error: PsError): void =>
    job.write({ kind: 'error', value: { record: services.recordOf(error), error } });
  const jobCtx: CmdletContext = {
    ...ctx,
    host: watchedHost(ctx.host, started),
    write: (value) => job.write({ kind: 'output', value }),
    writeError: recordItem,
    writeWarning: (text) => job.write({ kind: 'warning', value: text }),
    services: { ...services, waitUntil: jobWait(services, job, started) },
  };
  job.state = 'Running';
  const work = backgroundJob
    .run(scope, () => run(jobCtx))
    .then(
      () => 'done' as const,
      (error: unknown) => ({ error }),
    );
  const first = await Promise.race([work, operationStarted]);
  if (typeof first === 'object') {
    const error = asPsError(first.error);
    // A statement-terminating error before any operation (a prompt in a non-interactive run,
    // Ctrl+C, a limit) belongs to the command, not to a job.
    if (error.reach !== 'non-terminating') {
      services.session.remove(job);
      throw first.error;
    }
  }
  void work.then((outcome) => {
    if (outcome === 'done') job.finish('Completed');
    else {
      recordItem(asPsError(outcome.error));
      job.finish('Failed');
    }
  });
  ctx.write(job.object);
}

/** Gives each cmdlet of `names` its -AsJob switch (done once, when the registry is built). */
export function addAsJobParameters(
  defs: CmdletDef[],
  names: readonly string[] = asJobCmdlets,
): void {
  for (const def of defs) {
    if (!names.includes(def.name) || def.params.some((p) => p.name === 'AsJob')) continue;
    def.params.push({ name: 'AsJob', type: 'switch' });
    const process = def.process?.bind(def);
    if (!process) continue;
    def.process = (ctx, params) => {
      if (params.AsJob !== true) return process(ctx, params);
      return runAsJob(ctx, (jobCtx) => process(jobCtx, params));
    };
  }
}
