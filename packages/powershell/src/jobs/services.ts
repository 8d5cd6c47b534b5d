/**
 * What the run gives a cmdlet beyond its pipeline (CmdletContext.services): the session with its
 * jobs, the clock to wait on, the run's step budget, and the error records of its own command.
 */
import type { ErrorRecord, PsError } from '../errors.js';
import { commandErrorRecord } from '../errors.js';
import type { RemoteComputers } from '../cmdlets/remoteOutcome.js';
import type { CommandInfo } from '../runtime/commandInfo.js';
import type { RunOptions } from '../runtime/runOptions.js';
import type { Variables } from '../runtime/variables.js';
import type { RunClock } from './clock.js';
import type { JobError } from './job.js';
import { PowerShellSession } from './session.js';

/** How often a wait looks at what it waits for, and at the run's stop flag (Ctrl+C), in ms. */
export const WAIT_TICK_MS = 100;

export interface RunServices {
  session: PowerShellSession;
  clock: RunClock;
  /** The text of the command running now (a job's Command). */
  commandText: string;
  /** This command's record of an error, as the console would print it now. */
  recordOf(error: PsError): ErrorRecord;
  /** Writes a record kept by a job (Receive-Job), counted in `$?` and `$Error` like any other. */
  writeRecord(error: JobError): void;
  /** The other servers `-ComputerName` reaches (RunOptions.remoteComputers). */
  remoteComputers?: RemoteComputers;
  /**
   * Waits until `done()` holds or `timeoutMs` passed (null: no end), looking every WAIT_TICK_MS or
   * when `wake` settles. Every look is a step of the run, so a stop or the step limit ends the wait.
   * Resolves whether `done()` held.
   */
  waitUntil(
    done: () => boolean,
    timeoutMs: number | null,
    wake?: Promise<unknown>,
  ): Promise<boolean>;
}

/** What the runner gives (pipeline.ts's Runner). */
export interface ServicesRunner {
  readonly script: string;
  readonly options: RunOptions;
  pushRecord(record: ErrorRecord, error: PsError): void;
}

/** Runs built without a session (a Runner made directly) get one of their own. */
const ownSessions = new WeakMap<object, PowerShellSession>();

function sessionOf(runner: ServicesRunner): PowerShellSession {
  const given = runner.options.session;
  if (given) return given;
  let own = ownSessions.get(runner);
  if (own === undefined) {
    own = new PowerShellSession();
    ownSessions.set(runner, own);
  }
  return own;
}

export function runServices(
  runner: ServicesRunner,
  variables: Variables,
  info: CommandInfo,
): RunServices {
  const session = sessionOf(runner);
  const clock = session.clock;
  return {
    session,
    clock,
    commandText: runner.script.slice(info.extent.start, info.extent.end),
    recordOf: (error) =>
      commandErrorRecord(
        runner.script,
        error,
        info.invocationName,
        info.def?.name ?? '',
        info.def?.className ?? '',
        error.extent ?? info.extent,
      ),
    writeRecord: ({ record, error }) => runner.pushRecord(record, error),
    ...(runner.options.remoteComputers ? { remoteComputers: runner.options.remoteComputers } : {}),
    async waitUntil(done, timeoutMs, wake) {
      const start = clock.now();
      for (;;) {
        if (done()) return true;
        const elapsed = clock.now() - start;
        if (timeoutMs !== null && elapsed >= timeoutMs) return false;
        const tick =
          timeoutMs === null ? WAIT_TICK_MS : Math.min(WAIT_TICK_MS, timeoutMs - elapsed);
        await Promise.race(wake ? [clock.sleep(tick), wake] : [clock.sleep(tick)]);
        variables.budget.step();
      }
    },
  };
}
