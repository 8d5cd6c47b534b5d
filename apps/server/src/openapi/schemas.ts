/** JSON Schemas of the engine's DTOs (packages/engine/src/types.ts) and of the error body. */
import {
  VmHeartbeatStatus,
  ProductionFallbackReason,
  AutomaticStartAction,
  AutomaticStopAction,
  CheckpointKind,
  CheckpointType,
  ErrorCode,
  TaskStatus,
  VmState,
  BiosStartupDevice,
  SecureBootTemplate,
} from '@hvm/engine';
import { AUTOMATIC_START_DELAY_MAX_SECONDS } from '@hvm/contracts';
import { ruleSchemas, vmRuleProperties } from './ruleSchemas.js';
import { HttpErrorCode } from '../http/errors.js';
import type { JsonSchema } from './types.js';

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

const str: JsonSchema = { type: 'string' };
const int: JsonSchema = { type: 'integer' };
const bool: JsonSchema = { type: 'boolean' };
const time: JsonSchema = { type: 'string', format: 'date-time' };
const uuid: JsonSchema = { type: 'string', format: 'uuid' };
const nullable = (schema: JsonSchema): JsonSchema => ({ oneOf: [schema, { type: 'null' }] });
const values = (set: Record<string, string>): JsonSchema => ({
  type: 'string',
  enum: Object.values(set),
});

/** An object whose every listed property is required. */
function object(properties: Record<string, JsonSchema>, description?: string): JsonSchema {
  return {
    type: 'object',
    ...(description === undefined ? {} : { description }),
    properties,
    required: Object.keys(properties),
  };
}

/** The schema with further properties that are not required. */
function withOptional(schema: JsonSchema, properties: Record<string, JsonSchema>): JsonSchema {
  return {
    ...schema,
    properties: { ...(schema.properties as Record<string, JsonSchema>), ...properties },
  };
}

const vmSummaryProperties = {
  id: uuid,
  name: str,
  generation: { type: 'integer', enum: [1, 2] },
  state: ref('VmState'),
  cpuUsage: { type: 'number', minimum: 0, maximum: 100 },
  memoryStartupMB: int,
  memoryAssignedMB: int,
  uptimeMs: int,
  observedAt: time,
  status: str,
  configurationVersion: str,
  checkpointType: ref('CheckpointType'),
  automaticCheckpointsEnabled: bool,
  snapshotFileLocation: str,
  parentCheckpointId: nullable(uuid),
  parentCheckpointName: nullable(str),
  checkpointCount: int,
  guestImage: nullable(str),
  createdAt: time,
  ...vmRuleProperties,
};

const integrationServices = object({
  operatingSystemShutdown: bool,
  timeSynchronization: bool,
  dataExchange: bool,
  heartbeat: bool,
  backup: bool,
  guestServices: bool,
});

const task = withOptional(
  object({
    // Null for a host task on a virtual hard disk of no VM (New-VHD, the Edit Disk wizard).
    vmId: nullable(uuid),
    id: uuid,
    name: str,
    status: values(TaskStatus),
    percentComplete: { type: 'number', minimum: 0, maximum: 100 },
    startedAt: time,
    finishedAt: nullable(time),
    error: nullable(object({ code: str, message: str })),
  }),
  { disk: { ...str, description: "A host task's virtual hard disk." } },
);

const eventSchemas = {
  VmChangedEvent: object({ type: { const: 'vm-changed' }, vm: ref('VmSummary') }),
  VmRemovedEvent: object({ type: { const: 'vm-removed' }, vmId: uuid }),
  CheckpointsChangedEvent: object({ type: { const: 'checkpoints-changed' }, vmId: uuid }),
  TaskChangedEvent: object({ type: { const: 'task-changed' }, task: ref('Task') }),
  EventLoggedEvent: object({ type: { const: 'event-logged' }, entry: ref('EventLogEntry') }),
};

export const componentSchemas: Record<string, JsonSchema> = {
  VmState: values(VmState),
  CheckpointType: values(CheckpointType),
  CheckpointKind: values(CheckpointKind),
  HostInfo: {
    ...object({ name: str, vmCount: int, maxCheckpointsPerVm: int }),
    properties: {
      name: str,
      dataLocation: {
        ...str,
        description: 'Absolute path of the host data folder; shown to Administrators only.',
      },
      vmCount: int,
      maxCheckpointsPerVm: int,
      virtualHardDiskPath: {
        ...str,
        description:
          "Hyper-V Settings: the folder new VMs' disks go to (Set-VMHost): a full path on the host for Administrators, relative to the data folder for others.",
      },
      virtualMachinePath: {
        ...str,
        description:
          "Hyper-V Settings: the folder under whose Snapshots new VMs' checkpoints go: a full path on the host for Administrators, relative to the data folder for others ('.' is the data folder).",
      },
    },
  },
  VmSummary: object(vmSummaryProperties),
  VmDetail: withOptional(
    object({
      ...vmSummaryProperties,
      integrationServices,
      hardDrives: {
        type: 'array',
        items: object({
          controllerLocation: str,
          path: str,
          chain: { type: 'array', items: str },
          virtualSizeBytes: int,
        }),
      },
      configurationLocation: str,
      automaticStartAction: values(AutomaticStartAction),
      automaticStartDelaySeconds: {
        type: 'integer',
        minimum: 0,
        maximum: AUTOMATIC_START_DELAY_MAX_SECONDS,
      },
      automaticStopAction: values(AutomaticStopAction),
    }),
    {
      hardware: {
        ...ref('VmHardware'),
        description: 'Processors and memory (Get-VMProcessor, Get-VMMemory).',
      },
      notes: str,
      heartbeat: {
        ...nullable(values(VmHeartbeatStatus)),
        description: "Get-VM's Heartbeat: null unless the VM is Running.",
      },
      networkAdapters: {
        type: 'array',
        items: ref('NetworkAdapter'),
        description:
          "The VM's network adapters in the order they were added, each with its switch (null: Not connected).",
      },
      guestIpAddresses: {
        ...nullable({ type: 'array', items: str }),
        description:
          'The addresses a real guest (QEMU host) reports on all its network adapters through Key-Value Pair Exchange; null for a simulated guest.',
      },
      guestAdapterIpAddresses: {
        ...nullable({ type: 'object', additionalProperties: { type: 'array', items: str } }),
        description:
          "A real guest's addresses by network adapter ID, each interface matched to its adapter by MAC address (Get-VMNetworkAdapter's IPAddresses); null for a simulated guest.",
      },
      scsiControllers: {
        type: 'array',
        items: ref('ScsiController'),
        description: "The VM's SCSI controllers by number (Get-VMScsiController).",
      },
      integrationServicesInContact: {
        ...bool,
        description:
          "Whether the guest's integration services answer (Running, booted, installed).",
      },
      vmGenerationId: {
        ...str,
        description:
          "The VM-Generation ID (a simulator extension: Hyper-V's PowerShell has no property for it). New on Apply and Import.",
      },
      guestSimulation: {
        $ref: '#/components/schemas/GuestSimulation',
        description: "Simulated guest faults (a simulation extension, not Hyper-V's).",
      },
      firmware: {
        ...ref('VmFirmware'),
        description: 'Firmware (generation 2) and BIOS (generation 1): Get-VMFirmware, Get-VMBios.',
      },
      security: { ...ref('VmSecurity'), description: 'Get-VMSecurity.' },
    },
  ),
  VmFirmware: object({
    secureBootEnabled: bool,
    secureBootTemplate: values(SecureBootTemplate),
    bootOrder: {
      type: 'array',
      items: object({ device: { const: 'HardDiskDrive' }, controllerLocation: str, path: str }),
    },
    startupOrder: { type: 'array', items: values(BiosStartupDevice) },
    numLockEnabled: bool,
  }),
  VmSecurity: object({ tpmEnabled: bool, encryptStateAndVmMigrationTraffic: bool, shielded: bool }),
  CheckpointSettings: object(
    {
      generation: { type: 'integer', enum: [1, 2] },
      memoryStartupMB: int,
      hardware: ref('VmHardware'),
      integrationServices,
      firmware: ref('VmFirmware'),
      security: ref('VmSecurity'),
      hardDrives: {
        type: 'array',
        items: object({ controllerLocation: str, path: str, virtualSizeBytes: int }),
      },
      networkAdapters: { type: 'array', items: ref('NetworkAdapter') },
      scsiControllers: { type: 'array', items: ref('ScsiController') },
    },
    "The VM's settings as the checkpoint froze them (what Apply brings back).",
  ),
  VmHardware: object({
    processorCount: { type: 'integer', minimum: 1 },
    dynamicMemoryEnabled: bool,
    memoryMinimumMB: int,
    memoryMaximumMB: int,
    memoryBufferPercent: { type: 'integer', minimum: 5, maximum: 2000 },
    memoryWeight: { type: 'integer', minimum: 0, maximum: 100 },
  }),
  Checkpoint: withOptional(
    object({
      id: uuid,
      vmId: uuid,
      name: str,
      parentId: nullable(uuid),
      createdAt: time,
      kind: ref('CheckpointKind'),
      snapshotType: { type: 'string', enum: ['Standard', 'Recovery'] },
      vmState: ref('VmState'),
      hasSavedState: bool,
      isAutomaticCheckpoint: bool,
      note: nullable(str),
      fallbackReason: nullable(values(ProductionFallbackReason)),
      hardDrives: { type: 'array', items: str },
      sizeOnDiskBytes: int,
      consistency: nullable(ref('Consistency')),
      consistencyDetail: nullable(str),
    }),
    {
      settings: {
        ...ref('CheckpointSettings'),
        description: "The VM's settings as of the checkpoint; in GET of one checkpoint only.",
      },
      deleteOutcome: {
        ...ref('CheckpointDeleteOutcomes'),
        description:
          'What Delete Checkpoint and Delete Checkpoint Subtree will do; in GET of one checkpoint, and in the tree unless it is asked for with `deleteOutcomes=false`.',
      },
    },
  ),
  ...ruleSchemas,
  CheckpointTree: object({
    vmId: uuid,
    checkpoints: { type: 'array', items: ref('Checkpoint') },
    now: object({ parentId: nullable(uuid) }),
  }),
  Task: task,
  DeleteCheckpointAccepted: object({ task: ref('Task') }),
  ...eventSchemas,
  HostEvent: { oneOf: Object.keys(eventSchemas).map(ref) },
  Error: object({
    error: object({
      code: {
        type: 'string',
        enum: [...Object.values(ErrorCode), ...Object.values(HttpErrorCode)],
      },
      message: str,
      details: {
        type: 'object',
        description:
          'Structured details. Validation failures list `issues: [{ location, field, code, message }]`; CORRUPT_DISK gives the structure and offset.',
        additionalProperties: true,
      },
    }),
  }),
};
