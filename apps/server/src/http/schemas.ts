/**
 * The zod schemas of every route's params, query and body. They validate requests and are the
 * source of the OpenAPI request schemas.
 */
import {
  AUTOMATIC_START_DELAY_MAX_SECONDS,
  AutomaticStartAction,
  AutomaticStopAction,
  BiosStartupDevice,
  CheckpointType,
  SecureBootTemplate,
  VmAction,
} from '@hvm/engine';
import type { CheckpointId, TaskId, VmId } from '@hvm/engine';
import { z } from 'zod';

const checkpointTypeNames = Object.values(CheckpointType).join(', ');

/** Rejects an unknown value with PowerShell's enum-conversion message. */
export const checkpointTypeSchema = z.enum(CheckpointType, {
  error: (issue) =>
    `Cannot convert value "${String(issue.input)}" to type "CheckpointType". Specify one of the following enumerator names and try again: ${checkpointTypeNames}`,
});

function nameSchema(what: string) {
  return z
    .string()
    .min(1, `The ${what} name cannot be empty.`)
    .max(100, `The ${what} name must be at most 100 characters long.`);
}

export const vmNameSchema = nameSchema('virtual machine');
export const checkpointNameSchema = nameSchema('checkpoint');

const idSchema = z.string().min(1).max(200);
const vmIdSchema = idSchema.transform((value) => value as VmId);
const checkpointIdSchema = idSchema.transform((value) => value as CheckpointId);
const taskIdSchema = idSchema.transform((value) => value as TaskId);

export const vmParams = z.object({ vmId: vmIdSchema });
export const checkpointParams = z.object({ vmId: vmIdSchema, checkpointId: checkpointIdSchema });
export const taskParams = z.object({ taskId: taskIdSchema });

const vmActionNames = Object.values(VmAction).join(', ');
export const vmActionSchema = z.enum(VmAction, {
  error: (issue) =>
    `"${String(issue.input)}" is not a virtual machine action. Specify one of: ${vmActionNames}, revert`,
});
export const vmActionParams = z.object({ vmId: vmIdSchema, action: vmActionSchema });

export const createVmBody = z.strictObject({
  name: vmNameSchema,
  generation: z.union([z.literal(1), z.literal(2)]).exactOptional(),
  memoryStartupMB: z.int().positive().exactOptional(),
  guestWorkingSetMB: z.int().positive().exactOptional(),
  diskSizeBytes: z.int().positive().exactOptional(),
  /** A guest image name of the engine's gallery; null or absent for a blank disk. */
  guestImage: z.string().min(1).max(100).nullable().exactOptional(),
  /** The new disk's path in the data folder (New-VM -NewVHDPath); default `<VirtualHardDiskPath>/<name>.vhdx`. */
  newVhdPath: z.string().min(1).max(260).exactOptional(),
  /** An existing disk in the data folder that no VM uses (New-VM -VHDPath); excludes the new-disk fields. */
  vhdPath: z.string().min(1).max(260).exactOptional(),
  /** No disk (New-VM -NoVHD, the wizard's "Attach a virtual hard disk later"). */
  noVhd: z.boolean().exactOptional(),
  /** The wizard's Assign Memory: "Use Dynamic Memory for this virtual machine". */
  dynamicMemoryEnabled: z.boolean().exactOptional(),
  /** The wizard's Connection: a virtual switch's ID, null for "Not connected"; absent, the Default Switch. */
  switchId: z.string().min(1).max(100).nullable().exactOptional(),
});

export const integrationServicesBody = z.strictObject({
  operatingSystemShutdown: z.boolean().exactOptional(),
  timeSynchronization: z.boolean().exactOptional(),
  dataExchange: z.boolean().exactOptional(),
  heartbeat: z.boolean().exactOptional(),
  backup: z.boolean().exactOptional(),
  guestServices: z.boolean().exactOptional(),
});

/** The Firmware (generation 2) and BIOS (generation 1) fields; the engine checks the generation. */
export const firmwareBody = z.strictObject({
  secureBootEnabled: z.boolean().exactOptional(),
  secureBootTemplate: z.enum(SecureBootTemplate).exactOptional(),
  /** Controller locations of the VM's hard drives ("SCSI 0:1"), first to boot first. */
  bootOrder: z.array(z.string().min(1).max(20)).max(64).exactOptional(),
  startupOrder: z.array(z.enum(BiosStartupDevice)).max(4).exactOptional(),
  numLockEnabled: z.boolean().exactOptional(),
});

export const securityBody = z.strictObject({
  tpmEnabled: z.boolean().exactOptional(),
  encryptStateAndVmMigrationTraffic: z.boolean().exactOptional(),
});

export const updateVmBody = z.strictObject({
  name: vmNameSchema.exactOptional(),
  checkpointType: checkpointTypeSchema.exactOptional(),
  automaticCheckpointsEnabled: z.boolean().exactOptional(),
  snapshotFileLocation: z.string().min(1).max(260).exactOptional(),
  memoryStartupMB: z.int().positive().exactOptional(),
  guestWorkingSetMB: z.int().positive().exactOptional(),
  integrationServices: integrationServicesBody.exactOptional(),
  automaticStartAction: z.enum(AutomaticStartAction).exactOptional(),
  automaticStartDelaySeconds: z.int().min(0).max(AUTOMATIC_START_DELAY_MAX_SECONDS).exactOptional(),
  automaticStopAction: z.enum(AutomaticStopAction).exactOptional(),
  // Processors and memory (Set-VMProcessor, Set-VMMemory); the engine checks Hyper-V's rules.
  processorCount: z.int().min(1).max(240).exactOptional(),
  dynamicMemoryEnabled: z.boolean().exactOptional(),
  memoryMinimumMB: z.int().positive().exactOptional(),
  memoryMaximumMB: z.int().positive().exactOptional(),
  memoryBufferPercent: z.int().min(5).max(2000).exactOptional(),
  memoryWeight: z.int().min(0).max(100).exactOptional(),
  notes: z.string().max(10_000).exactOptional(),
  // Firmware, BIOS and Security (Set-VMFirmware, Set-VMBios, Set-VMSecurity, Enable-VMTPM).
  firmware: firmwareBody.exactOptional(),
  security: securityBody.exactOptional(),
});

/** Actions other than revert take no body (an empty object is accepted). */
export const emptyBody = z.strictObject({});

/** Revert and Apply: "Take Checkpoint and Apply" when `takeCheckpointFirst` is true. */
export const applyCheckpointBody = z.strictObject({
  takeCheckpointFirst: z.boolean().exactOptional(),
});

export const createCheckpointBody = z.strictObject({
  name: checkpointNameSchema.exactOptional(),
});

export const renameCheckpointBody = z.strictObject({
  name: checkpointNameSchema,
});

/**
 * `GET .../checkpoints?deleteOutcomes=false`: the tree without each checkpoint's delete outcomes.
 * They grow with the square of the tree's depth (a 50-deep chain's are over 300 KB of its 330);
 * a client that shows the tree asks for one checkpoint's when its Delete dialog opens.
 */
export const listCheckpointsQuery = z.object({
  deleteOutcomes: z.enum(['true', 'false']).exactOptional(),
});

export const deleteCheckpointQuery = z.object({
  subtree: z.enum(['true', 'false']).exactOptional(),
});

/** A PowerShell script for `POST /powershell`, with the console width its tables are laid out for. */
export const powerShellBody = z.strictObject({
  script: z
    .string()
    .min(1, 'The script cannot be empty.')
    .max(100_000, 'The script must be at most 100000 characters long.'),
  width: z.int().min(40).max(400).exactOptional(),
  /** Answer early at each prompt (`status: 'prompt'`) instead of failing it (non-interactive). */
  interactive: z.boolean().exactOptional(),
  /** The client's id for the run, so that it can stop the run while this request is open. */
  runId: z.uuid('The run ID must be a UUID.').exactOptional(),
  /**
   * The console session to run in: its jobs, variables and functions stay for the next run. An id
   * no session has opens a new session with it for the user (routes/powershellSessions.ts).
   */
  sessionId: z.uuid('The session ID must be a UUID.').exactOptional(),
  /**
   * Whether the answer carries the output objects (default true). A client that shows only the
   * console text (the web console, hvps) sends false: `objects` is empty and `objectTypes` absent;
   * the console text, the errors and the limits are the same. Added to /api/v1 without breaking
   * older clients (they send nothing and get the objects as before).
   */
  objects: z
    .boolean()
    .describe(
      'Whether the answer carries the output objects (default true). false: `objects` is empty and `objectTypes` absent, for a client that shows only the console text (the web console sends false); `output`, `errors` and the run limits are the same. On a large host the objects are most of the answer (`Get-VM | Get-VMSnapshot` over 100,000 checkpoints: about 66 MB of JSON against 4 MB of console text).',
    )
    .exactOptional(),
});

/** Tab completion: the command line and the cursor position in it (default: its end). */
export const powerShellCompletionsQuery = z.object({
  line: z.string().max(100_000),
  cursor: z
    .string()
    .regex(/^\d+$/, 'The cursor must be a non-negative integer.')
    .transform(Number)
    .exactOptional(),
});
