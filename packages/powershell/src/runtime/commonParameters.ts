/**
 * The common parameters and preference variables that decide what happens to a command's records
 * (about_CommonParameters, about_Preference_Variables): -ErrorAction/$ErrorActionPreference,
 * -WarningAction/$WarningPreference, -InformationAction/$InformationPreference,
 * -Verbose/$VerbosePreference, -Debug/$DebugPreference, and the -ErrorVariable, -WarningVariable,
 * -InformationVariable and -OutVariable variables (`+name` appends).
 */
import type { Bound } from '../cmdlets/types.js';
import { PsError } from '../errors.js';
import { promptInterrupted } from '../errors.js';
import type { HostPrompter, PromptChoice } from './hostUi.js';
import { toArray, toPsString } from './values.js';
import type { Variables } from './variables.js';

export type ActionPreference =
  'SilentlyContinue' | 'Stop' | 'Continue' | 'Inquire' | 'Ignore' | 'Suspend';

const actionPreferences: readonly ActionPreference[] = [
  'SilentlyContinue',
  'Stop',
  'Continue',
  'Inquire',
  'Ignore',
  'Suspend',
];

/** The defaults of Windows PowerShell 5.1 (about_Preference_Variables). */
export const preferenceDefaults = {
  ErrorActionPreference: 'Continue',
  WarningPreference: 'Continue',
  VerbosePreference: 'SilentlyContinue',
  DebugPreference: 'SilentlyContinue',
  InformationPreference: 'SilentlyContinue',
} as const satisfies Record<string, ActionPreference>;

export type PreferenceVariable = keyof typeof preferenceDefaults;

/** A preference variable's value as an ActionPreference; anything else reads as its default. */
export function preferenceValue(variables: Variables, name: PreferenceVariable): ActionPreference {
  const text = toPsString(variables.get(name)).trim().toLowerCase();
  // An integer is the enum's value (`$ErrorActionPreference = 0` is SilentlyContinue).
  const byNumber = /^\d+$/.test(text) ? actionPreferences[Number(text)] : undefined;
  return (
    byNumber ?? actionPreferences.find((p) => p.toLowerCase() === text) ?? preferenceDefaults[name]
  );
}

/** What one command does with each of its record streams. */
export interface CommandPreferences {
  error: ActionPreference;
  warning: ActionPreference;
  information: ActionPreference;
  verbose: ActionPreference;
  debug: ActionPreference;
}

/**
 * ErrorPackage.ActionPreferenceReservedForFutureUseError, as MshCommandRuntime refuses
 * `-ErrorAction Suspend` (and the other actions) outside a workflow. [B] Windows PowerShell 5.1's
 * own wording for a cmdlet outside a workflow was not verified; this is PowerShell's resource string.
 */
function suspendRefused(): PsError {
  return new PsError(
    'The Suspend ActionPreference value is reserved for future use and is not supported at this time. For more information about preference variables, see the Help topic, "about_Preference_Variables."',
    {
      category: 'NotSpecified',
      errorId: 'System.NotSupportedException',
      exceptionType: 'NotSupportedException',
      reach: 'statement',
    },
  );
}

/**
 * The command's preferences: its common parameters first, then the preference variables of its
 * scope. `-Debug` is Inquire in Windows PowerShell 5.1; a run with nobody to ask shows the
 * messages instead (MshCommandRuntime.DebugPreference does the same for a host without a UI).
 */
export function commandPreferences(
  bound: Bound,
  variables: Variables,
  interactive: boolean,
): CommandPreferences {
  const given = (name: string): ActionPreference | undefined => {
    const value = bound[name];
    if (value === undefined || value === null) return undefined;
    const preference = actionPreferences.find((p) => p === value);
    if (preference === 'Suspend') throw suspendRefused();
    return preference;
  };
  const switchOr = (name: string, on: ActionPreference, variable: PreferenceVariable) =>
    bound[name] === true
      ? on
      : bound[name] === false
        ? 'SilentlyContinue'
        : preferenceValue(variables, variable);
  let debug = switchOr('Debug', 'Inquire', 'DebugPreference');
  if (debug === 'Inquire' && !interactive) debug = 'Continue';
  return {
    error: given('ErrorAction') ?? preferenceValue(variables, 'ErrorActionPreference'),
    warning: given('WarningAction') ?? preferenceValue(variables, 'WarningPreference'),
    information: given('InformationAction') ?? preferenceValue(variables, 'InformationPreference'),
    verbose: switchOr('Verbose', 'Continue', 'VerbosePreference'),
    debug,
  };
}

/**
 * `-ErrorVariable ev`, `-ErrorVariable +ev` (about_CommonParameters): the variable is set when the
 * command starts (emptied, unless `+`) and collects what the command writes to it.
 */
export class CommandVariable {
  readonly items: unknown[] = [];
  private readonly name: string;
  private readonly append: boolean;

  constructor(
    spec: string,
    private readonly variables: Variables,
  ) {
    this.append = spec.startsWith('+');
    this.name = this.append ? spec.slice(1) : spec;
  }

  /** Creates or empties the variable as the command starts. */
  begin(): void {
    if (this.append) this.items.push(...toArray(this.variables.get(this.name)));
    this.variables.set(this.name, this.items);
  }

  add(value: unknown): void {
    this.variables.budget.checkValue(this.items);
    this.items.push(value);
  }
}

export function commandVariable(bound: Bound, parameter: string, variables: Variables) {
  const spec = bound[parameter];
  if (typeof spec !== 'string' || spec === '' || spec === '+') return null;
  const variable = new CommandVariable(spec, variables);
  variable.begin();
  return variable;
}

/** CommandBaseStrings: the choices of an Inquire prompt (MshCommandRuntime.InquireHelper). */
export const inquireChoices: PromptChoice[] = [
  { label: '&Yes', help: 'Continue with only the next step of the operation.' },
  { label: 'Yes to &All', help: 'Continue with all the steps of the operation.' },
  { label: '&Halt Command', help: 'Stop this command.' },
  {
    label: '&Suspend',
    help: 'Pause the current pipeline and return to the command prompt. Type "exit" to resume the pipeline.',
  },
];

/** CommandBaseStrings.InquireHalt, thrown as an ActionPreferenceStopException. */
export function inquireHalted(): PsError {
  return new PsError('The running command stopped because the user selected the Stop option.', {
    category: 'OperationStopped',
    errorId: 'ActionPreferenceStop',
    exceptionType: 'ActionPreferenceStopException',
    reach: 'script',
  });
}

/** More Suspend answers than anyone gives; a prompter that always suspends halts the command. */
const MAX_SUSPENDS = 100;

/**
 * Asks "Continue with this operation?" (or `message`) with Yes / Yes to All / Halt Command /
 * Suspend, as an Inquire preference does. Resolves true for Yes to All. Halt throws
 * InquireHalt; there is no nested prompt here, so Suspend writes `suspendNote` and asks again.
 */
export async function inquire(
  prompt: HostPrompter,
  message: string | null,
  suspendNote: () => void,
): Promise<boolean> {
  for (let i = 0; i < MAX_SUSPENDS; i++) {
    const answer = await prompt({
      kind: 'choice',
      caption: 'Confirm',
      message: message ?? 'Continue with this operation?',
      choices: inquireChoices,
      defaultChoice: 0,
    });
    if ('cancelled' in answer) throw promptInterrupted();
    if (!('choice' in answer)) continue;
    if (answer.choice === 0) return false;
    if (answer.choice === 1) return true;
    if (answer.choice === 2) throw inquireHalted();
    suspendNote();
  }
  throw inquireHalted();
}

/**
 * CommandBaseStrings.ErrorPreferenceStop: what a warning, verbose, debug or information record
 * becomes under Stop, an ActionPreferenceStopException ending the script.
 */
export function preferenceStop(variable: string, message: string): PsError {
  return new PsError(
    `The running command stopped because the preference variable "${variable}" or common parameter is set to Stop: ${message}`,
    {
      category: 'OperationStopped',
      errorId: 'ActionPreferenceStop',
      exceptionType: 'ActionPreferenceStopException',
      reach: 'script',
    },
  );
}
