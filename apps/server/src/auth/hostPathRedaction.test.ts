import type { DiskFileEntry, VmDetail } from '@hvm/engine';
import { buildVm } from '@hvm/engine/testing';
import { describe, expect, it } from 'vitest';
import { Role } from './roles.js';
import { withoutHostPaths } from './hostPathRedaction.js';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';

const DATA = '/srv/hyperv';
const password = 'correct horse battery';

async function fixture() {
  const t = await createAuthTestApp(
    [
      { name: 'ada', role: Role.Administrator, password },
      { name: 'olivia', role: Role.Reader, password },
      {
        name: 'oscar',
        role: Role.CheckpointOperator,
        password,
        virtualMachines: ['WEB-01'],
      },
    ],
    { dataLocation: DATA },
  );
  const vm = await buildVm(t.host, { name: 'WEB-01' });
  await t.host.createCheckpoint(vm.id, { name: 'Before' });
  return { ...t, vm };
}

describe('full host paths are for Administrators only', () => {
  it('an Administrator sees full paths; a Reader and a Checkpoint Operator see them relative to the data folder', async () => {
    const { app, vm } = await fixture();
    const seen = async (name: string) => {
      const { agent } = await signIn(app, name, password);
      const detail = (await agent.get(`/api/v1/vms/${vm.id}`).expect(200)).body as VmDetail;
      const body = JSON.stringify(detail);
      return { detail, body };
    };
    const admin = await seen('ada');
    expect(admin.detail.configurationLocation).toBe(`${DATA}/Virtual Machines`);
    expect(admin.detail.hardDrives[0]?.path.startsWith(`${DATA}/Virtual Hard Disks/`)).toBe(true);
    for (const name of ['olivia', 'oscar']) {
      const { detail, body } = await seen(name);
      expect(detail.configurationLocation).toBe('Virtual Machines');
      expect(detail.hardDrives[0]?.path.startsWith('Virtual Hard Disks/')).toBe(true);
      expect(detail.hardDrives[0]?.chain.every((p) => p.startsWith('Virtual Hard Disks/'))).toBe(
        true,
      );
      expect(body).not.toContain(DATA);
    }
  });

  it("a Reader's disk list and checkpoints carry no host path; an Administrator's do", async () => {
    const { app, vm } = await fixture();
    const admin = (await signIn(app, 'ada', password)).agent;
    const reader = (await signIn(app, 'olivia', password)).agent;
    const adminDisks = (await admin.get('/api/v1/disks').expect(200)).body as DiskFileEntry[];
    expect(adminDisks.every((d) => d.path.startsWith(`${DATA}/`))).toBe(true);
    const readerDisks = (await reader.get('/api/v1/disks').expect(200)).text;
    const readerTree = (await reader.get(`/api/v1/vms/${vm.id}/checkpoints`).expect(200)).text;
    expect(readerDisks).not.toContain(DATA);
    expect(readerTree).not.toContain(DATA);
    expect(readerDisks).toContain('Virtual Hard Disks/');
  });

  it('withoutHostPaths: strings naming the data folder lose it, anywhere in a result or an event', async () => {
    const { host, vm } = await fixture();
    const hidden = withoutHostPaths(host);
    expect(JSON.stringify(hidden.getVm(vm.id))).not.toContain(DATA);
    expect(JSON.stringify(hidden.info())).not.toContain(DATA);
    const events: string[] = [];
    const stop = hidden.subscribe((event) => events.push(JSON.stringify(event)));
    await hidden.updateVmSettings(vm.id, { notes: 'x' });
    stop();
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(event).not.toContain(DATA);
  });
});
