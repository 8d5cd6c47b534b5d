/**
 * The REST API over a QEMU host (HYPERV_HYPERVISOR=qemu, TCG): a tiny-linux VM's checkpoint is
 * taken while it runs, shows in the tree, and is applied, as on the simulated host.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Checkpoint, CheckpointTree, Host, VmDetail, VmSummary } from '@hvm/engine';
import { nodeFileStore, parseHypervisorKind } from '@hvm/engine';
import { createTestHost, qemuGuestOf } from '@hvm/engine/testing';
import { requireTool } from '@hvm/nbd/testing';
import type { Express } from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { hostHypervisor, qemuGuestImage } from '../hypervisor.js';

const BOOT_MS = 150_000;
let root: string | undefined;
let host: Host | undefined;

afterEach(async () => {
  await host?.close();
  host = undefined;
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

async function qemuApp(): Promise<Express> {
  root = await mkdtemp(join(tmpdir(), 'hvm-qemu-rest-'));
  const hypervisor = await hostHypervisor(parseHypervisorKind('qemu'), {
    // TCG, as on every test machine (KVM here cannot run a standard kernel).
    chooseAccelerator: () => Promise.resolve({ accelerator: 'tcg', reason: 'tests run TCG' }),
    log: () => undefined,
  });
  const test = await createTestHost({ store: nodeFileStore(root), hypervisor, qemuGuestImage });
  host = test.host;
  return createApp(test.host, { logError: () => undefined });
}

describe('checkpoints of a running QEMU guest over REST', { timeout: 400_000 }, () => {
  it('POST a checkpoint while Running, GET the tree, apply it', async (ctx) => {
    requireTool(ctx, 'qemu-system-x86_64', 'qemu-system-x86');
    await qemuGuestImage('tiny-linux');
    const app = await qemuApp();
    const created = await request(app)
      .post('/api/v1/vms')
      .send({
        name: 'Ledger VM',
        memoryStartupMB: 192,
        diskSizeBytes: 64 * 1024 * 1024,
        guestImage: 'tiny-linux',
      });
    expect(created.status, created.text).toBe(201);
    const vm = created.body as VmDetail;
    const base = `/api/v1/vms/${vm.id}`;
    await request(app).post(`${base}/actions/start`).expect(200);
    const guest = host === undefined ? null : qemuGuestOf(host, vm.id);
    if (guest === null) throw new Error('the VM has no QEMU guest');
    await guest.qemu.console.waitForLine(/^HVM-LEDGER committed=[1-9]/, BOOT_MS);

    const taken = await request(app).post(`${base}/checkpoints`).send({ name: 'While running' });
    expect(taken.status, taken.text).toBe(201);
    const checkpoint = taken.body as Checkpoint;
    // tiny-linux has the guest agent: the VM's default (Production) is taken as such.
    expect(checkpoint).toMatchObject({ name: 'While running', kind: 'Production' });
    const vmNow = await request(app).get(base).expect(200);
    expect((vmNow.body as VmDetail).state).toBe('Running');

    const tree = await request(app).get(`${base}/checkpoints`).expect(200);
    expect((tree.body as CheckpointTree).checkpoints.map((c) => c.name)).toEqual(['While running']);

    const applied = await request(app)
      .post(`${base}/checkpoints/${checkpoint.id}/actions/apply`)
      .send({ takeCheckpointFirst: false });
    expect(applied.status, applied.text).toBe(200);
    expect(applied.body as VmSummary).toMatchObject({
      state: 'Off',
      parentCheckpointId: checkpoint.id,
    });
    await expect(guest.qemu.exited).resolves.toBeDefined();
  });
});
