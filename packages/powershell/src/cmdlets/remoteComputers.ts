/**
 * `-ComputerName` naming another server: the cmdlet runs there, as Hyper-V's cmdlets run on the
 * named computer's Virtual Machine Management service. The server of this console gives the run a
 * `RemoteComputers` (its connections to other servers, Connect to Server); without one, every
 * other name is a host that cannot be reached.
 */
import { PsError } from '../errors.js';
import { toTimeSpan } from '../runtime/typeConversion.js';
import { PsObject, customObjectType, toPsString } from '../runtime/values.js';
import { SNAPSHOT_TYPE, VM_TYPE } from './objects.js';
import type { RemoteErrorRecord, RemoteObjectTypes } from './remoteOutcome.js';
import type { Bound } from './types.js';

/**
 * The Hyper-V objects a command sent to another server can name by their Id there: a VM or a
 * checkpoint of that server (`Get-VM -ComputerName A | Start-VM` sends `Start-VM -VM:(Get-VM -Id
 * '<its Id>')` to A). Hyper-V's VirtualMachine and VMSnapshot objects carry the computer they come
 * from (their ComputerName property, Microsoft's Get-VM reference), and a cmdlet given one acts on
 * that computer.
 */
const namedThereBy: Readonly<Record<string, string>> = {
  [VM_TYPE]: 'Get-VM',
  [SNAPSHOT_TYPE]: 'Get-VMSnapshot',
};

/** The properties of a Hyper-V object that are not text: rebuilt from the other server's JSON. */
const typedProperties: Readonly<Record<string, Readonly<Record<string, (v: unknown) => unknown>>>> =
  {
    [VM_TYPE]: { Uptime: toTimeSpan },
    [SNAPSHOT_TYPE]: { CreationTime: (v) => new Date(toPsString(v)) },
  };

/** A PowerShell literal for a bound value; null when the value cannot be sent as text. */
function literal(value: unknown, computerName: string): string | null {
  if (value === null || value === undefined) return '$null';
  if (typeof value === 'boolean') return value ? '$true' : '$false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'string') return `'${value.replace(/['‘’‚‛]/g, "''")}'`;
  if (value instanceof PsObject) {
    // Only an object of that computer: this host's VM is not the other server's.
    const command = namedThereBy[value.typeName];
    const id = value.get('Id');
    const from = toPsString(value.get('ComputerName')).toLowerCase();
    return command === undefined || typeof id !== 'string' || from !== computerName.toLowerCase()
      ? null
      : `(${command} -Id ${literal(id, computerName)})`;
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => literal(item, computerName));
    if (items.some((item) => item === null)) return null;
    return `@(${items.join(',')})`;
  }
  return null;
}

/**
 * The command line that runs `cmdletName` with these parameters on the other server, without
 * -ComputerName; a VM or checkpoint of that server is named by its Id there. Null when a value is
 * another object (a script block, a network adapter), which cannot be sent.
 */
export function remoteCommandLine(
  cmdletName: string,
  params: Bound,
  computerName: string,
  whatIf = false,
): string | null {
  const parts = [cmdletName];
  // -WhatIf set by $WhatIfPreference here holds there too (about_Preference_Variables).
  if (whatIf && params.WhatIf === undefined) parts.push('-WhatIf');
  for (const [name, value] of Object.entries(params)) {
    if (name === 'ComputerName' || value === undefined) continue;
    const text = literal(value, computerName);
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
 * An output object of the other server as a PowerShell value here. A Hyper-V object (its type in
 * `typeName`, as the other server reported it) is that type again, with its typed properties
 * (Uptime, CreationTime) rebuilt, so that it formats as a local one does, and its ComputerName is
 * the other server's: piped to a Hyper-V cmdlet it acts there. Another property bag becomes a
 * PSCustomObject with the same properties. (PowerShell remoting gives deserialized objects the
 * type `Deserialized.<type>`; Hyper-V's own `-ComputerName` does not go through remoting, and its
 * objects keep their type: Microsoft's Get-VM reference, "Outputs: VirtualMachine".)
 */
export function fromRemote(
  value: unknown,
  typeName: string | null = null,
  computerName: string | null = null,
): unknown {
  const typed = typeName === null ? undefined : typedProperties[typeName];
  if (typeName === null || typed === undefined || !isBag(value)) return asCustomObject(value, 0);
  const props: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const revive = typed[key];
    props[key] = revive !== undefined && item !== null ? revive(item) : asCustomObject(item, 1);
  }
  if (computerName !== null) props.ComputerName = computerName;
  return new PsObject(typeName, props);
}

function isBag(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function asCustomObject(value: unknown, depth: number): unknown {
  if (Array.isArray(value)) return value.map((item) => asCustomObject(item, depth + 1));
  if (isBag(value)) {
    if (depth > 16) return toPsString(JSON.stringify(value));
    const props: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) props[key] = asCustomObject(item, depth + 1);
    return new PsObject(customObjectType, props);
  }
  return value;
}

/** The type name of each of `count` objects, from the other server's runs of type names. */
export function typeNamesOf(runs: RemoteObjectTypes | undefined, count: number): (string | null)[] {
  const names: (string | null)[] = [];
  for (const [name, times] of runs ?? [])
    for (let i = 0; i < times && names.length < count; i++) names.push(name);
  while (names.length < count) names.push(null);
  return names;
}

/** Hyper-V objects among the bound values: the computer each comes from (their ComputerName). */
export function computersOfObjects(params: Bound): string[] {
  const names: string[] = [];
  for (const value of Object.values(params))
    for (const item of Array.isArray(value) ? value : [value])
      if (item instanceof PsObject && namedThereBy[item.typeName] !== undefined) {
        const name = item.get('ComputerName');
        if (typeof name === 'string' && !names.includes(name)) names.push(name);
      }
  return names;
}

/** The bound values with only the Hyper-V objects of computer `name` (each other value as it is). */
export function objectsOf(params: Bound, keep: (computerName: string) => boolean): Bound {
  const out: Bound = {};
  for (const [key, value] of Object.entries(params)) {
    const ours = (item: unknown): boolean =>
      !(item instanceof PsObject) ||
      namedThereBy[item.typeName] === undefined ||
      keep(toPsString(item.get('ComputerName')));
    if (Array.isArray(value)) out[key] = value.filter(ours);
    else if (ours(value)) out[key] = value;
  }
  return out;
}
