/**
 * The host user interface a run may have (PowerShell's PSHostUserInterface): who answers a
 * ShouldProcess confirmation or a mandatory-parameter prompt. A run without one is non-interactive,
 * as `powershell.exe -NonInteractive`: a prompt fails and nothing is done.
 */

/** One choice of a confirmation prompt; `label` carries the hot key after `&` (`&Yes`). */
export interface PromptChoice {
  label: string;
  help: string;
}

export type HostPrompt =
  | {
      /** A choice among labels, e.g. ShouldProcess's `[Y] Yes [A] Yes to All [N] No ...`. */
      kind: 'choice';
      caption: string;
      message: string;
      choices: PromptChoice[];
      defaultChoice: number;
    }
  | {
      /**
       * Values for missing mandatory parameters ("Supply values for the following parameters:"),
       * one line per field, e.g. `Name[0]`.
       */
      kind: 'text';
      caption: string;
      message: string;
      fields: string[];
    };

export type HostPromptAnswer =
  | { choice: number }
  | { text: string[] }
  /** The user stopped the run (Ctrl+C) instead of answering. */
  | { cancelled: true };

/** Asks the user and resolves with the answer; absent on a non-interactive run. */
export type HostPrompter = (prompt: HostPrompt) => Promise<HostPromptAnswer>;
