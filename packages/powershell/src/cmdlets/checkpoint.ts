/** Checkpoint cmdlets: Checkpoint-VM and the *-VMSnapshot family (aliases *-VMCheckpoint). */
import type { Checkpoint, CheckpointId, Task, TaskId, VmId, VmSummary } from '@hvm/engine';
import { ErrorCode, isEngineError, isWarnedFallback, type EngineError } from '@hvm/engine';
import { PsError } from '../errors.js';
import { hasWildcard } from '../runtime/evaluate.js';
import { PsObject, toPsString } from '../runtime/values.js';
import { nameOrVmSets, nameParams } from './vm.js';
import { SNAPSHOT_TYPE, VM_TYPE, nameMatcher, snapshotObject, snapshotObjects } from './objects.js';
import { forEachTarget, vmsOf } from './eachVm.js';
import type { Bound, CmdletContext, CmdletDef, ParamDef } from './types.js';
import type { HostRead } from '../runtime/hostReadAhead.js';

const cls = (name: string): string => `Microsoft.HyperV.PowerShell.Commands.${name}`;

function snapshotNotFound(): PsError {
  return new PsError('Unable to find a snapshot matching the given criteria.', {
    category: 'ObjectNotFound',
    errorId: 'ObjectNotFound',
    exceptionType: 'VirtualizationException',
  });
}

function namesMatch(patterns: string[] | null, name: string): boolean {
  return patterns === null || patterns.some((p) => nameMatcher(p)(name));
}

function asPatterns(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  return Array.isArray(value) ? value.map(String) : [toPsString(value)];
}

/** Checkpoints named by -VMSnapshot objects, or by -VMName/-VM plus -Name (wildcards). */
function targetCheckpoints(
  ctx: CmdletContext,
  params: Bound,
  skipMissing = false,
  /** Told each VM whose checkpoints were looked at. */
  seen: VmSummary[] = [],
): Checkpoint[] {
  const objects = params.VMSnapshot;
  if (objects !== undefined) {
    const found: Checkpoint[] = [];
    for (const o of (Array.isArray(objects) ? objects : [objects]) as PsObject[]) {
      const vmId = toPsString(o.get('VMId')) as VmId;
      const id = toPsString(o.get('Id'));
      const checkpoint = ctx.host.listVms().some((vm) => vm.id === vmId)
        ? ctx.host.listCheckpoints(vmId).checkpoints.find((c) => c.id === id)
        : undefined;
      // A checkpoint removed earlier in the same pipeline (with its parent's subtree) is skipped.
      if (checkpoint) found.push(checkpoint);
      else if (!skipMissing) ctx.writeError(snapshotNotFound());
    }
    return found;
  }
  const patterns = asPatterns(params.Name);
  const found: Checkpoint[] = [];
  for (const vm of vmsOf(ctx, params)) {
    seen.push(vm);
    const matches = ctx.host
      .listCheckpoints(vm.id)
      .checkpoints.filter((c) => namesMatch(patterns, c.name));
    if (matches.length === 0 && patterns !== null && !patterns.every(hasWildcard))
      ctx.writeError(snapshotNotFound());
    found.push(...matches);
  }
  return found;
}

/**
 * Checkpoint-VM on a VM whose checkpoints are disabled: Hyper-V's four lines with the VM ID, the
 * engine's message (behaviour spec R31, hashicorp/vagrant#9977). [B] the CategoryInfo and
 * FullyQualifiedErrorId were not quoted there; ours are the engine's for a failed operation.
 */
function checkpointsDisabledRecord(error: EngineError): PsError {
  return new PsError(error.message, {
    category: 'NotSpecified',
    errorId: 'OperationFailed',
    exceptionType: 'VirtualizationException',
  });
}

const snapshotParam: ParamDef = {
  name: 'VMSnapshot',
  type: 'object[]',
  aliases: ['VMCheckpoint'],
  objectTypes: [SNAPSHOT_TYPE],
  position: 0,
  pipelineByValue: true,
};
const vmParam: ParamDef = {
  name: 'VM',
  type: 'object[]',
  objectTypes: [VM_TYPE],
  position: 0,
  pipelineByValue: true,
};

const checkpointVm: CmdletDef = {
  name: 'Checkpoint-VM',
  className: cls('CheckpointVM'),
  shouldProcess: true,
  parameterSets: nameOrVmSets,
  params: [
    ...nameParams,
    { name: 'SnapshotName', type: 'string', aliases: ['CheckpointName'], position: 1 },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    const name = params.SnapshotName;
    await forEachTarget(ctx, vmsOf(ctx, params, 'Name'), async (vm) => {
      if (!(await ctx.shouldProcess(vm.name))) return;
      const checkpoint = await ctx.host
        .createCheckpoint(vm.id, typeof name === 'string' ? { name } : {})
        .catch((error: unknown) => {
          throw isEngineError(error, ErrorCode.CheckpointsDisabled)
            ? checkpointsDisabledRecord(error)
            : error;
        });
      if (isWarnedFallback(checkpoint.fallbackReason)) {
        // The checkpoint says why it fell back, as the event log's warning does; the wording is the
        // behaviour spec's proposal (section 1.5).
        ctx.writeWarning(
          `Production checkpoints cannot be created for '${vm.name}'. A standard checkpoint was created instead.`,
        );
      }
      if (params.Passthru === true) ctx.write(snapshotObject(ctx.host, checkpoint));
    });
  },
};

const snapshotTypes = [
  'Standard',
  'Recovery',
  'Planned',
  'Missing',
  'Replica',
  'AppConsistentReplica',
  'SyncedReplica',
];

const getSnapshot: CmdletDef = {
  name: 'Get-VMSnapshot',
  aliases: ['Get-VMCheckpoint'],
  className: cls('GetVMSnapshot'),
  // Microsoft's Get-VMSnapshot reference: -VMName, -VM, -Id, -ParentOf, -ChildOf are each required in
  // their set.
  parameterSets: [
    { name: 'VMName', mandatory: ['VMName'], members: ['Name'] },
    { name: 'VMObject', mandatory: ['VM'], members: ['Name'] },
    { name: 'Id', mandatory: ['Id'] },
    { name: 'Parent', mandatory: ['ParentOf'] },
    { name: 'Child', mandatory: ['ChildOf'] },
  ],
  params: [
    { name: 'VMName', type: 'string[]', position: 0, pipelineByValue: true },
    { name: 'Name', type: 'string', position: 1 },
    vmParam,
    { name: 'Id', type: 'string' },
    { name: 'ParentOf', type: 'object', objectTypes: [VM_TYPE, SNAPSHOT_TYPE] },
    { name: 'ChildOf', type: 'object', objectTypes: [SNAPSHOT_TYPE] },
    {
      name: 'SnapshotType',
      type: 'enum',
      enumValues: snapshotTypes,
      enumType: 'Microsoft.HyperV.PowerShell.SnapshotType',
    },
  ],
  // A VM piped in (`Get-VM | Get-VMSnapshot`): the VM, its checkpoints, and the computer name
  // twice (whether the VM is this host's, computerName.ts; the checkpoints' ComputerName).
  readAhead: (items) =>
    items.flatMap((item): HostRead[] => {
      if (!(item instanceof PsObject) || item.typeName !== VM_TYPE) return [];
      const vmId = toPsString(item.get('Id'));
      return [
        { method: 'info', args: [] },
        { method: 'getVmSummary', args: [vmId] },
        { method: 'listCheckpoints', args: [vmId] },
        { method: 'info', args: [] },
      ];
    }),
  process(ctx, params) {
    const id = params.Id;
    const parentOf = params.ParentOf;
    const childOf = params.ChildOf;
    let list: Checkpoint[];
    const vms: VmSummary[] = [];
    if (typeof id === 'string') {
      list = ctx.host
        .listVms()
        .flatMap((vm) => ctx.host.listCheckpoints(vm.id).checkpoints)
        .filter((c) => c.id.toLowerCase() === id.toLowerCase());
      if (list.length === 0) ctx.writeError(snapshotNotFound());
    } else if (parentOf instanceof PsObject) {
      const vmId = String(parentOf.get('VMId')) as VmId;
      const parentId = parentOf.get('ParentSnapshotId');
      list =
        parentId === null || parentId === undefined
          ? []
          : [ctx.host.getCheckpoint(vmId, toPsString(parentId) as CheckpointId)];
    } else if (childOf instanceof PsObject) {
      const vmId = String(childOf.get('VMId')) as VmId;
      list = ctx.host
        .listCheckpoints(vmId)
        .checkpoints.filter((c) => c.parentId === childOf.get('Id'));
    } else {
      list = targetCheckpoints(ctx, params, false, vms);
    }
    const type = params.SnapshotType;
    // Oldest first, as Hyper-V lists them (the tree order differs once there are branches).
    const ordered = list
      .map((c, i) => ({ c, i, at: Date.parse(c.createdAt) }))
      .sort((a, b) => a.at - b.at || a.i - b.i)
      .map(({ c }) => c);
    const wanted = ordered.filter((c) => type === undefined || c.snapshotType === type);
    for (const object of snapshotObjects(ctx.host, wanted, vms)) ctx.write(object);
    return Promise.resolve();
  },
};

const restoreSnapshot: CmdletDef = {
  name: 'Restore-VMSnapshot',
  aliases: ['Restore-VMCheckpoint'],
  className: cls('RestoreVMSnapshot'),
  shouldProcess: true,
  confirmImpact: 'High',
  // Microsoft's Restore-VMSnapshot reference: SnapshotName (-Name, -VMName), SnapshotObject
  // (-VMSnapshot), VM (-VM, -Name), all required.
  parameterSets: [
    { name: 'SnapshotName', mandatory: ['Name', 'VMName'] },
    { name: 'SnapshotObject', mandatory: ['VMSnapshot'] },
    { name: 'VM', mandatory: ['VM', 'Name'] },
  ],
  params: [
    { name: 'Name', type: 'string', position: 0 },
    { name: 'VMName', type: 'string', position: 1 },
    { ...snapshotParam, type: 'object' },
    { name: 'VM', type: 'object', objectTypes: [VM_TYPE], pipelineByValue: true },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    const checkpoints = targetCheckpoints(ctx, params);
    if (checkpoints.length > 1) {
      throw new PsError(
        'The operation cannot be performed because more than one checkpoint matches the given criteria.',
        {
          category: 'InvalidArgument',
          errorId: 'InvalidParameter',
          exceptionType: 'VirtualizationException',
        },
      );
    }
    for (const c of checkpoints) {
      // The What if text is Hyper-V's (behaviour spec R28, [P]); the question is PowerShell's fallback
      // around it (CommandBaseStrings.ShouldProcessWarningFallback), as Microsoft's Restore-VMSnapshot
      // reference shows in example 1: "Are you sure you want to perform this action?" /
      // "Restore-VMSnapshot will restore checkpoint "Base image"."
      const asked = await ctx.shouldProcess(c.name, {
        description: `Restore-VMSnapshot will restore checkpoint "${c.name}".`,
      });
      if (!asked) continue;
      await ctx.host.applyCheckpoint(c.vmId, c.id);
      if (params.Passthru === true)
        ctx.write(snapshotObject(ctx.host, ctx.host.getCheckpoint(c.vmId, c.id)));
    }
  },
};

const removeSnapshot: CmdletDef = {
  name: 'Remove-VMSnapshot',
  aliases: ['Remove-VMCheckpoint'],
  className: cls('RemoveVMSnapshot'),
  shouldProcess: true,
  // Removing a checkpoint cannot be undone, so it asks first like Remove-VM. [B] unverified: the
  // impact level of Hyper-V's Remove-VMSnapshot is not documented, and the reference's examples
  // (Get-VMSnapshot ... | Remove-VMSnapshot) show no prompt; this is the product's guard rail.
  confirmImpact: 'High',
  // Microsoft's Remove-VMSnapshot reference: -VMName, -VMSnapshot, -VM required in their sets; -Name is
  // optional (every checkpoint of the VM).
  parameterSets: [
    { name: 'SnapshotName', mandatory: ['VMName'], members: ['Name'] },
    { name: 'SnapshotObject', mandatory: ['VMSnapshot'] },
    { name: 'VMObject', mandatory: ['VM'], members: ['Name'] },
  ],
  params: [
    { name: 'VMName', type: 'string[]', position: 0, pipelineByPropertyName: true },
    { name: 'Name', type: 'string[]', position: 1, pipelineByPropertyName: true },
    snapshotParam,
    { ...vmParam, position: 0 },
    { name: 'IncludeAllChildSnapshots', type: 'switch', aliases: ['IncludeAllChildCheckpoints'] },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    await forEachTarget(ctx, targetCheckpoints(ctx, params, true), async (c) => {
      const tree = ctx.host.listCheckpoints(c.vmId);
      if (!tree.checkpoints.some((x) => x.id === c.id)) return; // already gone with a removed subtree
      const asked = await ctx.shouldProcess(c.name, {
        // [B] unverified wording (behaviour spec R28).
        description: `Remove-VMSnapshot will remove checkpoint "${c.name}".`,
      });
      if (!asked) return;
      const object = params.Passthru === true ? snapshotObject(ctx.host, c) : null;
      if (params.IncludeAllChildSnapshots === true)
        await ctx.host.deleteCheckpointSubtree(c.vmId, c.id);
      else await ctx.host.deleteCheckpoint(c.vmId, c.id);
      if (object) ctx.write(object);
    });
  },
};

const renameSnapshot: CmdletDef = {
  name: 'Rename-VMSnapshot',
  aliases: ['Rename-VMCheckpoint'],
  className: cls('RenameVMSnapshot'),
  shouldProcess: true,
  // Microsoft's Rename-VMSnapshot reference: -NewName in every set.
  parameterSets: [
    { name: 'SnapshotName', mandatory: ['Name', 'VMName', 'NewName'] },
    { name: 'SnapshotObject', mandatory: ['VMSnapshot', 'NewName'] },
    { name: 'VM', mandatory: ['VM', 'Name', 'NewName'] },
  ],
  params: [
    { name: 'Name', type: 'string', position: 0 },
    { name: 'VMName', type: 'string', position: 1 },
    { name: 'NewName', type: 'string', position: 2 },
    { ...snapshotParam, type: 'object' },
    { name: 'VM', type: 'object', objectTypes: [VM_TYPE], pipelineByValue: true },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    const newName = params.NewName;
    if (typeof newName !== 'string') return; // mandatory: bound before the cmdlet runs
    for (const c of targetCheckpoints(ctx, params)) {
      if (!(await ctx.shouldProcess(c.name))) continue;
      const renamed = await ctx.host.renameCheckpoint(c.vmId, c.id, newName);
      if (params.Passthru === true) ctx.write(snapshotObject(ctx.host, renamed));
    }
  },
};

const exportSnapshot: CmdletDef = {
  name: 'Export-VMSnapshot',
  aliases: ['Export-VMCheckpoint'],
  className: cls('ExportVMSnapshot'),
  shouldProcess: true,
  // Microsoft's Export-VMSnapshot reference: -Path in every set.
  parameterSets: [
    { name: 'SnapshotName', mandatory: ['Name', 'Path', 'VMName'] },
    { name: 'SnapshotObject', mandatory: ['VMSnapshot', 'Path'] },
    { name: 'VMObject', mandatory: ['VM', 'Name', 'Path'] },
  ],
  params: [
    { name: 'Name', type: 'string[]', position: 0 },
    { name: 'Path', type: 'string', position: 1 },
    { name: 'VMName', type: 'string[]' },
    { ...snapshotParam },
    { name: 'VM', type: 'object[]', objectTypes: [VM_TYPE], pipelineByValue: true },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    const path = params.Path;
    if (typeof path !== 'string') return; // mandatory: bound before the cmdlet runs
    await forEachTarget(ctx, targetCheckpoints(ctx, params), async (c) => {
      if (!(await ctx.shouldProcess(c.name))) return;
      // Like Hyper-V without -AsJob, the cmdlet returns once the export finished.
      const task = await ctx.host.exportCheckpoint(c.vmId, c.id, { path });
      const done = await waitForTask(ctx, task.id);
      if (done.status === 'Failed') {
        throw new PsError(done.error?.message ?? `Failed to export checkpoint '${c.name}'.`, {
          category: 'NotSpecified',
          errorId: 'OperationFailed',
          exceptionType: 'VirtualizationException',
        });
      }
      if (params.Passthru === true) ctx.write(snapshotObject(ctx.host, c));
    });
  },
};

/** Resolves with the task once it is no longer running. */
export function waitForTask(ctx: CmdletContext, taskId: TaskId): Promise<Task> {
  return new Promise((resolve) => {
    const finished = (task: Task): boolean => {
      if (task.status === 'Running') return false;
      stop();
      resolve(task);
      return true;
    };
    const stop = ctx.host.subscribe((event) => {
      if (event.type === 'task-changed' && event.task.id === taskId) finished(event.task);
    });
    finished(ctx.host.getTask(taskId));
  });
}

export const checkpointCmdlets: CmdletDef[] = [
  checkpointVm,
  getSnapshot,
  restoreSnapshot,
  removeSnapshot,
  renameSnapshot,
  exportSnapshot,
];
