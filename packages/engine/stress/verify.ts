import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Host } from '@hvm/engine';
import { MERGE_SIDECAR_SUFFIX, inspectDisk, nodeFileStore, type FileStore } from '@hvm/vhdx';
import { readTags, type DiskContent } from './patterns.js';
import {
  EXPORT_FOLDER,
  IMPORTED_COPY,
  KEPT_DISK_A,
  NEW_CHECKPOINT,
  inDataFolder,
  modelAfter,
  openHost,
  type Model,
  type Operation,
  type Template,
} from './scenario.js';

interface VmJson {
  id: string;
  name: string;
  state: string;
  snapshotFileLocation: string;
  parentCheckpointId: string | null;
  drives: { path: string }[];
  checkpoints: { id: string; parentId: string | null; disks: string[] }[];
  disks: Record<string, { parent: string | null }>;
  merge: unknown;
}

/** Every file under `folder`, relative, with `/` separators. */
function walk(folder: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(folder, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(`${path}/`, ...walk(folder, path));
    else out.push(path);
  }
  return out;
}

const same = (a: string | null, b: string | null): boolean =>
  (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
const sameContent = (a: readonly number[], b: DiskContent): boolean =>
  a.length === b.length && a.every((t, i) => t === b[i]);

/**
 * The check that does not trust the engine: reads the VMs' JSON, opens every `.vhdx`/`.avhdx`
 * with @hvm/vhdx and compares each file's parent with the disk registry, and looks for files no
 * VM references (orphaned `.avhdx`, saved states, checkpoint configurations, temp files, merge
 * sidecars, unfinished exports).
 */
export async function independentCheck(
  folder: string,
  freeDisks: readonly string[] = [],
): Promise<string[]> {
  const problems: string[] = [];
  const store = nodeFileStore(folder);
  const files = walk(folder);
  const vms: VmJson[] = files
    .filter((f) => /^Virtual Machines\/[^/]+\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(join(folder, f), 'utf8')) as VmJson);
  const referenced = new Set<string>();
  // A .vhdx nobody uses (the one a deleted VM keeps) is normal: it must open as a disk without parent.
  for (const disk of freeDisks) {
    if (!files.includes(disk)) continue;
    referenced.add(disk.toLowerCase());
    try {
      const info = await inspectDisk(store, disk);
      if (info.parentPath !== null)
        problems.push(`the kept disk ${disk} still names a parent: ${info.parentPath}`);
    } catch (error) {
      problems.push(
        `the kept disk ${disk} cannot be opened: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  for (const vm of vms) {
    referenced.add(`Virtual Machines/${vm.id}.json`.toLowerCase());
    if (vm.state === 'Saved') referenced.add(`Virtual Machines/${vm.id}.vmrs`.toLowerCase());
    if (vm.merge !== null)
      problems.push(`${vm.name}: a merge is still recorded after the host went idle`);
    for (const node of vm.checkpoints) {
      for (const ext of ['json', 'vmrs'])
        referenced.add(`${vm.snapshotFileLocation}/${node.id}.${ext}`.toLowerCase());
      for (const disk of node.disks)
        if (!(disk in vm.disks))
          problems.push(
            `${vm.name}: checkpoint ${node.id} uses ${disk}, missing from the disk registry`,
          );
    }
    for (const drive of vm.drives)
      if (!(drive.path in vm.disks))
        problems.push(`${vm.name}: Now uses ${drive.path}, missing from the disk registry`);
    for (const [disk, entry] of Object.entries(vm.disks)) {
      referenced.add(disk.toLowerCase());
      try {
        const info = await inspectDisk(store, disk);
        if (!same(info.parentPath, entry.parent))
          problems.push(
            `${vm.name}: ${disk} names parent ${info.parentPath ?? 'none'}, the tree says ${entry.parent ?? 'none'}`,
          );
      } catch (error) {
        problems.push(
          `${vm.name}: ${disk} cannot be opened: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
  for (const file of files) {
    const lower = file.toLowerCase();
    const name = lower.slice(lower.lastIndexOf('/', lower.length - 2) + 1);
    if (lower.startsWith(`${EXPORT_FOLDER.toLowerCase()}/`)) {
      if (lower.includes('.partial')) problems.push(`unfinished export left: ${file}`);
      continue;
    }
    if (name.includes('.tmp')) problems.push(`temporary file left: ${file}`);
    else if (name.endsWith(MERGE_SIDECAR_SUFFIX)) problems.push(`merge sidecar left: ${file}`);
    else if (name.endsWith('.pending')) problems.push(`pending-file marker left: ${file}`);
    else if (name === 'exports-in-progress.json') problems.push(`export journal left: ${file}`);
    else if (/\.(avhdx|vhdx|vmrs)$/.test(name) && !referenced.has(lower))
      problems.push(`orphaned file: ${file}`);
    else if (/^[0-9a-f-]{36}\.json$/.test(name) && !referenced.has(lower))
      problems.push(`orphaned configuration: ${file}`);
  }
  return problems;
}

export interface Verdict {
  problems: string[];
  /** Whether the operation is visible after the restart. */
  committed: boolean | null;
}

async function checkContent(
  store: FileStore,
  path: string | undefined,
  expected: DiskContent,
  what: string,
  tags: number[],
): Promise<string | null> {
  if (path === undefined) return `${what} has no disk`;
  try {
    const found = await readTags(store, path, tags);
    return sameContent(found, expected)
      ? null
      : `${what} (${path}) reads tags [${found.join(' ')}], expected [${expected.join(' ')}]`;
  } catch (error) {
    return `${what} (${path}) cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The tree of VM A must be the model before or after the operation, with every disk reading what the model says. */
async function checkTree(
  host: Host,
  store: FileStore,
  template: Template,
  before: Model,
  after: Model,
  op: Operation,
): Promise<Verdict> {
  const problems: string[] = [];
  const tree = host.listCheckpoints(template.vmA);
  const actual = new Map<string, (typeof tree.checkpoints)[number]>(
    tree.checkpoints.map((c) => [c.id, c]),
  );
  const matches = (model: Model): boolean => {
    const known = model.checkpoints.filter((c) => c.id !== NEW_CHECKPOINT);
    const fresh = model.checkpoints.length - known.length;
    return known.every((c) => actual.has(c.id)) && actual.size === known.length + fresh;
  };
  const nowDrive = inDataFolder(host, host.getVm(template.vmA).hardDrives[0]?.path);
  let committed: boolean;
  if (op.kind === 'apply') {
    committed = tree.now.parentId === op.checkpoint && before.now.parentId !== op.checkpoint;
  } else if (matches(after) && !matches(before)) committed = true;
  else if (matches(before)) committed = false;
  else {
    problems.push(
      `VM A's tree [${[...actual.keys()].join(', ')}] is neither the one before nor the one after ${op.kind}`,
    );
    return { problems, committed: null };
  }
  const model = committed ? after : before;
  const fresh = [...actual.keys()].find((id) => !model.checkpoints.some((c) => c.id === id));
  const idOf = (id: string | null): string | null => (id === NEW_CHECKPOINT ? (fresh ?? null) : id);
  for (const expected of model.checkpoints) {
    const id = idOf(expected.id);
    const found = id === null ? undefined : actual.get(id);
    if (found === undefined) {
      problems.push(`checkpoint ${expected.id} is missing`);
      continue;
    }
    if (!same(found.parentId, idOf(expected.parentId)))
      problems.push(
        `checkpoint ${found.id} hangs under ${found.parentId ?? 'the root'}, expected ${idOf(expected.parentId) ?? 'the root'}`,
      );
    const problem = await checkContent(
      store,
      inDataFolder(host, found.hardDrives[0]),
      expected.content,
      `checkpoint ${found.name}`,
      template.tags,
    );
    if (problem !== null) problems.push(problem);
  }
  if (!same(tree.now.parentId, idOf(model.now.parentId)))
    problems.push(
      `Now hangs under ${tree.now.parentId ?? 'the root'}, expected ${idOf(model.now.parentId) ?? 'the root'}`,
    );
  const problem = await checkContent(store, nowDrive, model.now.content, 'Now', template.tags);
  if (problem !== null) problems.push(problem);
  return { problems, committed };
}

/** An export is all there, with the checkpoint's content, or not there at all. */
async function checkExport(
  folder: string,
  template: Template,
  checkpoint: string,
  problems: string[],
): Promise<boolean> {
  const target = `${EXPORT_FOLDER}/CRASH-A`;
  let disks: string[];
  try {
    disks = readdirSync(join(folder, target, 'Virtual Hard Disks')).filter((n) =>
      n.endsWith('.vhdx'),
    );
  } catch {
    try {
      if (statSync(join(folder, target)).isDirectory())
        problems.push(`export ${target} exists without its disks`);
    } catch {
      // Not exported: fine.
    }
    return false;
  }
  const expected = template.model.checkpoints.find((c) => c.id === checkpoint)?.content;
  if (expected === undefined) return true;
  const problem = await checkContent(
    nodeFileStore(folder),
    `${target}/Virtual Hard Disks/${disks[0] ?? ''}`,
    expected,
    'exported disk',
    template.tags,
  );
  if (problem !== null) problems.push(problem);
  return true;
}

/**
 * An imported copy is all there or not there at all: no VM and no copied file (the independent
 * check finds any file no VM references), or a VM with VM A's checkpoints and Now's content.
 */
async function checkImportedCopy(
  host: Host,
  store: FileStore,
  template: Template,
  problems: string[],
): Promise<boolean> {
  const copy = host.listVms().find((vm) => vm.name === IMPORTED_COPY);
  if (copy === undefined) return false;
  if (copy.id === template.vmA) problems.push('the copy kept the ID of VM A');
  const tree = host.listCheckpoints(copy.id);
  if (tree.checkpoints.length !== template.model.checkpoints.length)
    problems.push(
      `the copy has ${tree.checkpoints.length} checkpoints, expected ${template.model.checkpoints.length}`,
    );
  const drive = inDataFolder(host, host.getVm(copy.id).hardDrives[0]?.path) ?? '';
  const problem = await checkContent(
    store,
    drive,
    template.model.now.content,
    "the copy's Now",
    template.tags,
  );
  if (problem !== null) problems.push(problem);
  return true;
}

/** VM B after a memory save: Off, or Saved with a saved state that starts; its checkpoints with memory apply and start. */
async function checkMemoryVm(host: Host, template: Template, problems: string[]): Promise<boolean> {
  const vm = host.getVm(template.vmB);
  if (vm.state !== 'Off' && vm.state !== 'Saved') problems.push(`VM B came back ${vm.state}`);
  const saved = vm.state === 'Saved';
  try {
    if (saved) await host.changeVmState(template.vmB, 'start');
    for (const checkpoint of host.listCheckpoints(template.vmB).checkpoints) {
      await host.applyCheckpoint(template.vmB, checkpoint.id);
      if (checkpoint.hasSavedState) await host.changeVmState(template.vmB, 'start');
    }
  } catch (error) {
    problems.push(
      `VM B's saved memory does not start: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return saved;
}

/**
 * Restarts the host on a trial's folder and checks it: interrupted merges finish, Check Host is
 * clean, the independent check finds nothing, and every disk reads the model before or after the operation.
 */
export async function verifyFolder(
  folder: string,
  template: Template,
  op: Operation,
): Promise<Verdict> {
  const problems: string[] = [];
  let host: Host;
  try {
    host = await openHost(folder);
  } catch (error) {
    return {
      problems: [
        `the host does not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      ],
      committed: null,
    };
  }
  let committed: boolean | null;
  try {
    await host.whenIdle();
    for (const task of host.listTasks())
      if (task.status === 'Failed')
        problems.push(`task '${task.name}' failed after restart: ${task.error?.message ?? ''}`);
    const report = await host.checkHost();
    if (!report.ok)
      problems.push(
        `Check Host: ${JSON.stringify({ orphanedDisks: report.orphanedDisks, brokenChains: report.brokenChains, missingFiles: report.missingFiles })}`,
      );
    problems.push(
      ...(await independentCheck(folder, op.kind === 'delete-vm' ? [KEPT_DISK_A] : [])),
    );
    const store = nodeFileStore(folder);
    if (op.kind === 'delete-vm' && !host.listVms().some((vm) => vm.id === template.vmA)) {
      // Deleted: only the .vhdx stays, with what Now held (R26).
      const problem = await checkContent(
        store,
        KEPT_DISK_A,
        template.model.now.content,
        "VM A's kept disk",
        template.tags,
      );
      return { problems: problem === null ? problems : [...problems, problem], committed: true };
    }
    const tree = await checkTree(
      host,
      store,
      template,
      template.model,
      modelAfterFor(template, op),
      op,
    );
    problems.push(...tree.problems);
    committed = tree.committed;
    if (op.kind === 'export')
      committed = await checkExport(folder, template, op.checkpoint, problems);
    if (op.kind === 'save' || op.kind === 'checkpoint-running')
      committed = await checkMemoryVm(host, template, problems);
    if (op.kind === 'import-copy')
      committed = await checkImportedCopy(host, store, template, problems);
  } finally {
    await host.close().catch(() => undefined);
  }
  return { problems, committed };
}

function modelAfterFor(template: Template, op: Operation): Model {
  return modelAfter(template.model, op);
}
