import type {
  Checkpoint,
  CheckpointTree,
  GuestConsole,
  ReferencePoint,
  Task,
  VmDetail,
  VmSummary,
} from '@hvm/engine';

/** An answer of the REST API: status and parsed body. */
export interface ApiAnswer<T> {
  status: number;
  body: T;
}

/**
 * The REST API as the demos use it: to find the demo host's VMs, to wait for real results, and to
 * play the backup software of the recovery checkpoint demo.
 */
export class DemoApi {
  constructor(readonly baseURL: string) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
    const response = await fetch(`${this.baseURL}/api/v1${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const type = response.headers.get('content-type') ?? '';
    const parsed: unknown = type.includes('json')
      ? await response.json()
      : Buffer.from(await response.arrayBuffer());
    return { status: response.status, body: parsed as T };
  }

  private async ok<T>(method: string, path: string, body?: unknown): Promise<T> {
    const answer = await this.call<T>(method, path, body);
    if (answer.status >= 300) {
      throw new Error(
        `${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`,
      );
    }
    return answer.body;
  }

  async vmByName(name: string): Promise<VmSummary> {
    const vms = await this.ok<VmSummary[]>('GET', '/vms');
    const vm = vms.find((v) => v.name === name);
    if (!vm)
      throw new Error(
        `The demo host has no VM named ${name}: ${vms.map((v) => v.name).join(', ')}`,
      );
    return vm;
  }

  vm(vmId: string): Promise<VmDetail> {
    return this.ok('GET', `/vms/${vmId}`);
  }

  console(vmId: string): Promise<GuestConsole> {
    return this.ok('GET', `/vms/${vmId}/console`);
  }

  checkpoints(vmId: string): Promise<CheckpointTree> {
    return this.ok('GET', `/vms/${vmId}/checkpoints`);
  }

  async checkpointByName(vmId: string, name: string): Promise<Checkpoint> {
    const tree = await this.checkpoints(vmId);
    const found = tree.checkpoints.find((c) => c.name === name);
    if (!found) throw new Error(`No checkpoint named ${name}`);
    return found;
  }

  tasks(): Promise<Task[]> {
    return this.ok('GET', '/tasks');
  }

  createRecoveryCheckpoint(vmId: string): Promise<ApiAnswer<Checkpoint>> {
    return this.call('POST', `/vms/${vmId}/backup/checkpoints`);
  }

  readBackupDisk(vmId: string, checkpointId: string, offset: number, length: number) {
    return this.call<Buffer>(
      'GET',
      `/vms/${vmId}/backup/checkpoints/${checkpointId}/disk?offset=${offset}&length=${length}`,
    );
  }

  convertToReferencePoint(vmId: string, checkpointId: string) {
    return this.call<ReferencePoint>(
      'POST',
      `/vms/${vmId}/backup/checkpoints/${checkpointId}/actions/convert-to-reference-point`,
    );
  }

  referencePoints(vmId: string): Promise<ReferencePoint[]> {
    return this.ok('GET', `/vms/${vmId}/backup/reference-points`);
  }
}
