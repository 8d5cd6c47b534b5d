import { allowedCheckpointActions, allowedVmActions, deleteOutcomesOf } from '@hvm/contracts';
import type {
  Checkpoint,
  CheckpointId,
  CheckpointTree,
  GuestConsole,
  HostInfo,
  VmDetail,
  VmId,
} from '@hvm/engine';
import type { CheckpointBody, CheckpointTreeBody, VmDetailBody, VmRules } from '../api/bodies';

export const vmId = (s: string) => s as VmId;
export const checkpointId = (s: string) => s as CheckpointId;

/**
 * A VM as the server sends it: its rules (allowedActions, ...) answered for its state as the
 * server does, unless the test gives its own.
 */
export function aVm(overrides: Partial<VmDetailBody> = {}): VmDetailBody {
  const vm: VmDetail = {
    id: vmId('11111111-1111-1111-1111-111111111111'),
    name: 'Web Server',
    generation: 2,
    state: 'Off',
    cpuUsage: 0,
    memoryStartupMB: 2048,
    memoryAssignedMB: 0,
    uptimeMs: 0,
    observedAt: '2026-01-01T10:00:00.000Z',
    status: 'Operating normally',
    configurationVersion: '10.0',
    checkpointType: 'Production',
    automaticCheckpointsEnabled: false,
    snapshotFileLocation: 'vms/Web Server',
    parentCheckpointId: null,
    parentCheckpointName: null,
    checkpointCount: 0,
    guestImage: null,
    createdAt: '2026-01-01T09:00:00.000Z',
    integrationServices: {
      operatingSystemShutdown: true,
      timeSynchronization: true,
      dataExchange: true,
      heartbeat: true,
      backup: true,
      guestServices: false,
    },
    hardDrives: [],
    configurationLocation: 'vms/Web Server',
    automaticStartAction: 'StartIfRunning',
    automaticStartDelaySeconds: 0,
    automaticStopAction: 'Save',
    // The engine's VM has its one adapter (here Not connected) and one SCSI controller.
    networkAdapters: [
      {
        id: 'a0000000-0000-4000-8000-000000000001',
        name: 'Network Adapter',
        isLegacy: false,
        switchId: null,
        switchName: null,
        macAddress: '00155D000001',
        dynamicMacAddressEnabled: true,
      },
    ],
    scsiControllers: [{ controllerNumber: 0 }],
    ...overrides,
  };
  return { ...vm, ...rulesOf(vm), ...overrides };
}

/** The VM as the server answers it once it is in `state`: its rules follow the state. */
export function inState<T extends VmDetailBody>(vm: T, state: VmDetail['state']): T {
  return { ...vm, state, ...rulesOf({ ...vm, state }) };
}

/** The rules the server adds to a VM body (see apps/server/src/routes/rulesInBodies.ts). */
export function rulesOf(vm: Pick<VmDetail, 'state' | 'parentCheckpointId'>): VmRules {
  return {
    allowedActions: allowedVmActions(vm),
    allowedCheckpointActions: allowedCheckpointActions(vm),
  };
}

export function aCheckpoint(overrides: Partial<Checkpoint> = {}): Checkpoint {
  return {
    id: checkpointId('c0000000-0000-0000-0000-000000000001'),
    vmId: vmId('11111111-1111-1111-1111-111111111111'),
    name: 'Before update',
    parentId: null,
    createdAt: '2026-01-01T09:30:00.000Z',
    kind: 'Standard',
    snapshotType: 'Standard',
    vmState: 'Off',
    hasSavedState: false,
    isAutomaticCheckpoint: false,
    note: null,
    fallbackReason: null,
    hardDrives: [],
    sizeOnDiskBytes: 4_194_304,
    consistency: null,
    consistencyDetail: null,
    ...overrides,
  };
}

/** A VM's console as the server sends it: a blank guest that has just started, unless overridden. */
export function aGuestConsole(
  vm: Pick<VmDetail, 'id' | 'name' | 'state'>,
  overrides: Partial<GuestConsole> = {},
): GuestConsole {
  return {
    vmId: vm.id,
    vmName: vm.name,
    state: vm.state,
    guestImage: null,
    os: null,
    application: null,
    running: true,
    uptimeMs: 1_000,
    committedTransactions: 0,
    inFlightTransactions: [],
    dirtyPages: 0,
    boot: null,
    replication: null,
    integrationServices: [],
    lines: [],
    serialConsole: false,
    observedAt: '2026-01-01T10:00:00.000Z',
    ...overrides,
  };
}

export function aTree(
  checkpoints: Checkpoint[],
  nowParent: CheckpointId | null,
  id = vmId('11111111-1111-1111-1111-111111111111'),
): CheckpointTreeBody {
  return { vmId: id, checkpoints, now: { parentId: nowParent } };
}

/**
 * `GET /vms/:vmId/checkpoints/:checkpointId` of each checkpoint of the tree: the checkpoint with
 * its delete outcomes, as the server answers it (the Delete dialog asks for it).
 */
export function checkpointRoutes(tree: CheckpointTree): Record<string, CheckpointBody> {
  const outcomes = deleteOutcomesOf(tree);
  return Object.fromEntries(
    tree.checkpoints.flatMap((c) => {
      const deleteOutcome = outcomes.get(c.id);
      return deleteOutcome
        ? [[`GET /vms/${tree.vmId}/checkpoints/${c.id}`, { ...c, deleteOutcome }]]
        : [];
    }),
  );
}

export const host: HostInfo = {
  name: 'HV-HOST-01',
  dataLocation: ':memory:',
  vmCount: 1,
  maxCheckpointsPerVm: 50,
};
