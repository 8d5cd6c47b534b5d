import { expect, type APIRequestContext } from '@playwright/test';
import type {
  Checkpoint,
  CheckpointTree,
  CheckpointType,
  HostInfo,
  Task,
  VmDetail,
  VmId,
  VmSettingsUpdate,
  VmState,
  VmSummary,
} from '@hvm/engine';

/** What a test's own VM is made of: the gallery image its disk gets, if any. */
export interface NewVmOptions {
  guestImage?: string | null;
}

/** The product's REST API as the tests use it: setup, and checking what the UI did. */
export class HyperVApi {
  constructor(private readonly request: APIRequestContext) {}

  async host(): Promise<HostInfo> {
    const response = await this.request.get('/api/v1/host');
    expect(response.status()).toBe(200);
    return (await response.json()) as HostInfo;
  }

  async createVm(name: string, options: NewVmOptions = {}): Promise<VmDetail> {
    const response = await this.request.post('/api/v1/vms', {
      data: {
        name,
        memoryStartupMB: 1024,
        diskSizeBytes: 1024 ** 3,
        guestImage: options.guestImage ?? null,
      },
    });
    expect(response.status(), await response.text()).toBe(201);
    return (await response.json()) as VmDetail;
  }

  /** New-VHD: a dynamic disk in the data folder (a path relative to it). */
  async createDisk(path: string, sizeBytes: number): Promise<void> {
    const response = await this.request.post('/api/v1/disks', { data: { path, sizeBytes } });
    expect(response.status(), await response.text()).toBe(201);
  }

  async deleteVm(vmId: VmId): Promise<void> {
    const vm = await this.request.get(`/api/v1/vms/${vmId}`);
    if (vm.status() === 404) return;
    const state = ((await vm.json()) as VmSummary).state;
    if (state !== 'Off' && state !== 'Saved') await this.action(vmId, 'turn-off');
    const response = await this.request.delete(`/api/v1/vms/${vmId}`);
    expect([204, 404]).toContain(response.status());
  }

  async getVm(vmId: VmId): Promise<VmDetail> {
    const response = await this.request.get(`/api/v1/vms/${vmId}`);
    expect(response.status()).toBe(200);
    return (await response.json()) as VmDetail;
  }

  /** The VM's state, or null once it no longer exists. */
  async stateOf(vmId: VmId): Promise<VmState | null> {
    const response = await this.request.get(`/api/v1/vms/${vmId}`);
    if (response.status() === 404) return null;
    expect(response.status()).toBe(200);
    return ((await response.json()) as VmDetail).state;
  }

  async listVms(): Promise<VmSummary[]> {
    const response = await this.request.get('/api/v1/vms');
    expect(response.status()).toBe(200);
    return (await response.json()) as VmSummary[];
  }

  async action(vmId: VmId, action: string): Promise<VmSummary> {
    const response = await this.request.post(`/api/v1/vms/${vmId}/actions/${action}`);
    expect(response.status(), await response.text()).toBe(200);
    return (await response.json()) as VmSummary;
  }

  async updateVm(vmId: VmId, update: VmSettingsUpdate): Promise<VmDetail> {
    const response = await this.request.patch(`/api/v1/vms/${vmId}`, { data: update });
    expect(response.status(), await response.text()).toBe(200);
    return (await response.json()) as VmDetail;
  }

  async setCheckpointType(vmId: VmId, checkpointType: CheckpointType): Promise<void> {
    await this.updateVm(vmId, { checkpointType });
  }

  async checkpoints(vmId: VmId): Promise<CheckpointTree> {
    const response = await this.request.get(`/api/v1/vms/${vmId}/checkpoints`);
    expect(response.status()).toBe(200);
    return (await response.json()) as CheckpointTree;
  }

  async checkpointNames(vmId: VmId): Promise<string[]> {
    return (await this.checkpoints(vmId)).checkpoints.map((c) => c.name).sort();
  }

  async createCheckpoint(vmId: VmId, name: string): Promise<Checkpoint> {
    const response = await this.request.post(`/api/v1/vms/${vmId}/checkpoints`, { data: { name } });
    expect(response.status(), await response.text()).toBe(201);
    return (await response.json()) as Checkpoint;
  }

  /** A checkpoint as backup software takes it (kind Recovery). */
  async createRecoveryCheckpoint(vmId: VmId): Promise<Checkpoint> {
    const response = await this.request.post(`/api/v1/vms/${vmId}/backup/checkpoints`);
    expect(response.status(), await response.text()).toBe(201);
    return (await response.json()) as Checkpoint;
  }

  async renameCheckpoint(vmId: VmId, checkpoint: Checkpoint, name: string): Promise<void> {
    const response = await this.request.patch(`/api/v1/vms/${vmId}/checkpoints/${checkpoint.id}`, {
      data: { name },
    });
    expect(response.status(), await response.text()).toBe(200);
  }

  async deleteCheckpoint(vmId: VmId, checkpoint: Checkpoint): Promise<void> {
    const response = await this.request.delete(`/api/v1/vms/${vmId}/checkpoints/${checkpoint.id}`);
    expect([202, 204], await response.text()).toContain(response.status());
  }

  async applyCheckpoint(vmId: VmId, checkpoint: Checkpoint): Promise<void> {
    const response = await this.request.post(
      `/api/v1/vms/${vmId}/checkpoints/${checkpoint.id}/actions/apply`,
      { data: { takeCheckpointFirst: false } },
    );
    expect(response.status(), await response.text()).toBe(200);
  }

  async tasks(): Promise<Task[]> {
    const response = await this.request.get('/api/v1/tasks');
    expect(response.status()).toBe(200);
    return (await response.json()) as Task[];
  }
}
