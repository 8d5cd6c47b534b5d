/**
 * `-ComputerName` naming another server: the cmdlet runs there, as Hyper-V's cmdlets run on the
 * named computer's Virtual Machine Management service. The server of this console gives the run a
 * `RemoteComputers` (its connections to other servers, Connect to Server); without one, every
 * other name is a host that cannot be reached.
 */
import { PsError } from '../errors.js';
import { PsObject, customObjectType, toPsString } from '../runtime/values.js';
import type { RemoteErrorRecord } from './remoteOutcome.js';
import type { Bound } from './types.js';

/** A PowerShell literal for a bound value; null when the value cannot be sent as text. */
function literal(value: unknown): string | null {
  if (value === null || value === undefined) return '$null';
  if (typeof value === 'boolean') return value ? '$true' : '$false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'string') return `'${value.replace(/['‘’‚‛]/g, "''")}'`;
  if (Array.isArray(value)) {
    const items = value.map(literal);
    if (items.some((item) => item === null)) return null;
    return `@(${items.join(',')})`;
  }
  return null;
}

/**
 * The command line that runs `cmdletName` with these parameters on the other server, without
 * -ComputerName; null when a value is an object (a VM from the pipeline, a script block), which
 * cannot be sent.
 */
export function remoteCommandLine(
  cmdletName: string,
  params: Bound,
  whatIf = false,
): string | null {
  const parts = [cmdletName];
  // -WhatIf set by $WhatIfPreference here holds there too (about_Preference_Variables).
  if (whatIf && params.WhatIf === undefined) parts.push('-WhatIf');
  for (const [name, value] of Object.entries(params)) {
    if (name === 'ComputerName' || value === undefined) continue;
    const text = literal(value);
    if (text === null) return null;
    parts.push(`-${name}:${text}`);
  }
  return parts.join(' ');
}

/** The record the other server reported, written here under this command. */
export function remoteError(record: RemoteErrorRecord): PsError {
  // "ObjectNotFound: (:) [Get-VM], VirtualizationException" and "ObjectNotFound,Microsoft...".
  const category = /^(\w+):/.exec(record.categoryInfo)?.[1] ?? 'NotSpecified';
  const exceptionType = /, (\w+)$/.exec(record.categoryInfo)?.[1] ?? 'VirtualizationException';
  const first = record.fullyQualifiedErrorId.split(',')[0] ?? '';
  const errorId = first === '' ? 'NotSpecified' : first;
  return new PsError(record.message, { category, errorId, exceptionType });
}

/**
 * Ours (no Hyper-V cmdlet has this case): a parameter value that is an object cannot be sent to
 * another server as text.
 */
export function notSendable(cmdletName: string, computerName: string): PsError {
  return new PsError(
    `${cmdletName} cannot run on '${computerName}' with an object as a parameter value. Give names instead, for example -VMName.`,
    {
      category: 'InvalidArgument',
      errorId: 'InvalidParameter',
      exceptionType: 'ArgumentException',
    },
  );
}

export function namesOf(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).map((n) => toPsString(n));
}

/**
 * An output object of the other server as a PowerShell value here: a property bag becomes a
 * PSCustomObject with the same properties. PowerShell remoting gives such objects the type
 * `Deserialized.<type>`; the other server's answer does not carry the type, so ours are
 * PSCustomObjects.
 */
export function fromRemote(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) return value.map((item) => fromRemote(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    if (depth > 16) return toPsString(JSON.stringify(value));
    const props: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>))
      props[key] = fromRemote(item, depth + 1);
    return new PsObject(customObjectType, props);
  }
  return value;
}
