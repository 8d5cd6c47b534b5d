/** What a cmdlet declares (parameters, aliases, ShouldProcess) and what it gets at run time. */
import type { Host } from '@hvm/engine';
import type { HostRead } from '../runtime/hostReadAhead.js';
import type { PsError } from '../errors.js';
import type { RunServices } from '../jobs/services.js';
import type { ScriptBlock } from '../runtime/values.js';
import type { Variables } from '../runtime/variables.js';

export type ParamType =
  | 'string'
  | 'string[]'
  | 'int'
  | 'bool'
  | 'switch'
  | 'enum'
  | 'object'
  | 'object[]'
  | 'scriptblock'
  | 'any'
  | 'any[]';

export interface ParamDef {
  name: string;
  type: ParamType;
  aliases?: string[];
  /** Position for positional binding; parameters sharing a position are alternatives (other sets). */
  position?: number;
  /** For `enum`: the accepted names, and the .NET type named in the conversion error. */
  enumValues?: readonly string[];
  enumType?: string;
  /**
   * For `enum`: the enum's numbers are the names' positions (0, 1, 2...), so `-ea 0` binds as a
   * .NET enum conversion binds an integer.
   */
  enumNumbersByPosition?: true;
  /** For `object`/`object[]`: the accepted type names (first one is named in errors). */
  objectTypes?: string[];
  /** .NET type named in conversion errors for plain types, e.g. System.Int64. */
  netType?: string;
  pipelineByValue?: boolean;
  /** Collects the positional arguments left over (ValueFromRemainingArguments). */
  remainingArguments?: boolean;
  pipelineByPropertyName?: boolean;
  /**
   * [ValidateNotNullOrEmpty]: $null, '' or an empty array is a binding error. Hyper-V's VM name
   * parameters carry it (transcripts: "Start-VM : Cannot validate argument on parameter 'Name'. The
   * argument is null or empty.", test-kitchen/kitchen-hyperv#18; Set-VMMemory -VMName,
   * MicrosoftDocs/Virtualization-Documentation#727).
   */
  notNullOrEmpty?: boolean;
}

/**
 * One parameter set: the parameters `Required: True` in it (Microsoft's cmdlet reference) and the
 * other parameters that belong to it alone. Parameters named in no set belong to every set.
 */
export interface ParameterSetDef {
  name: string;
  mandatory: string[];
  members?: string[];
}

export type ConfirmImpact = 'High' | 'Medium' | 'Low';

/** What ShouldProcess shows: PowerShell's ShouldProcess(verboseDescription, verboseWarning, caption). */
export interface ShouldProcessText {
  /** The operation (What if: <description>); default `Performing the operation "<cmdlet>" on target "<target>".` */
  description?: string;
  /** The confirmation question; default `Are you sure you want to perform this action?` + the description. */
  warning?: string;
  /** This call's impact when it differs from the cmdlet's (Stop-VM that must turn the VM off). */
  impact?: ConfirmImpact;
}

/** Parameters as bound: keys are the canonical parameter names. */
export type Bound = Record<string, unknown>;

export interface CmdletContext {
  host: Host;
  /** The name as typed (an alias stays an alias). */
  invocationName: string;
  write(value: unknown): void;
  /** A non-terminating error; -ErrorAction decides what happens. */
  writeError(error: PsError): void;
  writeWarning(text: string): void;
  /** Write-Verbose: shown with -Verbose or $VerbosePreference = 'Continue'. */
  writeVerbose(text: string): void;
  /** Write-Debug: shown with -Debug or $DebugPreference = 'Continue'. */
  writeDebug(text: string): void;
  /** Write-Information: stream 6, shown with $InformationPreference = 'Continue'. */
  writeInformation(messageData: unknown, tags: string[]): void;
  /** Write-Host: stream 6 (tag PSHOST), shown unless its own -InformationAction hides it. */
  writeHost(text: string): void;
  /**
   * -WhatIf / -Confirm / $ConfirmPreference handling, asking the user through the host when the
   * impact calls for it. Resolves true when the action should go ahead.
   */
  shouldProcess(target: string, text?: ShouldProcessText): Promise<boolean>;
  runScriptBlock(block: ScriptBlock, dollarUnder: unknown): Promise<unknown[]>;
  /** Console width for Format-* cmdlets. */
  width: number;
  /** The session (jobs), the clock and the step budget: jobs/services.ts. */
  services?: RunServices;
  /**
   * The calling scope (Tee-Object -Variable sets a variable there) and, through it, the run's
   * budget (cmdlets with loops of their own, such as ConvertFrom-Json, count their steps on it).
   */
  variables?: Variables;
}

export interface CmdletDef {
  name: string;
  aliases?: string[];
  /** The implementing class, for FullyQualifiedErrorId: Microsoft.HyperV.PowerShell.Commands.GetVM. */
  className: string;
  params: ParamDef[];
  /** Supports -WhatIf and -Confirm. */
  shouldProcess?: boolean;
  /** High-impact cmdlets ask for confirmation unless -Confirm:$false or -Force. Default Medium. */
  confirmImpact?: ConfirmImpact;
  /** Parameter sets with their mandatory parameters; the first is the default set. */
  parameterSets?: ParameterSetDef[];
  /** Runs once per pipeline input object (or once when the command is first in the pipeline). */
  process?(ctx: CmdletContext, params: Bound): Promise<void>;
  /** Instead of process: runs once with every input object (Sort-Object, Measure-Object, Format-Table). */
  end?(ctx: CmdletContext, params: Bound, input: unknown[]): Promise<void>;
  /**
   * The host reads `process` will make for these pipeline input items, read ahead in one go where
   * the host can (runtime/hostReadAhead.ts); each item still goes through `process` as before.
   */
  readAhead?(items: readonly unknown[]): HostRead[];
}

/**
 * System.Management.Automation.ActionPreference, whose values are SilentlyContinue 0, Stop 1,
 * Continue 2, Inquire 3, Ignore 4, Suspend 5 (Microsoft's ActionPreference enum reference), so
 * `-ErrorAction 0` is SilentlyContinue as in `-ea 0`.
 */
const actionPreferenceEnum = {
  enumValues: ['SilentlyContinue', 'Stop', 'Continue', 'Inquire', 'Ignore', 'Suspend'],
  enumType: 'System.Management.Automation.ActionPreference',
  enumNumbersByPosition: true,
} as const;

export const commonParams: ParamDef[] = [
  { name: 'Verbose', type: 'switch', aliases: ['vb'] },
  { name: 'Debug', type: 'switch', aliases: ['db'] },
  {
    name: 'ErrorAction',
    type: 'enum',
    aliases: ['ea'],
    ...actionPreferenceEnum,
  },
  {
    name: 'WarningAction',
    type: 'enum',
    aliases: ['wa'],
    ...actionPreferenceEnum,
  },
  {
    name: 'InformationAction',
    type: 'enum',
    aliases: ['infa'],
    ...actionPreferenceEnum,
  },
  { name: 'ErrorVariable', type: 'string', aliases: ['ev'] },
  { name: 'WarningVariable', type: 'string', aliases: ['wv'] },
  { name: 'InformationVariable', type: 'string', aliases: ['iv'] },
  { name: 'OutVariable', type: 'string', aliases: ['ov'] },
  { name: 'OutBuffer', type: 'int', aliases: ['ob'] },
  { name: 'PipelineVariable', type: 'string', aliases: ['pv'] },
];

export const shouldProcessParams: ParamDef[] = [
  { name: 'WhatIf', type: 'switch', aliases: ['wi'] },
  { name: 'Confirm', type: 'switch', aliases: ['cf'] },
];

export function allParams(def: CmdletDef): ParamDef[] {
  return [...def.params, ...commonParams, ...(def.shouldProcess ? shouldProcessParams : [])];
}
