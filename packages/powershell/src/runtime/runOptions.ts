/** What a run is given: console width, who answers prompts, its limits, and how it is stopped. */
import type { RunLimits, StopReason } from './budget.js';
import type { HostPrompter } from './hostUi.js';
import type { PowerShellSession } from '../jobs/session.js';
import type { ScriptFile } from './scriptArguments.js';
import type { ScriptFileSystem } from '../files/fileSystem.js';
import type { RemoteComputers } from '../cmdlets/remoteOutcome.js';

export interface RunOptions {
  width?: number;
  /**
   * The user who answers confirmations (ShouldProcess) and mandatory-parameter prompts. Without it
   * the run is non-interactive, like `powershell.exe -NonInteractive`: Remove-VM, Restore-VMSnapshot
   * and the other high-impact cmdlets fail with "PowerShell is in NonInteractive mode." and change
   * nothing unless given `-Confirm:$false` or `-Force`, and a missing mandatory parameter is an error.
   */
  /** Who answers prompts; absent: the run is non-interactive (see hostUi.ts). */
  prompt?: HostPrompter;
  /** This run's limits (budget.ts); unset ones take their defaults. */
  limits?: Partial<RunLimits>;
  /** Polled at every step: a reason ends the run (Ctrl+C, the stop API, the wall-clock limit). */
  shouldStop?: () => StopReason | null;
  /**
   * The console session this run belongs to: its jobs, variables and functions stay for the next
   * run (jobs/session.ts). Without one the run is a session of its own, ended with it.
   */
  session?: PowerShellSession;
  /**
   * The script is a file run with arguments, as `powershell.exe -File <path> <arguments>`: the
   * arguments bind its `param()` block and fill `$args` (scriptArguments.ts).
   */
  scriptFile?: ScriptFile;
  /**
   * The files a script reads and writes (Out-File, `>`, Export-Csv, Get-Content, Set-Location...):
   * hvps gives the machine's (files/nodeFileSystem.ts localFileSystem), the server a folder of the
   * user's own (confinedFileSystem). Without one those cmdlets answer FileSystemNotAvailable.
   */
  fileSystem?: ScriptFileSystem;
  /**
   * What `$env:NAME` reads (automaticVariables.ts). Unset: only COMPUTERNAME, the host's name; the
   * server gives COMPUTERNAME and USERNAME, hvps its own process's environment.
   */
  environment?: Record<string, string | undefined>;
  /**
   * The other servers `-ComputerName` reaches (cmdlets/remoteComputers.ts): the server gives the
   * user's connections (Connect to Server); without it every other name cannot be reached.
   */
  remoteComputers?: RemoteComputers;
  /**
   * Whether the result carries the output objects (`objects`, `objectTypes`); default true. A
   * client that shows only the console text (the web console, hvps) says false: the objects are
   * still written, formatted and counted against the run's limits, but not converted for the
   * result (on a large host that conversion and its JSON cost more than the run).
   */
  objects?: boolean;
}
