import { expect, type APIRequestContext } from '@playwright/test';
import type {
  Checkpoint,
  CheckpointTree,
  CheckpointType,
  VmDetail,
  VmId,
  VmSummary,
} from '@hvm/engine';

/** The product's REST API as the tests use it: setup, and checking what the UI did. */
export class HyperVApi {
  constructor(private readonly request: APIRequestContext) {}

  async createVm(name: string): Promise<VmDetail> {
    const response = await this.request.post('/api/v1/vms', {
      data: { name, memoryStartupMB: 1024, diskSizeBytes: 1024 ** 3 },
    });
    expect(response.status(), await response.text()).toBe(201);
    return (await response.json()) as VmDetail;
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

  async setCheckpointType(vmId: VmId, checkpointType: CheckpointType): Promise<void> {
    const response = await this.request.patch(`/api/v1/vms/${vmId}`, { data: { checkpointType } });
    expect(response.status(), await response.text()).toBe(200);
  }

  async checkpoints(vmId: VmId): Promise<CheckpointTree> {
    const response = await this.request.get(`/api/v1/vms/${vmId}/checkpoints`);
    expect(response.status()).toBe(200);
    return (await response.json()) as CheckpointTree;
  }

  async createCheckpoint(vmId: VmId, name: string): Promise<Checkpoint> {
    const response = await this.request.post(`/api/v1/vms/${vmId}/checkpoints`, { data: { name } });
    expect(response.status(), await response.text()).toBe(201);
    return (await response.json()) as Checkpoint;
  }
}
