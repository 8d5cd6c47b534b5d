/**
 * ShouldProcess for one command of a pipeline, as PowerShell's MshCommandRuntime does it: -WhatIf
 * (or $WhatIfPreference) prints "What if: <description>"; a confirmation is asked when -Confirm is given or the action's
 * impact reaches $ConfirmPreference (High by default), unless -Confirm:$false or the cmdlet's -Force;
 * "Yes to All" / "No to All" answer for the rest of this command's input. A run without a prompter is
 * non-interactive: the prompt fails (ReadFailsOnNonInteractiveFlag) and the command does nothing.
 */
import type { Bound, CmdletDef, ConfirmImpact, ShouldProcessText } from '../cmdlets/types.js';
import { nonInteractivePrompt, promptInterrupted } from '../errors.js';
import type { HostPrompter, PromptChoice } from './hostUi.js';
import { isTruthy, toPsString } from './values.js';

/**
 * PowerShell's labels and help texts (CommandBaseStrings.resx: ContinueOneLabel, ContinueAllLabel,
 * SkipOneLabel, SkipAllLabel, PauseLabel and their HelpMessage entries; PauseHelpMessage is formatted
 * with "exit"). The console shows them as
 * `[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"):`.
 */
export const confirmChoices: PromptChoice[] = [
  { label: '&Yes', help: 'Continue with only the next step of the operation.' },
  { label: 'Yes to &All', help: 'Continue with all the steps of the operation.' },
  { label: '&No', help: 'Skip this operation and proceed with the next operation.' },
  { label: 'No to A&ll', help: 'Skip this operation and all subsequent operations.' },
  {
    label: '&Suspend',
    help: 'Pause the current pipeline and return to the command prompt. Type "exit" to resume the pipeline.',
  },
];

const YES = 0;
const YES_TO_ALL = 1;
const NO_TO_ALL = 3;
const SUSPEND = 4;

/**
 * Suspend enters a nested prompt in powershell.exe. This console has none, so Suspend skips the
 * operation like No and says so (our own sentence, not PowerShell's).
 */
export const SUSPEND_NOT_AVAILABLE =
  'Suspend is not available in this console (there is no nested prompt); the operation was skipped.';

const impactRank: Record<string, number> = { none: 4, high: 3, medium: 2, low: 1 };

export interface ConfirmGateOptions {
  def: CmdletDef;
  bound: Bound;
  /** $ConfirmPreference: High (default), Medium, Low or None. */
  confirmPreference: unknown;
  /**
   * $WhatIfPreference: when true, every command that supports -WhatIf acts as if it were given,
   * unless it is given `-WhatIf:$false` (about_Preference_Variables, Microsoft docs).
   */
  whatIfPreference: unknown;
  prompt: HostPrompter | undefined;
  /** Console text (What if lines, the Suspend note). */
  write(text: string): void;
}

/** ShouldProcess state for one command in one pipeline. */
export class ConfirmGate {
  private yesToAll = false;
  private noToAll = false;

  constructor(private readonly options: ConfirmGateOptions) {}

  async shouldProcess(target: string, text: ShouldProcessText = {}): Promise<boolean> {
    const { def, bound } = this.options;
    // CommandBaseStrings.ShouldProcessMessage.
    const description =
      text.description ?? `Performing the operation "${def.name}" on target "${target}".`;
    const whatIf =
      bound.WhatIf === undefined ? isTruthy(this.options.whatIfPreference) : bound.WhatIf === true;
    if (whatIf) {
      this.options.write(`What if: ${description}\n`);
      return false;
    }
    if (!this.asks(text.impact ?? def.confirmImpact ?? 'Medium')) return true;
    if (this.yesToAll) return true;
    if (this.noToAll) return false;
    const prompt = this.options.prompt;
    if (!prompt) throw nonInteractivePrompt();
    const answer = await prompt({
      kind: 'choice',
      // CommandBaseStrings.InquireCaptionDefault; ShouldProcessWarningFallback when there is no warning.
      caption: 'Confirm',
      message: text.warning ?? `Are you sure you want to perform this action?\n${description}`,
      choices: confirmChoices,
      defaultChoice: YES,
    });
    if ('cancelled' in answer) throw promptInterrupted();
    const choice = 'choice' in answer ? answer.choice : YES;
    if (choice === YES) return true;
    if (choice === YES_TO_ALL) {
      this.yesToAll = true;
      return true;
    }
    if (choice === NO_TO_ALL) this.noToAll = true;
    if (choice === SUSPEND) this.options.write(`${SUSPEND_NOT_AVAILABLE}\n`);
    return false;
  }

  private asks(impact: ConfirmImpact): boolean {
    const { bound } = this.options;
    if (bound.Confirm === true) return true;
    if (bound.Confirm === false) return false;
    // Hyper-V's -Force: "Forces the command to run without asking for user confirmation" (Remove-VM)
    // / "no prompt for confirmation is to appear" (Restart-VM), Microsoft's cmdlet reference.
    if (bound.Force === true) return false;
    const preference = impactRank[toPsString(this.options.confirmPreference).toLowerCase()] ?? 3;
    return (impactRank[impact.toLowerCase()] ?? 2) >= preference;
  }
}
