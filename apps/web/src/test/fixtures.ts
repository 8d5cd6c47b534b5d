import type {
  Checkpoint,
  CheckpointId,
  CheckpointTree,
  HostInfo,
  VmDetail,
  VmId,
} from '@hvm/engine';

export const vmId = (s: string) => s as VmId;
export const checkpointId = (s: string) => s as CheckpointId;

export function aVm(overrides: Partial<VmDetail> = {}): VmDetail {
  return {
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
    ...overrides,
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

export function aTree(
  checkpoints: Checkpoint[],
  nowParent: CheckpointId | null,
  id = vmId('11111111-1111-1111-1111-111111111111'),
): CheckpointTree {
  return { vmId: id, checkpoints, now: { parentId: nowParent } };
}

export const host: HostInfo = {
  name: 'HV-HOST-01',
  dataLocation: ':memory:',
  vmCount: 1,
  maxCheckpointsPerVm: 50,
};
