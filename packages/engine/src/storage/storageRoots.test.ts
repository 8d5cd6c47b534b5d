import { mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileStore } from '@hvm/vhdx';
import { afterAll, describe, expect, it } from 'vitest';
import type { Host } from '../host/host.js';
import { buildVm, createTestHost } from '../testing/index.js';
import type { CheckpointId, VmDetail } from '../types.js';
import { EventIds } from '../eventLog/eventCatalog.js';
import { MAX_PATH_LENGTH } from './storageRoots.js';

const temps: string[] = [];
afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

/**
 * Every operation that takes a path from a user: the Checkpoint File Location of `vm` (which has
 * no checkpoints), the exports of `other` and its checkpoint, and Inspect Disk.
 */
function pathTakers(
  host: Host,
  { vm, other, checkpointId }: { vm: VmDetail; other: VmDetail; checkpointId: CheckpointId },
): Record<string, (path: string) => Promise<unknown>> {
  return {
    'Set-VM -SnapshotFileLocation': (path) =>
      host.updateVmSettings(vm.id, { snapshotFileLocation: path }),
    'Export-VMSnapshot -Path': (path) => host.exportCheckpoint(other.id, checkpointId, { path }),
    'Export-VM -Path': (path) => host.exportVm(other.id, { path }),
    'Inspect Disk': (path) => host.inspectDisk(`${path}/disk.vhdx`),
  };
}

async function hostWithVm(options: Parameters<typeof createTestHost>[0] = {}) {
  const test = await createTestHost(options);
  const vm = await buildVm(test.host, { name: 'CONFINED' });
  // A second VM carries the checkpoint, so that the first can change its Checkpoint File Location.
  const other = await buildVm(test.host, { name: 'SOURCE' });
  const checkpoint = await test.host.createCheckpoint(other.id, { name: 'cp' });
  return { ...test, vm, other, checkpointId: checkpoint.id };
}

const OUTSIDE = [
  '../outside',
  'Exports/../../outside',
  '..\\..\\Windows\\System32',
  'Exports\\..\\..\\x',
  '/etc',
  '/',
  'C:\\Windows',
  'c:/Users',
  '\\\\server\\share',
];

describe('Paths users supply stay inside the host storage', () => {
  it.each(OUTSIDE)('refuses %s everywhere, in Hyper-V words', async (path) => {
    const test = await hostWithVm();
    const { host, vm } = test;
    for (const [operation, take] of Object.entries(pathTakers(host, test))) {
      const error = await errorOf(take(path));
      expect(error, operation).toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(
          /^The path '.*' is outside the storage locations of this host\.$/,
        ) as string,
        details: { reason: 'outside-storage' },
      });
    }
    expect(host.getVm(vm.id).snapshotFileLocation).toBe('Snapshots');
    expect(host.listTasks()).toEqual([]);
  });

  it('refuses NUL and control characters, and paths longer than MAX_PATH', async () => {
    const test = await hostWithVm();
    for (const take of Object.values(pathTakers(test.host, test))) {
      for (const path of ['Exports\0/../../etc', 'Exports\n', 'a'.repeat(MAX_PATH_LENGTH + 1)]) {
        const error = await errorOf(take(path));
        expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
        expect((error as Error).message).not.toContain('\0');
      }
    }
  });

  it('accepts folders inside the data folder, written with either slash', async () => {
    const { host, vm } = await hostWithVm();
    await host.updateVmSettings(vm.id, { snapshotFileLocation: 'Checkpoints\\Lab\\' });
    expect(host.getVm(vm.id).snapshotFileLocation).toBe('Checkpoints/Lab');
    // '..%2f' is a folder name here (nothing decodes it), so it stays inside.
    await host.updateVmSettings(vm.id, { snapshotFileLocation: '..%2f..%2fetc' });
    expect(host.getVm(vm.id).snapshotFileLocation).toBe('..%2f..%2fetc');
  });

  it('records each refusal in the event log as a warning', async () => {
    const { host, vm } = await hostWithVm();
    await errorOf(
      host.withActor('CONTOSO\\mallory').updateVmSettings(vm.id, { snapshotFileLocation: '../x' }),
    );
    await errorOf(host.withActor('CONTOSO\\mallory').inspectDisk('/etc/passwd.vhdx'));
    const { entries } = await host.queryEventLog({ levels: ['Warning'] });
    expect(entries.map((e) => [e.eventId, e.user, e.vmName])).toEqual([
      [EventIds.PathRefused, 'CONTOSO\\mallory', null],
      [EventIds.PathRefused, 'CONTOSO\\mallory', 'CONFINED'],
    ]);
    expect(entries[0]?.message).toBe(
      "The path '/etc/passwd.vhdx' is outside the storage locations of this host.",
    );
  });
});

describe('Symbolic links in the data folder', () => {
  async function nodeHost() {
    const root = await mkdtemp(join(tmpdir(), 'hvm-confine-'));
    temps.push(root);
    const data = join(root, 'data');
    const elsewhere = join(root, 'elsewhere');
    await mkdir(data, { recursive: true });
    await mkdir(elsewhere, { recursive: true });
    const test = await hostWithVm({ store: nodeFileStore(data), dataLocation: data });
    return { ...test, data, elsewhere };
  }

  it('refuses a link to /etc and a link to a folder outside, for every operation', async () => {
    const test = await nodeHost();
    const { host, data, elsewhere } = test;
    await symlink('/etc', join(data, 'etc-link'));
    await symlink(elsewhere, join(data, 'Exports'));
    await mkdir(join(data, 'Real'));
    await symlink('/etc', join(data, 'Real', 'deeper'));
    for (const path of ['etc-link', 'Exports', 'Exports/new', 'Real/deeper', 'Real/deeper/x']) {
      for (const [operation, take] of Object.entries(pathTakers(host, test))) {
        const error = await errorOf(take(path));
        expect(error, `${operation} ${path}`).toMatchObject({
          code: 'INVALID_ARGUMENT',
          details: { reason: 'outside-storage' },
        });
      }
    }
    await host.whenIdle();
    expect(await readdir(elsewhere)).toEqual([]);
    await host.close();
  });

  it('refuses a checkpoint when its folder has since become a link that leads outside', async () => {
    const { host, vm, data, elsewhere } = await nodeHost();
    await host.updateVmSettings(vm.id, { snapshotFileLocation: 'Lab' });
    await rm(join(data, 'Lab'), { recursive: true, force: true });
    await symlink(elsewhere, join(data, 'Lab'));
    const error = await errorOf(host.createCheckpoint(vm.id, { name: 'escape' }));
    expect(error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { reason: 'outside-storage' },
    });
    expect(host.listCheckpoints(vm.id).checkpoints).toEqual([]);
    expect(await readdir(elsewhere)).toEqual([]);
    const [warning] = (await host.queryEventLog({ levels: ['Warning'] })).entries;
    expect(warning).toMatchObject({ eventId: EventIds.PathRefused, vmName: 'CONFINED' });
    await host.close();
  });

  it('accepts a link that stays inside, and an absolute path inside the data folder', async () => {
    const { host, vm, data } = await nodeHost();
    await mkdir(join(data, 'Real'));
    await symlink(join(data, 'Real'), join(data, 'Alias'));
    await host.updateVmSettings(vm.id, { snapshotFileLocation: 'Alias/Lab' });
    // Kept relative to the data folder; the view shows it in full (storage/hostPaths.ts).
    expect(host.getVm(vm.id).snapshotFileLocation).toBe(`${data}/Alias/Lab`);
    await host.updateVmSettings(vm.id, { snapshotFileLocation: join(data, 'Checkpoints') });
    expect(host.getVm(vm.id).snapshotFileLocation).toBe(`${data}/Checkpoints`);
    await host.close();
  });
});
