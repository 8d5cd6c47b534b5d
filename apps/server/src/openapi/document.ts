/** The OpenAPI 3.1 document of `/api/v1`, served at `/api/v1/openapi.json`. */
import { VmAction } from '@hvm/engine';
import {
  applyCheckpointBody,
  createCheckpointBody,
  createVmBody,
  renameCheckpointBody,
  updateVmBody,
} from '../http/schemas.js';
import {
  checkpointIdParam,
  errorRef,
  errorResponses,
  json,
  location,
  operation,
  taskIdParam,
  vmIdParam,
} from './operations.js';
import { diskPaths, diskSchemas } from './disks.js';
import { hardDrivePaths } from './hardDrives.js';
import { vmDevicePaths } from './vmDevices.js';
import { diskEditPaths, newDiskOperation } from './diskEdits.js';
import { importPaths } from './importVm.js';
import { hostSettingsOperation, switchPaths, switchSchemas } from './virtualSwitches.js';
import { eventLogPaths, eventLogSchemas } from './eventLog.js';
import { guestPaths, guestSchemas } from './guest.js';
import { guestSimulationPaths, guestSimulationSchemas } from './guestSimulation.js';
import { powerShellPaths, powerShellSchemas } from './powershell.js';
import { withAccessRules, securitySchemes } from './security.js';
import { sessionPaths, sessionSchemas } from './session.js';
import { hostPaths, hostSchemas } from './hosts.js';
import { componentSchemas, ref } from './schemas.js';
import type { OpenApiDocument, PathItemObject } from './types.js';

const ok = (description: string, schema: string) => ({
  description,
  content: json(ref(schema)),
});
const array = (description: string, schema: string) => ({
  description,
  content: json({ type: 'array', items: ref(schema) }),
});

const vm = [vmIdParam];
const checkpoint = [vmIdParam, checkpointIdParam];
const actionParam = {
  name: 'action',
  in: 'path' as const,
  required: true,
  description: 'The power action, as in Hyper-V Manager’s Action pane.',
  schema: { type: 'string', enum: Object.values(VmAction) },
};
const subtreeParam = {
  name: 'subtree',
  in: 'query' as const,
  required: false,
  description: '`true` for Delete Checkpoint Subtree: the checkpoint and all its descendants.',
  schema: { type: 'string', enum: ['true', 'false'] },
};

const deleteOutcomesParam = {
  name: 'deleteOutcomes',
  in: 'query' as const,
  required: false,
  description:
    '`false`: the tree without each checkpoint’s `deleteOutcome`, which grows with the square of the tree’s depth; `GET` of one checkpoint answers it. Default `true`.',
  schema: { type: 'string', enum: ['true', 'false'] },
};

const paths: Record<string, PathItemObject> = {
  '/host': {
    get: operation({
      operationId: 'getHost',
      summary: 'The host: name, data folder, VM count, checkpoint limit',
      tag: 'host',
      responses: { '200': ok('The host.', 'HostInfo') },
    }),
    patch: hostSettingsOperation,
  },
  '/vms': {
    get: operation({
      operationId: 'listVms',
      summary:
        'Every VM (Get-VM). Served with an ETag (`If-None-Match` answers 304 while the list is unchanged) and in gzip when accepted',
      tag: 'vms',
      responses: { '200': array('The VMs.', 'VmSummary') },
    }),
    post: operation({
      operationId: 'createVm',
      summary: 'New Virtual Machine (New-VM)',
      tag: 'vms',
      body: { schema: createVmBody, required: true },
      errors: { conflicts: true },
      responses: {
        '201': { ...ok('The new VM.', 'VmDetail'), headers: location('URL of the new VM.') },
      },
    }),
  },
  '/vms/{vmId}': {
    get: operation({
      operationId: 'getVm',
      summary: 'One VM with its settings',
      tag: 'vms',
      parameters: vm,
      responses: { '200': ok('The VM.', 'VmDetail') },
    }),
    patch: operation({
      operationId: 'updateVmSettings',
      summary: 'Change settings: name, checkpoint type, memory, integration services (Set-VM)',
      tag: 'vms',
      parameters: vm,
      body: { schema: updateVmBody, required: true },
      errors: { conflicts: true },
      responses: { '200': ok('The VM after the change.', 'VmDetail') },
    }),
    delete: operation({
      operationId: 'deleteVm',
      summary:
        'Delete the VM and its checkpoints, keeping its virtual hard disks (Remove-VM); it must be Off or Saved',
      tag: 'vms',
      parameters: vm,
      errors: { conflicts: true },
      responses: { '204': { description: 'Deleted.' } },
    }),
  },
  '/vms/{vmId}/actions/{action}': {
    post: operation({
      operationId: 'changeVmState',
      summary: 'Start, Turn Off, Shut Down, Save, Pause, Resume or Reset',
      tag: 'vms',
      parameters: [vmIdParam, actionParam],
      errors: { conflicts: true },
      responses: { '200': ok('The VM in its resulting steady state.', 'VmSummary') },
    }),
  },
  '/vms/{vmId}/actions/revert': {
    post: operation({
      operationId: 'revertVm',
      summary: 'Revert: apply the parent checkpoint of Now',
      tag: 'vms',
      parameters: vm,
      body: { schema: applyCheckpointBody, required: false },
      errors: { conflicts: true },
      responses: { '200': ok('The VM after the revert.', 'VmSummary') },
    }),
  },
  '/vms/{vmId}/actions/delete-saved-state': {
    post: operation({
      operationId: 'deleteSavedState',
      summary:
        'Delete Saved State (Remove-VMSavedState): a Saved VM drops its saved memory and is Off; its disks are untouched',
      tag: 'vms',
      parameters: vm,
      errors: { conflicts: true },
      responses: { '200': ok('The VM, now Off.', 'VmSummary') },
    }),
  },
  '/vms/{vmId}/checkpoints': {
    get: operation({
      operationId: 'listCheckpoints',
      summary:
        'The checkpoint tree and where Now hangs (Get-VMCheckpoint). Served with an ETag (`If-None-Match` answers 304 while the tree is unchanged)',
      tag: 'checkpoints',
      parameters: [vmIdParam, deleteOutcomesParam],
      responses: { '200': ok('The tree.', 'CheckpointTree') },
    }),
    post: operation({
      operationId: 'createCheckpoint',
      summary: 'Checkpoint (Checkpoint-VM)',
      tag: 'checkpoints',
      parameters: vm,
      body: { schema: createCheckpointBody, required: false },
      errors: { conflicts: true },
      responses: {
        '201': {
          ...ok('The new checkpoint.', 'Checkpoint'),
          headers: location('URL of the new checkpoint.'),
        },
      },
    }),
  },
  '/vms/{vmId}/checkpoints/{checkpointId}': {
    get: operation({
      operationId: 'getCheckpoint',
      summary: 'One checkpoint',
      tag: 'checkpoints',
      parameters: checkpoint,
      responses: { '200': ok('The checkpoint.', 'Checkpoint') },
    }),
    patch: operation({
      operationId: 'renameCheckpoint',
      summary: 'Rename (Rename-VMCheckpoint)',
      tag: 'checkpoints',
      parameters: checkpoint,
      body: { schema: renameCheckpointBody, required: true },
      errors: { conflicts: true },
      responses: { '200': ok('The renamed checkpoint.', 'Checkpoint') },
    }),
    delete: operation({
      operationId: 'deleteCheckpoint',
      summary: 'Delete Checkpoint, or Delete Checkpoint Subtree with `?subtree=true`',
      tag: 'checkpoints',
      parameters: [...checkpoint, subtreeParam],
      errors: { conflicts: true },
      responses: {
        '202': {
          ...ok(
            'Deleted from the tree; the disk merge goes on as a task.',
            'DeleteCheckpointAccepted',
          ),
          headers: location('URL of the merge task: /api/v1/tasks/{taskId}.'),
        },
        '204': { description: 'Deleted; no merge was needed.' },
      },
    }),
  },
  '/vms/{vmId}/checkpoints/{checkpointId}/actions/apply': {
    post: operation({
      operationId: 'applyCheckpoint',
      summary: 'Apply, or Take Checkpoint and Apply with `takeCheckpointFirst`',
      tag: 'checkpoints',
      parameters: checkpoint,
      body: { schema: applyCheckpointBody, required: false },
      errors: { conflicts: true },
      responses: { '200': ok('The VM after the apply.', 'VmSummary') },
    }),
  },
  '/tasks': {
    get: operation({
      operationId: 'listTasks',
      summary: 'Background tasks (disk merges)',
      tag: 'tasks',
      responses: { '200': array('The tasks.', 'Task') },
    }),
  },
  '/tasks/{taskId}': {
    get: operation({
      operationId: 'getTask',
      summary: 'One background task',
      tag: 'tasks',
      parameters: [taskIdParam],
      responses: { '200': ok('The task.', 'Task') },
    }),
  },
  '/events': {
    get: operation({
      operationId: 'streamEvents',
      summary: 'Live host events as Server-Sent Events',
      tag: 'events',
      responses: {
        '200': {
          description:
            'A `text/event-stream`. It opens with the comment `: connected`; each event is `event: <type>` (vm-changed, vm-removed, checkpoints-changed, task-changed, event-logged) and `data: <HostEvent JSON>`; a `: heartbeat` comment follows every 15 s.',
          content: { 'text/event-stream': { schema: ref('HostEvent') } },
        },
        '429': errorRef('TooManyRequests'),
      },
    }),
  },
  '/openapi.json': {
    get: operation({
      operationId: 'getOpenApiDocument',
      summary: 'This OpenAPI 3.1 document',
      tag: 'meta',
      responses: { '200': { description: 'The document.', content: json({ type: 'object' }) } },
    }),
  },
  ...powerShellPaths,
  ...guestPaths,
  ...guestSimulationPaths,
  ...diskPaths,
  ...hardDrivePaths,
  ...vmDevicePaths,
  '/disks': { ...diskPaths['/disks'], post: newDiskOperation },
  ...diskEditPaths,
  ...importPaths,
  ...switchPaths,
  ...eventLogPaths,
  ...sessionPaths,
  ...hostPaths,
};

export function buildOpenApiDocument(): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hyper-V Manager API',
      version: '1.0.0',
      description:
        'A thin adapter over the Hyper-V host engine. Every error answer has the body `{ error: { code, message, details } }`; messages use Hyper-V’s words. When sign-in is required (a HOST that is not a loopback address, or HYPERV_AUTH=required), every operation but `/session` needs the session cookie, POST, PATCH and DELETE also the `X-CSRF-Token` header, and `x-permission` names what the role must allow: Administrator everything; Reader `read` and `readHost`; Checkpoint Operator `read` and `manageCheckpoints` of the VMs granted to it (other VMs answer 404 as if they did not exist).',
    },
    servers: [{ url: '/api/v1' }],
    tags: [
      { name: 'host', description: 'The Hyper-V host.' },
      { name: 'vms', description: 'Virtual machines and their power state.' },
      { name: 'checkpoints', description: 'Checkpoints: create, apply, rename, delete.' },
      { name: 'tasks', description: 'Background tasks such as disk merges.' },
      { name: 'events', description: 'Live updates and the event log.' },
      { name: 'powershell', description: 'The Hyper-V PowerShell console of the host.' },
      {
        name: 'guests',
        description: 'Simulated guests: the Quick Create gallery and the console.',
      },
      { name: 'backup', description: 'Recovery checkpoints, frozen disk reads, reference points.' },
      { name: 'disks', description: 'Virtual hard disk files: Inspect Disk.' },
      { name: 'session', description: 'Sign in, who am I, sign out.' },
      { name: 'hosts', description: 'Connect to Server: other servers in this console.' },
      { name: 'meta', description: 'This document.' },
    ],
    paths: withAccessRules(paths),
    components: {
      schemas: {
        ...componentSchemas,
        ...powerShellSchemas,
        ...guestSchemas,
        ...guestSimulationSchemas,
        ...diskSchemas,
        ...switchSchemas,
        ...eventLogSchemas,
        ...sessionSchemas,
        ...hostSchemas,
      },
      responses: errorResponses,
      securitySchemes,
    },
  };
}
