import { diskUsers } from './diskUsers.js';
import type { HostCheckReport } from './diskTypes.js';
import { findDiskFiles } from './inspectDisk.js';
import { readDiskChain } from './diskLibrary.js';
import {
  checkpointConfigPath,
  checkpointSavedStatePath,
  vmSavedStatePath,
} from '../persistence/layout.js';
import { nowIso, type HostContext } from '../host/hostContext.js';
import { dataFolderOf, userMessage } from '../storage/fileSystemError.js';
import { isExportedDisk, type ExportedDiskCache } from '../export/exportedDisks.js';
import { findOrphanedFiles } from '../persistence/orphanedFiles.js';
import { pendingDiskMarkerPath } from '../persistence/pendingDisks.js';

/** The parent a disk file's header really names (resolved through its parent locator). */
async function actualParent(
  ctx: HostContext,
  path: string,
): Promise<{ parent: string | null; error: string | null }> {
  try {
    const info = await readDiskChain(ctx.store, path);
    return { parent: info.parentPath, error: null };
  } catch (error) {
    return { parent: null, error: userMessage(error, dataFolderOf(ctx.dataLocation)) };
  }
}

const samePath = (a: string | null, b: string | null): boolean =>
  (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/**
 * Check Host: finds `.avhdx` files no checkpoint tree knows (Hyper-V's orphaned differencing
 * disks), checkpoint configurations and saved states no VM lists (orphaned files, which loading
 * keeps: issue 17), differencing chains whose files name another parent than the tree, and files
 * the configuration refers to that are missing. It reads every file's real parent from its header
 * and never changes or deletes anything; Remove and Attach (`persistence/orphanActions.ts`) act on
 * what it reports. A file an operation is making (marked `.pending`) is no orphan.
 */
export async function checkHost(ctx: HostContext): Promise<HostCheckReport> {
  const report: HostCheckReport = {
    ok: true,
    checkedAt: nowIso(ctx),
    orphanedDisks: [],
    orphanedFiles: [],
    brokenChains: [],
    missingFiles: [],
    skippedVms: [],
  };
  const known = diskUsers(ctx);
  // A deleted VM's disks wait for their merge into the kept .vhdx: not orphans.
  for (const vm of ctx.deletingVms.values()) {
    for (const disk of Object.keys(vm.file.disks)) known.set(disk.toLowerCase(), []);
    report.skippedVms.push({
      vmId: vm.file.id,
      vmName: vm.file.name,
      reason:
        'The virtual machine was deleted; its checkpoints are merging into its virtual hard disk.',
    });
  }

  for (const vm of ctx.vms.values()) {
    const { file } = vm;
    const who = { vmId: file.id, vmName: file.name };
    for (const node of file.checkpoints) {
      const config = checkpointConfigPath(file.snapshotFileLocation, node.id);
      if (!(await ctx.store.exists(config)))
        report.missingFiles.push({ ...who, path: config, usedBy: `Checkpoint '${node.name}'` });
      if (vm.checkpointFiles.get(node.id)?.hasSavedState === true) {
        const state = checkpointSavedStatePath(file.snapshotFileLocation, node.id);
        if (!(await ctx.store.exists(state)))
          report.missingFiles.push({ ...who, path: state, usedBy: `Checkpoint '${node.name}'` });
      }
    }
    if (file.state === 'Saved' && !(await ctx.store.exists(vmSavedStatePath(file.id))))
      report.missingFiles.push({ ...who, path: vmSavedStatePath(file.id), usedBy: 'Saved state' });

    if (vm.mergeTask !== null || file.merge !== null) {
      report.skippedVms.push({ ...who, reason: 'Its disks are merging; check again afterwards.' });
      continue;
    }
    for (const [disk, entry] of Object.entries(file.disks)) {
      if (!(await ctx.store.exists(disk))) {
        const users = known.get(disk.toLowerCase()) ?? [];
        const use = users.find((u) => u.vmId === file.id);
        const usedBy =
          use === undefined || use.role === 'Chain'
            ? 'Parent in the chain'
            : use.role === 'Now'
              ? 'Now'
              : `Checkpoint '${use.checkpointName ?? ''}'`;
        report.missingFiles.push({ ...who, path: disk, usedBy });
        continue;
      }
      const actual = await actualParent(ctx, disk);
      if (actual.error !== null) {
        // A missing parent the tree knows is reported once, as a missing file.
        const parentMissing =
          entry.parent !== null &&
          entry.parent in file.disks &&
          !(await ctx.store.exists(entry.parent));
        if (!parentMissing)
          report.brokenChains.push({
            ...who,
            disk,
            expectedParent: entry.parent,
            actualParent: null,
            error: actual.error,
          });
        continue;
      }
      if (!samePath(actual.parent, entry.parent)) {
        report.brokenChains.push({
          ...who,
          disk,
          expectedParent: entry.parent,
          actualParent: actual.parent,
          error: null,
        });
      }
    }
  }

  const exports: ExportedDiskCache = new Map();
  for (const path of await findDiskFiles(ctx)) {
    if (!path.toLowerCase().endsWith('.avhdx') || known.has(path.toLowerCase())) continue;
    if (await isExportedDisk(ctx, path, exports)) continue;
    if (await ctx.store.exists(pendingDiskMarkerPath(path)).catch(() => true)) continue;
    const actual = await actualParent(ctx, path);
    report.orphanedDisks.push({
      path,
      parentPath: actual.parent,
      reason:
        actual.error === null
          ? 'The differencing disk belongs to no checkpoint and to no virtual machine.'
          : `The differencing disk belongs to no checkpoint and to no virtual machine; it cannot be opened: ${actual.error}`,
    });
  }

  report.orphanedFiles = await findOrphanedFiles(ctx);
  report.ok =
    report.orphanedDisks.length === 0 &&
    report.orphanedFiles.length === 0 &&
    report.brokenChains.length === 0 &&
    report.missingFiles.length === 0;
  return report;
}
