/**
 * What Get-Member says about our values: the .NET type name of a value and the types of the
 * Hyper-V objects' properties. The Hyper-V property types follow the Hyper-V module's classes
 * (Microsoft.HyperV.PowerShell.VirtualMachine, VMSnapshot...) as `Get-VM | Get-Member` is widely
 * shown; they are not verified one by one against a Hyper-V host [B]. Properties this product adds
 * (GuestImage, CheckpointKind, SizeOnDiskBytes...) take the type of their value.
 */
import { PsObject, ScriptBlock, TimeSpan, customObjectType } from '../runtime/values.js';

const nullableGuid = 'System.Nullable[guid]';

export const hyperVPropertyTypes: Record<string, Record<string, string>> = {
  'Microsoft.HyperV.PowerShell.VirtualMachine': {
    Name: 'string',
    State: 'Microsoft.HyperV.PowerShell.VMState',
    CPUUsage: 'int',
    MemoryAssigned: 'long',
    MemoryStartup: 'long',
    MemoryMinimum: 'long',
    MemoryMaximum: 'long',
    DynamicMemoryEnabled: 'bool',
    ProcessorCount: 'long',
    Uptime: 'timespan',
    Status: 'string',
    Version: 'string',
    Generation: 'int',
    CheckpointType: 'Microsoft.HyperV.PowerShell.CheckpointType',
    AutomaticCheckpointsEnabled: 'bool',
    SnapshotFileLocation: 'string',
    ConfigurationLocation: 'string',
    Path: 'string',
    ParentSnapshotId: nullableGuid,
    ParentSnapshotName: 'string',
    Heartbeat: 'System.Nullable[Microsoft.HyperV.PowerShell.VMHeartbeatStatus]',
    Notes: 'string',
    AutomaticStartAction: 'Microsoft.HyperV.PowerShell.StartAction',
    AutomaticStartDelay: 'int',
    AutomaticStopAction: 'Microsoft.HyperV.PowerShell.StopAction',
    ComputerName: 'string',
    Id: 'guid',
  },
  'Microsoft.HyperV.PowerShell.VMSnapshot': {
    VMName: 'string',
    Name: 'string',
    SnapshotType: 'Microsoft.HyperV.PowerShell.SnapshotType',
    CreationTime: 'datetime',
    ParentSnapshotName: 'string',
    ParentSnapshotId: nullableGuid,
    Id: 'guid',
    VMId: 'guid',
    IsAutomaticCheckpoint: 'bool',
    State: 'Microsoft.HyperV.PowerShell.VMState',
    Path: 'string',
    ComputerName: 'string',
  },
};

/** The VirtualMachine's VMName and VMId are aliases of Name and Id (Hyper-V's type data) [B]. */
export const hyperVAliases: Record<string, Record<string, string>> = {
  'Microsoft.HyperV.PowerShell.VirtualMachine': { VMName: 'Name', VMId: 'Id' },
};

/** The full .NET type name of a value (the TypeName line of Get-Member). */
export function netTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'System.Object';
  if (typeof value === 'string') return 'System.String';
  if (typeof value === 'boolean') return 'System.Boolean';
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return 'System.Double';
    return Math.abs(value) <= 2_147_483_647 ? 'System.Int32' : 'System.Int64';
  }
  if (value instanceof Date) return 'System.DateTime';
  if (value instanceof TimeSpan) return 'System.TimeSpan';
  if (value instanceof ScriptBlock) return 'System.Management.Automation.ScriptBlock';
  if (Array.isArray(value)) return 'System.Object[]';
  if (value instanceof PsObject) return value.typeName;
  return 'System.Object';
}

const shortNames: Record<string, string> = {
  'System.Object': 'System.Object',
  'System.String': 'string',
  'System.Boolean': 'bool',
  'System.Int32': 'int',
  'System.Int64': 'long',
  'System.Double': 'double',
  'System.DateTime': 'datetime',
  'System.TimeSpan': 'timespan',
  'System.Management.Automation.ScriptBlock': 'scriptblock',
  [customObjectType]: 'System.Management.Automation.PSCustomObject',
};

/** The type as a Definition shows it: PowerShell's short names for the common types. */
export function definitionTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'object';
  const full = netTypeName(value);
  return shortNames[full] ?? full;
}
