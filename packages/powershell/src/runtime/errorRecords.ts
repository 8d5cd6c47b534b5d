/**
 * `$Error` (about_Automatic_Variables): every error record of the run, the newest first, as
 * objects a script can read (`$Error[0].Exception.Message`, `$_.FullyQualifiedErrorId`,
 * `"$_"`). PowerShell keeps at most `$MaximumErrorCount` (default 256) records; so do we.
 */
import type { ErrorRecord, PsError } from '../errors.js';
import { recordActivity } from '../errors.js';
import { PsObject, errorRecordType } from './values.js';
import type { Variables } from './variables.js';

/** $MaximumErrorCount's default (about_Preference_Variables). */
export const maximumErrorCount = 256;

/** .NET namespaces of the exception types this product raises, for `$_.Exception.GetType()`-like reads. */
const namespaces: Record<string, string> = {
  VirtualizationException: 'Microsoft.HyperV.PowerShell',
  PSInvalidOperationException: 'System.Management.Automation',
  InvalidOperationException: 'System',
};

/**
 * `$_.CategoryInfo` (ErrorCategoryInfo): Category, Activity, Reason, TargetName, TargetType; as a
 * string it is the CategoryInfo line (values.ts).
 */
function categoryInfoObject(error: PsError, record: ErrorRecord): PsObject {
  return new PsObject('System.Management.Automation.ErrorCategoryInfo', {
    Category: error.category,
    Activity: recordActivity(record),
    Reason: error.exceptionType,
    TargetName: error.target,
    TargetType: error.targetType,
  });
}

export class ErrorRecords {
  private readonly list: PsObject[] = [];
  private readonly errorOfRecord = new WeakMap<object, PsError>();
  /** `$_.InvocationInfo` of each record, set where the record is built (invocationInfo.ts). */
  readonly invocations = new WeakMap<ErrorRecord, PsObject>();

  constructor(variables: Variables) {
    variables.set('Error', this.list);
  }

  /** Adds the record of `error` as the newest; returns its object. */
  add(error: PsError, record: ErrorRecord): PsObject {
    const namespace = namespaces[error.exceptionType] ?? 'System.Management.Automation';
    const exception = new PsObject(`${namespace}.${error.exceptionType}`, {
      Message: error.message,
    });
    const value = new PsObject(errorRecordType, {
      Exception: exception,
      TargetObject:
        error.targetObject !== undefined
          ? error.targetObject
          : error.target === ''
            ? null
            : error.target,
      CategoryInfo: categoryInfoObject(error, record),
      FullyQualifiedErrorId: record.fullyQualifiedErrorId,
      InvocationInfo: this.invocations.get(record) ?? null,
    });
    this.errorOfRecord.set(value, error);
    this.list.unshift(value);
    if (this.list.length > maximumErrorCount) this.list.length = maximumErrorCount;
    return value;
  }

  /** The error a record object stands for (`throw $_` rethrows it). */
  errorOf(value: unknown): PsError | undefined {
    return typeof value === 'object' && value !== null ? this.errorOfRecord.get(value) : undefined;
  }
}
