/**
 * PowerShell error records: what a cmdlet or the parser reports, and their console text
 * ("<command> : <message>", "At line:L char:C", the source line with a ~~~ marker, CategoryInfo and
 * FullyQualifiedErrorId), as Windows PowerShell 5.1 prints them.
 */
import type { EngineError } from '@hvm/engine';
import type { Extent } from './language/ast.js';
import { positionLines } from './positionMessage.js';

export { locate } from './positionMessage.js';

export interface ErrorRecord {
  message: string;
  categoryInfo: string;
  fullyQualifiedErrorId: string;
  text: string;
}

/** How far an error reaches: a cmdlet's own (non-terminating), the statement, or the whole script. */
export type ErrorReach = 'non-terminating' | 'statement' | 'script';

export interface PsErrorInit {
  /** e.g. ObjectNotFound, InvalidArgument, InvalidOperation. */
  category: string;
  /** The left part of FullyQualifiedErrorId, e.g. ObjectNotFound or NamedParameterNotFound. */
  errorId: string;
  /** e.g. VirtualizationException, ParameterBindingException. */
  exceptionType: string;
  /** The "(target:Type)" part of CategoryInfo; empty gives "(:)". */
  target?: string;
  targetType?: string;
  reach?: ErrorReach;
  /** Underline this part of the script instead of the whole command. */
  extent?: Extent;
  /** `$_.TargetObject` when it is not the target text (Write-Error -TargetObject). */
  targetObject?: unknown;
  /**
   * Written by Write-Error: the record belongs to the function or script that called Write-Error
   * (its name, its call's position), not to Write-Error itself.
   */
  fromWriteError?: boolean;
}

/** An error raised while running a script. Cmdlets throw it; the pipeline turns it into a record. */
export class PsError extends Error {
  override readonly name = 'PsError';
  readonly category: string;
  readonly errorId: string;
  readonly exceptionType: string;
  readonly target: string;
  readonly targetType: string;
  readonly reach: ErrorReach;
  readonly extent: Extent | undefined;
  readonly targetObject: unknown;
  readonly fromWriteError: boolean;

  constructor(message: string, init: PsErrorInit) {
    super(message);
    this.category = init.category;
    this.errorId = init.errorId;
    this.exceptionType = init.exceptionType;
    this.target = init.target ?? '';
    this.targetType = init.targetType ?? '';
    this.reach = init.reach ?? 'non-terminating';
    this.extent = init.extent;
    this.targetObject = 'targetObject' in init ? init.targetObject : undefined;
    this.fromWriteError = init.fromWriteError === true;
  }
}

/** A syntax error: the script does not run at all. */
export class PsParseError extends Error {
  override readonly name = 'PsParseError';
  constructor(
    message: string,
    readonly errorId: string,
    readonly extent: Extent,
  ) {
    super(message);
  }
}

/** The CategoryInfo text: `Category: (TargetName:TargetType) [Activity], Reason`. */
export function categoryInfoText(error: PsError, activity: string): string {
  return `${error.category}: (${error.target}:${error.targetType}) [${activity}], ${error.exceptionType}`;
}

const activities = new WeakMap<ErrorRecord, string>();

function withActivity(record: ErrorRecord, activity: string): ErrorRecord {
  activities.set(record, activity);
  return record;
}

/** The `[Activity]` of a record's CategoryInfo: the command that reported it (`$_.CategoryInfo.Activity`). */
export function recordActivity(record: ErrorRecord): string {
  return activities.get(record) ?? '';
}

/** Who called Write-Error: a function (`f : message`), a script block, or the script itself. */
export interface WriteErrorCaller {
  /** The function's name, or '' for a script block or the script. */
  name: string;
  /** The text before ` : `: the function's name, or the script block's (or script's) text. */
  prefix: string;
  /** The call's position (none for the script itself). */
  extent: Extent | null;
}

/**
 * The record of a Write-Error (WriteErrorCommand): its InvocationInfo is its caller's, so the
 * console shows the function's name (or, for the script typed or given to -Command, the script's
 * text) before ` : `, the position of the call, `[Write-Error]` as the activity and the function
 * name after the error id: `f : boom` / `At line:1 char:30` / `...WriteErrorException,f`
 * (transcripts of Windows PowerShell 5.1 in public issues; the top-level form
 * `Write-Error "test" : test` without a position).
 */
export function writeErrorRecord(
  script: string,
  error: PsError,
  caller: WriteErrorCaller,
): ErrorRecord {
  const categoryInfo = categoryInfoText(error, 'Write-Error');
  const fullyQualifiedErrorId =
    caller.name === '' ? error.errorId : `${error.errorId},${caller.name}`;
  const lines = [
    `${caller.prefix} : ${error.message}`,
    ...(caller.extent ? positionLines(script, caller.extent) : []),
    `    + CategoryInfo          : ${categoryInfo}`,
    `    + FullyQualifiedErrorId : ${fullyQualifiedErrorId}`,
  ];
  return withActivity(
    { message: error.message, categoryInfo, fullyQualifiedErrorId, text: lines.join('\n') + '\n' },
    'Write-Error',
  );
}

/** The record of an error a command reported. `invocationName` is the name as typed; `commandName` the cmdlet's. */
export function commandErrorRecord(
  script: string,
  error: PsError,
  invocationName: string,
  commandName: string,
  commandClass: string,
  commandExtent: Extent,
): ErrorRecord {
  const activity = commandName === '' ? '' : commandName;
  const categoryInfo = categoryInfoText(error, activity);
  const fullyQualifiedErrorId =
    commandClass === '' ? error.errorId : `${error.errorId},${commandClass}`;
  const prefix = invocationName === '' ? '' : `${invocationName} : `;
  const lines = [
    `${prefix}${error.message}`,
    ...positionLines(script, error.extent ?? commandExtent),
    `    + CategoryInfo          : ${categoryInfo}`,
    `    + FullyQualifiedErrorId : ${fullyQualifiedErrorId}`,
  ];
  return withActivity(
    { message: error.message, categoryInfo, fullyQualifiedErrorId, text: lines.join('\n') + '\n' },
    activity,
  );
}

export function parseErrorRecord(script: string, error: PsParseError): ErrorRecord {
  const categoryInfo = 'ParserError: (:) [], ParentContainsErrorRecordException';
  const lines = [
    ...positionLines(script, error.extent),
    error.message,
    `    + CategoryInfo          : ${categoryInfo}`,
    `    + FullyQualifiedErrorId : ${error.errorId}`,
  ];
  return {
    message: error.message,
    categoryInfo,
    fullyQualifiedErrorId: error.errorId,
    text: lines.join('\n') + '\n',
  };
}

/** `A parameter cannot be found that matches parameter name 'X'.` */
export function parameterNotFound(name: string, extent: Extent): PsError {
  return new PsError(`A parameter cannot be found that matches parameter name '${name}'.`, {
    category: 'InvalidArgument',
    errorId: 'NamedParameterNotFound',
    exceptionType: 'ParameterBindingException',
    reach: 'statement',
    extent,
  });
}

export function commandNotFound(name: string, extent: Extent): PsError {
  return new PsError(
    `The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
    {
      category: 'ObjectNotFound',
      errorId: 'CommandNotFoundException',
      exceptionType: 'CommandNotFoundException',
      target: name,
      targetType: 'String',
      reach: 'statement',
      extent,
    },
  );
}

export function bindingError(message: string, errorId: string, extent?: Extent): PsError {
  return new PsError(message, {
    category: 'InvalidArgument',
    errorId,
    exceptionType: 'ParameterBindingException',
    reach: 'statement',
    ...(extent ? { extent } : {}),
  });
}

/** Engine error codes as Hyper-V's CategoryInfo category and FullyQualifiedErrorId. */
const engineErrorCategories: Record<string, [string, string]> = {
  NOT_FOUND: ['ObjectNotFound', 'ObjectNotFound'],
  INVALID_ARGUMENT: ['InvalidArgument', 'InvalidParameter'],
  INVALID_STATE: ['InvalidOperation', 'InvalidState'],
  NAME_CONFLICT: ['ResourceExists', 'ObjectAlreadyExists'],
  LIMIT_EXCEEDED: ['LimitsExceeded', 'OperationFailed'],
  CHECKPOINTS_DISABLED: ['NotSpecified', 'OperationFailed'],
  PRODUCTION_CHECKPOINT_FAILED: ['NotSpecified', 'OperationFailed'],
  OPERATION_IN_PROGRESS: ['ResourceBusy', 'InvalidState'],
  CORRUPT_DISK: ['InvalidData', 'InvalidData'],
  UNSUPPORTED: ['NotImplemented', 'NotSupported'],
  CANCELLED: ['OperationStopped', 'OperationCanceled'],
  // Stop-VM's "Failed to stop." (MattHodge/PackerTemplates#18): NotSpecified, OperationFailed.
  OPERATION_FAILED: ['NotSpecified', 'OperationFailed'],
};

export function fromEngineError(error: EngineError): PsError {
  const [category, errorId] = engineErrorCategories[error.code] ?? [
    'NotSpecified',
    'OperationFailed',
  ];
  return new PsError(error.message, {
    category,
    errorId,
    exceptionType: 'VirtualizationException',
  });
}

/**
 * `Cannot process command because of one or more missing mandatory parameters: Name.`
 * (ParameterBinderStrings.MissingMandatoryParameter, "...parameters:{1}." where {1} is each name after
 * a space; PowerShell/PowerShell src/System.Management.Automation/resources/ParameterBinderStrings.resx).
 */
export function missingMandatoryParameters(names: string[]): PsError {
  return new PsError(
    `Cannot process command because of one or more missing mandatory parameters:${names.map((n) => ` ${n}`).join('')}.`,
    {
      category: 'InvalidArgument',
      errorId: 'MissingMandatoryParameter',
      exceptionType: 'ParameterBindingException',
      reach: 'statement',
    },
  );
}

/**
 * [ValidateNotNullOrEmpty] failures as Windows PowerShell 5.1 words them: ParameterBinderStrings
 * ParameterArgumentValidationError ("Cannot validate argument on parameter '{1}'. {6}") with
 * Metadata.resx ValidateNotNullOrEmptyFailure / ValidateNotNullOrEmptyCollectionFailure.
 */
export function argumentValidationError(
  parameter: string,
  kind: 'null-or-empty' | 'collection',
  extent?: Extent,
): PsError {
  const detail =
    kind === 'null-or-empty'
      ? 'The argument is null or empty. Provide an argument that is not null or empty, and then try the command again.'
      : 'The argument is null, empty, or an element of the argument collection contains a null value. Supply a collection that does not contain any null values and then try the command again.';
  return new PsError(`Cannot validate argument on parameter '${parameter}'. ${detail}`, {
    category: 'InvalidData',
    errorId: 'ParameterArgumentValidationError',
    exceptionType: 'ParameterBindingValidationException',
    reach: 'statement',
    ...(extent ? { extent } : {}),
  });
}

/**
 * A prompt on a run without a user (powershell.exe -NonInteractive): ConsoleHostUserInterfaceStrings
 * ReadFailsOnNonInteractiveFlag, thrown as PSInvalidOperationException (errorId InvalidOperation).
 * The command stops and does nothing.
 */
export function nonInteractivePrompt(): PsError {
  return new PsError(
    'PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.',
    {
      category: 'InvalidOperation',
      errorId: 'InvalidOperation',
      exceptionType: 'PSInvalidOperationException',
      reach: 'statement',
    },
  );
}

/**
 * The user stopped the run at a prompt (Ctrl+C): CommandBaseStrings.InquireCtrlC, an
 * ActionPreferenceStopException (InternalHostUserInterface uses errorId ActionPreferenceStop). The
 * rest of the script does not run.
 */
export function promptInterrupted(): PsError {
  return new PsError('The running command stopped because the user interrupted the command.', {
    category: 'OperationStopped',
    errorId: 'ActionPreferenceStop',
    exceptionType: 'ActionPreferenceStopException',
    reach: 'script',
  });
}

/**
 * A mandatory parameter given $null, '' or an empty array (ParameterBinderBase.ValidateNullOrEmptyArgument,
 * ParameterBinderStrings ParameterArgumentValidationError{NullNotAllowed,EmptyStringNotAllowed,EmptyArrayNotAllowed}).
 */
export function mandatoryArgumentError(
  parameter: string,
  kind: 'null' | 'empty string' | 'empty array',
  extent?: Extent,
): PsError {
  const [errorId, what] =
    kind === 'null'
      ? ['ParameterArgumentValidationErrorNullNotAllowed', 'null']
      : kind === 'empty string'
        ? ['ParameterArgumentValidationErrorEmptyStringNotAllowed', 'an empty string']
        : ['ParameterArgumentValidationErrorEmptyArrayNotAllowed', 'an empty array'];
  return new PsError(`Cannot bind argument to parameter '${parameter}' because it is ${what}.`, {
    category: 'InvalidData',
    errorId,
    exceptionType: 'ParameterBindingValidationException',
    reach: 'statement',
    ...(extent ? { extent } : {}),
  });
}
