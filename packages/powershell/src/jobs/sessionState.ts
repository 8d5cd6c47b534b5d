/**
 * A session's variables and functions between runs: each run starts with what the last one left in
 * its global scope and leaves its own (functions are `function:<name>` variables). `$Error` keeps
 * its records across commands, the newest first, as in powershell.exe.
 */
import type { Variables } from '../runtime/variables.js';
import { maximumErrorCount } from '../runtime/errorRecords.js';
import type { PowerShellSession } from './session.js';

export function restoreSession(session: PowerShellSession, variables: Variables): void {
  const errors = variables.get('Error');
  for (const [name, value] of session.saved) {
    if (name === 'error') {
      // The run's own (empty) $Error list stays the one its records go to; the older ones follow.
      if (Array.isArray(errors) && Array.isArray(value))
        errors.push(...(value as unknown[]).slice(0, maximumErrorCount));
      continue;
    }
    variables.set(name, value);
  }
}

/** Keeps the run's variables for the next run; a run with a session of its own ends its jobs. */
export function saveSession(
  session: PowerShellSession,
  variables: Variables,
  ownSession: boolean,
): void {
  session.saved = variables.entries();
  if (ownSession) session.stopAll();
}
