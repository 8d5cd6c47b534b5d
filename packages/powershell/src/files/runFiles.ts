/**
 * The file system of a run and the script's location. The location belongs to the session (a
 * console keeps it from one command to the next, as powershell.exe keeps its location), and
 * starts at the file system's `home`. `$PWD` is set to it at the start of a run and by
 * Set-Location (about_Automatic_Variables: "$PWD Contains a path object that represents the full
 * path of the current directory location"); it is a PathInfo whose text is the path.
 */
import { PsError } from '../errors.js';
import { PsObject } from '../runtime/values.js';
import type { Variables } from '../runtime/variables.js';
import type { CmdletContext } from '../cmdlets/types.js';
import { FileFault } from './fileSystem.js';
import type { ScriptFileSystem } from './fileSystem.js';
import { fileError } from './fileErrors.js';
import type { ErrorReach } from '../errors.js';

export const pathInfoType = 'System.Management.Automation.PathInfo';

export interface RunFiles {
  readonly fs: ScriptFileSystem;
  location(): string;
  setLocation(path: string): void;
  /** `path` against the location; a bad path is the FileFault's record. */
  resolve(path: string, reach?: ErrorReach): string;
  /** A FileFault as its record; anything else is thrown on. */
  recordOf(error: unknown, reach?: ErrorReach): PsError;
}

const byBudget = new WeakMap<object, RunFiles>();
const locations = new WeakMap<object, string>();

export function pathInfo(path: string): PsObject {
  return new PsObject(pathInfoType, { Path: path });
}

/** Gives a run (its budget object, which every scope shares) its file system. */
export function attachRunFiles(
  variables: Variables,
  session: object,
  fs: ScriptFileSystem | undefined,
): void {
  if (!fs) return;
  const files: RunFiles = {
    fs,
    location: () => locations.get(session) ?? fs.home,
    setLocation(path) {
      locations.set(session, path);
      variables.set('PWD', pathInfo(path));
    },
    resolve(path, reach = 'non-terminating') {
      try {
        return fs.resolve(files.location(), path);
      } catch (error) {
        throw files.recordOf(error, reach);
      }
    },
    recordOf(error, reach = 'non-terminating') {
      if (error instanceof FileFault) return fileError(error, fs.limits, reach);
      if (error instanceof PsError) return error;
      throw error;
    },
  };
  byBudget.set(variables.budget, files);
  variables.set('PWD', pathInfo(files.location()));
}

/** Our own record for a run given no file system (a host that offers none). */
export function fileSystemNotAvailable(cmdlet: string): PsError {
  return new PsError(
    `${cmdlet} cannot reach files in this console: the host gives scripts no file system (a limit of this product, not a PowerShell error).`,
    {
      category: 'NotImplemented',
      errorId: 'FileSystemNotAvailable',
      exceptionType: 'NotSupportedException',
      reach: 'statement',
    },
  );
}

/** The run's files, for a cmdlet (or our record when the run has none). */
export function filesOf(ctx: Pick<CmdletContext, 'variables'>, cmdlet: string): RunFiles {
  const files = ctx.variables ? byBudget.get(ctx.variables.budget) : undefined;
  if (!files) throw fileSystemNotAvailable(cmdlet);
  return files;
}

/** The run's files from a scope (redirection), or undefined. */
export function filesOfScope(variables: Variables): RunFiles | undefined {
  return byBudget.get(variables.budget);
}
