/**
 * The one table of who may do what: every operation of `/api/v1` (by its OpenAPI path and method)
 * and the host operation it calls, whose permission and scope come from the engine's operation
 * catalogue (`OPERATIONS`); the session, PowerShell and the document itself have rules of their
 * own. `vm: true` marks operations on one VM (`{vmId}`): a Checkpoint Operator may use them only
 * for the VMs granted to it. A test walks the OpenAPI document and the
 * Express router to make sure no operation is missing; a request no rule matches needs
 * `manageHost` (Administrator), so a forgotten route is never open to more than Administrators.
 */
import { OPERATIONS, type OperationName } from '@hvm/engine';
import { Permission } from './roles.js';

export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

export interface SignedInRule {
  access: 'signed-in';
  permission: Permission;
  vm: boolean;
  /** A long-lived answer (the event stream): it ends when the session or the user's rights do. */
  stream?: true;
}

export type RouteRule = { access: 'public' } | SignedInRule;

const anyone: RouteRule = { access: 'public' };
const host = (permission: Permission): SignedInRule => ({
  access: 'signed-in',
  permission,
  vm: false,
});
/** The rule of a route that calls one host operation: the catalogue's permission and scope. */
const op = (name: OperationName): SignedInRule => ({
  access: 'signed-in',
  permission: OPERATIONS[name].permission,
  vm: OPERATIONS[name].scope === 'vm',
});

const { Read, ManageHost, RunPowerShell } = Permission;

export const routeRules: Record<string, Partial<Record<HttpMethod, RouteRule>>> = {
  '/session': { get: anyone, post: anyone, delete: anyone },
  // Host-to-host: a gateway reads the identity and asks for a token with a user's credentials.
  '/host/identity': { get: anyone },
  '/session/host-tokens': { post: anyone },
  '/session/host-tokens/current': { delete: anyone },
  // Connect to Server: a user's own list of servers. Each other server checks its own rights.
  '/hosts': { get: host(Read), post: host(Read) },
  '/hosts/probe': { post: host(Read) },
  '/hosts/{hostId}': { delete: host(Read) },
  '/hosts/{hostId}/actions/reconnect': { post: host(Read) },
  '/host': { get: op('info'), patch: op('updateHostSettings') },
  '/host/check': { get: op('checkHost') },
  '/host/orphaned-files/actions/remove': { post: op('removeOrphanedFile') },
  '/vms/{vmId}/actions/attach-orphaned-disk': { post: op('attachOrphanedDisk') },
  '/vms': { get: op('listVms'), post: op('createVm') },
  '/vms/{vmId}': { get: op('getVm'), patch: op('updateVmSettings'), delete: op('deleteVm') },
  '/vms/{vmId}/actions/{action}': { post: op('changeVmState') },
  '/vms/{vmId}/actions/revert': { post: op('revertVm') },
  '/vms/{vmId}/actions/delete-saved-state': { post: op('deleteSavedState') },
  '/vms/{vmId}/actions/export': { post: op('exportVm') },
  '/vms/{vmId}/hard-drives': { post: op('addHardDiskDrive') },
  '/vms/{vmId}/hard-drives/{controllerLocation}': { delete: op('removeHardDiskDrive') },
  '/vms/import': { post: op('importVm') },
  '/vms/import/compare': { post: op('compareVm') },
  '/vms/{vmId}/checkpoints': { get: op('listCheckpoints'), post: op('createCheckpoint') },
  '/vms/{vmId}/checkpoints/{checkpointId}': {
    get: op('getCheckpoint'),
    patch: op('renameCheckpoint'),
    delete: op('deleteCheckpoint'),
  },
  '/vms/{vmId}/checkpoints/{checkpointId}/actions/apply': { post: op('applyCheckpoint') },
  '/vms/{vmId}/checkpoints/{checkpointId}/actions/export': { post: op('exportCheckpoint') },
  '/vms/{vmId}/console': { get: op('getGuestConsole') },
  '/vms/{vmId}/serial-console': { get: { ...op('connectSerialConsole'), stream: true } },
  '/vms/{vmId}/serial-console/input': { post: op('typeIntoSerialConsole') },
  '/vms/{vmId}/guest-simulation': { patch: op('setGuestSimulation') },
  '/vms/{vmId}/backup/checkpoints': { post: op('createRecoveryCheckpoint') },
  '/vms/{vmId}/backup/checkpoints/{checkpointId}/disk': { get: op('readCheckpointDisk') },
  '/vms/{vmId}/backup/checkpoints/{checkpointId}/actions/convert-to-reference-point': {
    post: op('convertToReferencePoint'),
  },
  '/vms/{vmId}/backup/reference-points': { get: op('listReferencePoints') },
  '/guest-images': { get: op('listGuestImages') },
  '/disks': { get: op('listDisks'), post: op('createVirtualHardDisk') },
  '/disks/inspect': { get: op('inspectDisk') },
  '/disks/actions/compact': { post: op('optimizeVirtualHardDisk') },
  '/disks/actions/convert': { post: op('convertVirtualHardDisk') },
  '/disks/actions/expand': { post: op('resizeVirtualHardDisk') },
  '/disks/actions/merge': { post: op('mergeVirtualHardDisk') },
  '/tasks': { get: op('listTasks') },
  '/tasks/{taskId}': { get: op('getTask') },
  '/events': { get: { ...op('subscribe'), stream: true } },
  '/event-log': { get: op('queryEventLog') },
  '/virtual-switches': { get: op('listVirtualSwitches'), post: op('createVirtualSwitch') },
  '/virtual-switches/{switchId}': {
    patch: op('updateVirtualSwitch'),
    delete: op('removeVirtualSwitch'),
  },
  '/vms/{vmId}/network-adapter/actions/connect': { post: op('connectNetworkAdapter') },
  '/vms/{vmId}/network-adapter/actions/disconnect': { post: op('disconnectNetworkAdapter') },
  '/vms/{vmId}/network-adapters': { post: op('addNetworkAdapter') },
  '/vms/{vmId}/network-adapters/{adapterId}': {
    patch: op('renameNetworkAdapter'),
    delete: op('removeNetworkAdapter'),
  },
  '/vms/{vmId}/network-adapters/{adapterId}/actions/connect': {
    post: op('connectNetworkAdapter'),
  },
  '/vms/{vmId}/network-adapters/{adapterId}/actions/disconnect': {
    post: op('disconnectNetworkAdapter'),
  },
  '/vms/{vmId}/scsi-controllers': { post: op('addScsiController') },
  '/vms/{vmId}/scsi-controllers/{controllerNumber}': { delete: op('removeScsiController') },
  '/powershell': { post: host(RunPowerShell) },
  '/powershell/completions': { get: host(RunPowerShell) },
  '/powershell/runs/{runId}/answer': { post: host(RunPowerShell) },
  '/powershell/runs/{runId}/stop': { post: host(RunPowerShell) },
  '/powershell/sessions': { post: host(RunPowerShell) },
  '/powershell/sessions/{sessionId}': { delete: host(RunPowerShell) },
  '/powershell/files': { get: host(RunPowerShell) },
  '/powershell/files/{name}': { get: host(RunPowerShell), delete: host(RunPowerShell) },
  '/openapi.json': { get: host(Read) },
};

/** What a request no rule matches needs. */
export const unmatchedRule: RouteRule = host(ManageHost);

interface CompiledRule {
  method: HttpMethod;
  pattern: RegExp;
  parameterNames: string[];
  /** Literal segments first: `/actions/revert` wins over `/actions/{action}`. */
  parameterCount: number;
  rule: RouteRule;
}

function compile(path: string): { pattern: RegExp; parameterNames: string[] } {
  const parameterNames: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const parameter = /^\{(\w+)\}$/.exec(segment);
      if (parameter?.[1] !== undefined) {
        parameterNames.push(parameter[1]);
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { pattern: new RegExp(`^${source}/?$`, 'i'), parameterNames };
}

const compiled: CompiledRule[] = Object.entries(routeRules)
  .flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, rule]) => ({
      method: method as HttpMethod,
      ...compile(path),
      parameterCount: (path.match(/\{/g) ?? []).length,
      rule,
    })),
  )
  .sort((a, b) => a.parameterCount - b.parameterCount);

export interface MatchedRule {
  rule: RouteRule;
  /** The decoded `{vmId}` of the path, when the operation is on one VM. */
  vmId?: string;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * A request forwarded to another server (`/hosts/{hostId}/...`): signed in here (and the CSRF
 * token); what it may do there, the other server decides by its own rules.
 */
export const forwardedRule: RouteRule = host(Read);
const forwardedPath = /^\/hosts\/[^/]+\/(?!actions\/reconnect\/?$).+/i;

/** The rule of a request, by its method and its path under `/api/v1`. */
export function ruleFor(method: string, path: string): MatchedRule {
  if (forwardedPath.test(path)) return { rule: forwardedRule };
  const lower = (method === 'HEAD' ? 'get' : method.toLowerCase()) as HttpMethod;
  for (const candidate of compiled) {
    if (candidate.method !== lower) continue;
    const match = candidate.pattern.exec(path);
    if (match === null) continue;
    const index = candidate.parameterNames.indexOf('vmId');
    const raw = index === -1 ? undefined : match[index + 1];
    return raw === undefined
      ? { rule: candidate.rule }
      : { rule: candidate.rule, vmId: decode(raw) };
  }
  return { rule: unmatchedRule };
}
