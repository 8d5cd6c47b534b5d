/**
 * The limits of PowerShell runs on the server, read from the environment by env.ts:
 *
 * - `HYPERV_POWERSHELL_TIME_LIMIT_SECONDS` (default 60): wall-clock time of one run (not counting
 *   the time it waits at a prompt; each answer starts the limit again); past it the script is asked
 *   to stop and, if it cannot, its worker is ended.
 * - `HYPERV_POWERSHELL_MAX_STEPS` (default 5000000): expressions, statements and pipeline items.
 * - `HYPERV_POWERSHELL_MAX_OUTPUT_CHARS` (default 4000000) and `HYPERV_POWERSHELL_MAX_OUTPUT_OBJECTS`
 *   (default 100000): console text and output objects of one run.
 * - `HYPERV_POWERSHELL_MAX_COLLECTION_ITEMS` (default 100000) and
 *   `HYPERV_POWERSHELL_MAX_STRING_LENGTH` (default 10000000): one array or string a script builds.
 * - `HYPERV_POWERSHELL_MAX_QUEUED_RUNS` (default 8): runs waiting for their turn on the host; more
 *   are refused with 429 and `Retry-After`.
 * - `HYPERV_POWERSHELL_PROMPT_TIMEOUT_SECONDS` (default 300): an unanswered prompt ends its run.
 * - `HYPERV_POWERSHELL_WORKER_MEMORY_MB` (default 512): the heap of the worker thread running a script
 *   (its old generation; the young generation adds 64 MB, scriptWorkers.ts).
 *   A script whose heap grows past it is ended with its worker; but one allocation far beyond it (a
 *   string of hundreds of MB) aborts the whole process in V8 ("Reached heap limit"), which is why
 *   the string and array limits are checked before such values are built.
 * - Console sessions (sessions.ts): `HYPERV_POWERSHELL_MAX_SESSIONS` (default 16) in all, each with
 *   a worker thread of its own; `HYPERV_POWERSHELL_SESSIONS_PER_USER` (default 4: a further one ends
 *   that user's least recently used session); `HYPERV_POWERSHELL_SESSION_IDLE_MINUTES` (default 30);
 *   `HYPERV_POWERSHELL_MAX_JOBS` (default 100) jobs per session and `HYPERV_POWERSHELL_MAX_JOB_ITEMS`
 *   (default 10000) output items each job keeps for Receive-Job.
 */
import type { RunLimits } from '@hvm/powershell';
import { defaultRunLimits } from '@hvm/powershell';

export interface PowerShellLimits {
  run: RunLimits;
  timeLimitMs: number;
  maxQueuedRuns: number;
  promptTimeoutMs: number;
  /** How long a run asked to stop may take to do so before its worker is ended. */
  stopGraceMs: number;
  workerMemoryMb: number;
  /** Console sessions (sessions.ts): in all, per user, and their idle time. */
  maxSessions: number;
  sessionsPerUser: number;
  sessionIdleMs: number;
  /** Jobs a session holds, and the output items each job keeps for Receive-Job. */
  maxJobsPerSession: number;
  maxJobItems: number;
}

export const defaultPowerShellLimits: PowerShellLimits = {
  run: defaultRunLimits,
  timeLimitMs: 60_000,
  maxQueuedRuns: 8,
  promptTimeoutMs: 300_000,
  stopGraceMs: 2_000,
  workerMemoryMb: 512,
  maxSessions: 16,
  sessionsPerUser: 4,
  sessionIdleMs: 30 * 60_000,
  maxJobsPerSession: 100,
  maxJobItems: 10_000,
};

export class PowerShellLimitsError extends Error {
  override readonly name = 'PowerShellLimitsError';
}

type EnvSource = Readonly<Record<string, string | undefined>>;

function wholeNumber(source: EnvSource, name: string, fallback: number, max: number): number {
  const raw = source[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = raw.trim();
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max)
    throw new PowerShellLimitsError(
      `${name} must be a whole number from 1 to ${max}, got "${raw}".`,
    );
  return Number(value);
}

/** Reads the limits; throws a PowerShellLimitsError with a clear message when one is wrong. */
export function readPowerShellLimits(source: EnvSource): PowerShellLimits {
  const d = defaultPowerShellLimits;
  return {
    run: {
      maxSteps: wholeNumber(source, 'HYPERV_POWERSHELL_MAX_STEPS', d.run.maxSteps, 1e10),
      maxOutputChars: wholeNumber(
        source,
        'HYPERV_POWERSHELL_MAX_OUTPUT_CHARS',
        d.run.maxOutputChars,
        1e9,
      ),
      maxOutputObjects: wholeNumber(
        source,
        'HYPERV_POWERSHELL_MAX_OUTPUT_OBJECTS',
        d.run.maxOutputObjects,
        1e8,
      ),
      maxCollectionItems: wholeNumber(
        source,
        'HYPERV_POWERSHELL_MAX_COLLECTION_ITEMS',
        d.run.maxCollectionItems,
        1e8,
      ),
      maxStringLength: wholeNumber(
        source,
        'HYPERV_POWERSHELL_MAX_STRING_LENGTH',
        d.run.maxStringLength,
        5e8,
      ),
    },
    timeLimitMs:
      wholeNumber(source, 'HYPERV_POWERSHELL_TIME_LIMIT_SECONDS', d.timeLimitMs / 1000, 86_400) *
      1000,
    maxQueuedRuns: wholeNumber(source, 'HYPERV_POWERSHELL_MAX_QUEUED_RUNS', d.maxQueuedRuns, 1000),
    promptTimeoutMs:
      wholeNumber(
        source,
        'HYPERV_POWERSHELL_PROMPT_TIMEOUT_SECONDS',
        d.promptTimeoutMs / 1000,
        86_400,
      ) * 1000,
    stopGraceMs: d.stopGraceMs,
    workerMemoryMb: wholeNumber(
      source,
      'HYPERV_POWERSHELL_WORKER_MEMORY_MB',
      d.workerMemoryMb,
      65_536,
    ),
    maxSessions: wholeNumber(source, 'HYPERV_POWERSHELL_MAX_SESSIONS', d.maxSessions, 1000),
    sessionsPerUser: wholeNumber(
      source,
      'HYPERV_POWERSHELL_SESSIONS_PER_USER',
      d.sessionsPerUser,
      1000,
    ),
    sessionIdleMs:
      wholeNumber(
        source,
        'HYPERV_POWERSHELL_SESSION_IDLE_MINUTES',
        d.sessionIdleMs / 60_000,
        10_080,
      ) * 60_000,
    maxJobsPerSession: wholeNumber(
      source,
      'HYPERV_POWERSHELL_MAX_JOBS',
      d.maxJobsPerSession,
      100_000,
    ),
    maxJobItems: wholeNumber(source, 'HYPERV_POWERSHELL_MAX_JOB_ITEMS', d.maxJobItems, 10_000_000),
  };
}
