import { memoryFileStore, type HostCheckReport } from '@hvm/engine';
import { describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../http/errors.js';
import { Role } from '../auth/roles.js';
import { createAuthTestApp, signIn, type SignedIn } from '../testing/authTestApp.js';

// Issue 17: Check Host lists orphaned files with two explicit actions, Remove and Attach, for
// Administrators only; a Reader sees the report and changes nothing.
const accounts = {
  admin: { name: 'Administrator', role: Role.Administrator, password: 'Pa$$w0rd-admin' },
  reader: { name: 'Olivia', role: Role.Reader, password: 'Pa$$w0rd-reader' },
};
const ORPHAN = 'Snapshots/5c4b3a29-1111-4222-8333-444455556666.json';

function post(who: SignedIn, path: string, body: object) {
  return who.agent.post(`/api/v1${path}`).set('X-CSRF-Token', who.csrfToken).send(body);
}

async function world() {
  const store = memoryFileStore();
  const t = await createAuthTestApp(Object.values(accounts), { store });
  const vm = await t.host.createVm({ name: 'Web', memoryStartupMB: 1024, diskSizeBytes: 1 << 30 });
  await store.mkdirp('Snapshots');
  await store.writeFileAtomic(ORPHAN, new TextEncoder().encode('{}'));
  return {
    ...t,
    vm,
    store,
    admin: await signIn(t.app, accounts.admin.name, accounts.admin.password),
    reader: await signIn(t.app, accounts.reader.name, accounts.reader.password),
  };
}

describe('Check Host actions on orphaned files', () => {
  it('lists orphaned checkpoint files; an Administrator removes one (logged), a Reader may not', async () => {
    const w = await world();
    const report = (await w.reader.agent.get('/api/v1/host/check').expect(200))
      .body as HostCheckReport;
    expect(report.orphanedFiles).toEqual([
      expect.objectContaining({ path: ORPHAN, kind: 'Checkpoint configuration' }),
    ]);

    const refused = await post(w.reader, '/host/orphaned-files/actions/remove', { path: ORPHAN });
    expect(refused.status).toBe(403);
    expect((refused.body as ApiErrorBody).error.code).toBe('ACCESS_DENIED');
    expect(await w.store.exists(ORPHAN)).toBe(true);

    const notOrphan = await post(w.admin, '/host/orphaned-files/actions/remove', {
      path: `Virtual Machines/${w.vm.id}.json`,
    });
    expect(notOrphan.status).toBe(422);
    expect((notOrphan.body as ApiErrorBody).error.code).toBe('INVALID_ARGUMENT');

    await post(w.admin, '/host/orphaned-files/actions/remove', { path: ORPHAN }).expect(204);
    expect(await w.store.exists(ORPHAN)).toBe(false);
    const after = (await w.admin.agent.get('/api/v1/host/check').expect(200))
      .body as HostCheckReport;
    expect(after).toMatchObject({ ok: true, orphanedFiles: [] });
    const log = await w.admin.agent.get('/api/v1/event-log').expect(200);
    expect(JSON.stringify(log.body)).toContain(`The orphaned file '${ORPHAN}' was removed.`);
  });

  it('Attach answers with the VM, refuses what is not an orphaned disk, and is for Administrators only', async () => {
    const w = await world();
    const refused = await post(w.reader, `/vms/${w.vm.id}/actions/attach-orphaned-disk`, {
      path: ORPHAN,
    });
    expect(refused.status).toBe(403);
    const wrong = await post(w.admin, `/vms/${w.vm.id}/actions/attach-orphaned-disk`, {
      path: ORPHAN,
    });
    expect(wrong.status).toBe(422);
    expect((wrong.body as ApiErrorBody).error.message).toContain('is not an orphaned disk');
    const bad = await post(w.admin, `/vms/${w.vm.id}/actions/attach-orphaned-disk`, {
      path: ORPHAN,
      controllerType: 'USB',
    });
    expect(bad.status).toBe(422);
    const vm = w.host.getVm(w.vm.id);
    expect(vm.hardDrives).toHaveLength(1);
  });
});
