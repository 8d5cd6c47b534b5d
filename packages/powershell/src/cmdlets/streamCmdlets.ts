/**
 * The cmdlets that write to streams 2-6 (about_Output_Streams; Microsoft.PowerShell.Utility):
 * Write-Error, Write-Warning, Write-Verbose, Write-Debug and Write-Information. Write-Host and
 * Write-Output are in output.ts.
 */
import { PsError } from '../errors.js';
import { PsObject, toArray, toPsString } from '../runtime/values.js';
import type { CmdletDef, ParamDef } from './types.js';
import { cls } from './utility.js';

/** System.Management.Automation.ErrorCategory. */
const errorCategories = [
  'NotSpecified',
  'OpenError',
  'CloseError',
  'DeviceError',
  'DeadlockDetected',
  'InvalidArgument',
  'InvalidData',
  'InvalidOperation',
  'InvalidResult',
  'InvalidType',
  'MetadataError',
  'NotImplemented',
  'NotInstalled',
  'ObjectNotFound',
  'OperationStopped',
  'OperationTimeout',
  'SyntaxError',
  'ParserError',
  'PermissionDenied',
  'ResourceBusy',
  'ResourceExists',
  'ResourceUnavailable',
  'ReadError',
  'WriteError',
  'FromStdErr',
  'SecurityError',
  'ProtocolError',
  'ConnectionError',
  'AuthenticationError',
  'LimitsExceeded',
  'QuotaExceeded',
  'NotEnabled',
] as const;

/** The short .NET type name CategoryInfo shows for a target object: `(Web-01:String)`. */
function targetTypeName(value: unknown): string {
  if (typeof value === 'string') return 'String';
  if (typeof value === 'number') return Number.isInteger(value) ? 'Int32' : 'Double';
  if (typeof value === 'boolean') return 'Boolean';
  if (value instanceof Date) return 'DateTime';
  if (Array.isArray(value)) return 'Object[]';
  if (value instanceof PsObject) return value.typeName.split('.').pop() ?? value.typeName;
  return 'Object';
}

const messageParam = (name: string, aliases: string[]): ParamDef => ({
  name,
  type: 'any',
  aliases,
  position: 0,
  pipelineByValue: true,
});

/**
 * Write-Error (WriteErrorCommand): a non-terminating error whose exception is a
 * WriteErrorException; without -ErrorId its id is the exception's full name. The record names
 * the function or script that called it (errors.ts, writeErrorRecord).
 */
const writeError: CmdletDef = {
  name: 'Write-Error',
  className: cls('WriteErrorCommand'),
  params: [
    messageParam('Message', ['Msg']),
    {
      name: 'Category',
      type: 'enum',
      enumValues: errorCategories,
      enumType: 'System.Management.Automation.ErrorCategory',
    },
    { name: 'ErrorId', type: 'string' },
    { name: 'TargetObject', type: 'any' },
    { name: 'RecommendedAction', type: 'string' },
    { name: 'CategoryActivity', type: 'string', aliases: ['Activity'] },
    { name: 'CategoryReason', type: 'string', aliases: ['Reason'] },
    { name: 'CategoryTargetName', type: 'string', aliases: ['TargetName'] },
    { name: 'CategoryTargetType', type: 'string', aliases: ['TargetType'] },
  ],
  process(ctx, params) {
    const target = params.TargetObject;
    const hasTarget = target !== undefined && target !== null;
    const errorId =
      typeof params.ErrorId === 'string' && params.ErrorId !== '' ? params.ErrorId : null;
    ctx.writeError(
      new PsError(toPsString(params.Message), {
        category: typeof params.Category === 'string' ? params.Category : 'NotSpecified',
        errorId: errorId ?? 'Microsoft.PowerShell.Commands.WriteErrorException',
        exceptionType:
          typeof params.CategoryReason === 'string' ? params.CategoryReason : 'WriteErrorException',
        target:
          typeof params.CategoryTargetName === 'string'
            ? params.CategoryTargetName
            : hasTarget
              ? toPsString(target)
              : '',
        targetType:
          typeof params.CategoryTargetType === 'string'
            ? params.CategoryTargetType
            : hasTarget
              ? targetTypeName(target)
              : '',
        targetObject: hasTarget ? target : null,
        fromWriteError: true,
      }),
    );
    return Promise.resolve();
  },
};

function messageCmdlet(
  name: string,
  className: string,
  write: 'writeWarning' | 'writeVerbose' | 'writeDebug',
): CmdletDef {
  return {
    name,
    className: cls(className),
    params: [messageParam('Message', ['Msg'])],
    process(ctx, params) {
      ctx[write](toPsString(params.Message));
      return Promise.resolve();
    },
  };
}

/** Write-Information (PowerShell 5.0 and later): -MessageData with -Tags, to stream 6. */
const writeInformation: CmdletDef = {
  name: 'Write-Information',
  className: cls('WriteInformationCommand'),
  params: [
    messageParam('MessageData', ['Msg', 'Message']),
    { name: 'Tags', type: 'string[]', position: 1 },
  ],
  process(ctx, params) {
    ctx.writeInformation(params.MessageData ?? null, toArray(params.Tags).map(toPsString));
    return Promise.resolve();
  },
};

export const streamCmdlets: CmdletDef[] = [
  writeError,
  messageCmdlet('Write-Warning', 'WriteWarningCommand', 'writeWarning'),
  messageCmdlet('Write-Verbose', 'WriteVerboseCommand', 'writeVerbose'),
  messageCmdlet('Write-Debug', 'WriteDebugCommand', 'writeDebug'),
  writeInformation,
];
