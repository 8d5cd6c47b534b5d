import { describe, expect, it } from 'vitest';
import { EnvError, readEnv } from '../env.js';
import { defaultPowerShellLimits, readPowerShellLimits } from './limits.js';

describe('readPowerShellLimits', () => {
  it('takes the defaults when nothing is set', () => {
    expect(readPowerShellLimits({})).toEqual(defaultPowerShellLimits);
  });

  it('reads every HYPERV_POWERSHELL_* variable', () => {
    const limits = readPowerShellLimits({
      HYPERV_POWERSHELL_TIME_LIMIT_SECONDS: '5',
      HYPERV_POWERSHELL_MAX_STEPS: '1000',
      HYPERV_POWERSHELL_MAX_OUTPUT_CHARS: '2000',
      HYPERV_POWERSHELL_MAX_OUTPUT_OBJECTS: '30',
      HYPERV_POWERSHELL_MAX_COLLECTION_ITEMS: '400',
      HYPERV_POWERSHELL_MAX_STRING_LENGTH: '500',
      HYPERV_POWERSHELL_MAX_QUEUED_RUNS: '2',
      HYPERV_POWERSHELL_PROMPT_TIMEOUT_SECONDS: '7',
      HYPERV_POWERSHELL_WORKER_MEMORY_MB: '128',
      HYPERV_POWERSHELL_MAX_SESSIONS: '3',
      HYPERV_POWERSHELL_SESSIONS_PER_USER: '2',
      HYPERV_POWERSHELL_SESSION_IDLE_MINUTES: '9',
      HYPERV_POWERSHELL_MAX_JOBS: '11',
      HYPERV_POWERSHELL_MAX_JOB_ITEMS: '12',
    });
    expect(limits).toEqual({
      run: {
        maxSteps: 1000,
        maxOutputChars: 2000,
        maxOutputObjects: 30,
        maxCollectionItems: 400,
        maxStringLength: 500,
      },
      timeLimitMs: 5000,
      maxQueuedRuns: 2,
      promptTimeoutMs: 7000,
      stopGraceMs: defaultPowerShellLimits.stopGraceMs,
      workerMemoryMb: 128,
      maxSessions: 3,
      sessionsPerUser: 2,
      sessionIdleMs: 9 * 60_000,
      maxJobsPerSession: 11,
      maxJobItems: 12,
    });
  });

  it.each(['0', '-1', 'abc', '1.5'])(
    'refuses HYPERV_POWERSHELL_TIME_LIMIT_SECONDS=%s at start with a clear message',
    (value) => {
      expect(() => readEnv({ HYPERV_POWERSHELL_TIME_LIMIT_SECONDS: value }, '/repo')).toThrow(
        EnvError,
      );
      expect(() => readEnv({ HYPERV_POWERSHELL_TIME_LIMIT_SECONDS: value }, '/repo')).toThrow(
        'HYPERV_POWERSHELL_TIME_LIMIT_SECONDS must be a whole number from 1 to 86400',
      );
    },
  );
});
