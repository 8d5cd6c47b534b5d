import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import {
  createHost,
  nodeFileStore,
  zeroTiming,
  type CheckpointId,
  type Host,
  type VmId,
} from '@hvm/engine';
import { BLANK, writeTags, type DiskContent } from './patterns.js';

/** A checkpoint as the model expects it: its place in the tree and what its disk holds. */
export interface ModelCheckpoint {
  id: string;
  parentId: string | null;
  content: DiskContent;
}

/** What the crash-test VM ("CRASH-A") must look like: its tree and Now. */
export interface Model {
  checkpoints: ModelCheckpoint[];
  now: { parentId: string | null; content: DiskContent };
}

export interface Template {
  folder: string;
  vmA: VmId;
  vmB: VmId;
  model: Model;
  /** The checkpoints by their role in the tree, for picking operations. */
  roles: { root: CheckpointId; middle: CheckpointId; leaf: CheckpointId; nowParent: CheckpointId };
  /** Every tag written, for reading a probe back. */
  tags: number[];
}

/** One operation a driver runs. VM A holds the checkpoint tree; VM B is used for memory saves. */
export type Operation =
  | { kind: 'create' }
  | { kind: 'apply'; checkpoint: CheckpointId }
  | { kind: 'delete'; checkpoint: CheckpointId }
  | { kind: 'merge'; checkpoint: CheckpointId }
  /** VM A started, then the checkpoint under Now deleted: Now's disk merges while the VM runs. */
  | { kind: 'live-merge'; checkpoint: CheckpointId }
  | { kind: 'delete-subtree'; checkpoint: CheckpointId }
  | { kind: 'export'; checkpoint: CheckpointId }
  | { kind: 'save' }
  | { kind: 'checkpoint-running' }
  | { kind: 'delete-vm' }
  | { kind: 'import-copy' };

export const EXPORT_FOLDER = 'Exports';
export const VM_A = 'CRASH-A';
export const VM_B = 'CRASH-B';
/** The disk Delete VM keeps of VM A, with Now's content. */
export const KEPT_DISK_A = `Virtual Hard Disks/${VM_A}.vhdx`;
/** The template's export of VM A (Hyper-V layout, with its checkpoints), and the name of its imported copy. */
export const IMPORT_SOURCE = `${EXPORT_FOLDER}/template/${VM_A}`;
export const IMPORTED_COPY = `${VM_A}-COPY`;

/** A path the host shows in full, relative to its data folder (what a file store works with). */
export function inDataFolder(host: Host, path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const root = host.info().dataLocation.replace(/\/+$/, '');
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}

export function openHost(folder: string): Promise<Host> {
  return createHost({
    store: nodeFileStore(folder),
    timing: zeroTiming,
    hostName: 'STRESS-HOST',
    dataLocation: folder,
  });
}

/**
 * Builds the data folder every trial starts from. VM A, Off, blank disk:
 *   write 1 1 1 1, C1; write 2 . 2 ., C2; write . 3 . ., C3; Apply C1; write 4 . . 4, C4; write 5 5 . .
 * gives the tree C1 → (C2 → C3), (C4 → Now). VM B is Off with a blank disk. Neither starts with
 * the host (Automatic Start Action Nothing).
 */
export async function buildTemplate(folder: string): Promise<Template> {
  mkdirSync(folder, { recursive: true });
  const store = nodeFileStore(folder);
  const host = await openHost(folder);
  const sizes = { memoryStartupMB: 512, diskSizeBytes: 64 * 1024 * 1024, guestImage: null };
  const a = await host.createVm({ name: VM_A, ...sizes });
  const b = await host.createVm({ name: VM_B, ...sizes });
  // What a trial left running is saved when its host closes; the check opens it as it was left.
  for (const vm of [a, b]) await host.updateVmSettings(vm.id, { automaticStartAction: 'Nothing' });
  const drive = (): string => {
    const path = inDataFolder(host, host.getVm(a.id).hardDrives[0]?.path);
    if (path === undefined) throw new Error('VM A has no drive');
    return path;
  };
  let now = BLANK;
  const write = async (tags: (number | null)[]): Promise<void> => {
    now = await writeTags(store, drive(), now, tags);
  };
  const checkpoints: ModelCheckpoint[] = [];
  const checkpoint = async (): Promise<CheckpointId> => {
    const made = await host.createCheckpoint(a.id);
    checkpoints.push({ id: made.id, parentId: made.parentId, content: now });
    return made.id;
  };
  await write([1, 1, 1, 1]);
  const c1 = await checkpoint();
  await write([2, null, 2, null]);
  const c2 = await checkpoint();
  await write([null, 3, null, null]);
  const c3 = await checkpoint();
  await host.applyCheckpoint(a.id, c1);
  now = checkpoints[0]?.content ?? BLANK;
  await write([4, null, null, 4]);
  const c4 = await checkpoint();
  await write([5, 5, null, null]);
  await host.whenIdle();
  // What an import trial copies: VM A exported with its checkpoint tree and disk chain.
  await host.exportVm(a.id, { path: `${EXPORT_FOLDER}/template` });
  await host.whenIdle();
  await host.close();
  return {
    folder,
    vmA: a.id,
    vmB: b.id,
    model: { checkpoints, now: { parentId: c4, content: now } },
    roles: { root: c1, middle: c2, leaf: c3, nowParent: c4 },
    tags: [1, 2, 3, 4, 5],
  };
}

/** A copy of the template for one trial (sparse files stay sparse). */
export function copyTemplate(template: Template, to: string): void {
  execFileSync('cp', ['-r', '--sparse=always', template.folder, to]);
}

/** The operations a trial picks from, with the checkpoints they act on. */
export function operations(template: Template): Operation[] {
  const { root, middle, leaf, nowParent } = template.roles;
  return [
    { kind: 'create' },
    { kind: 'apply', checkpoint: middle },
    { kind: 'apply', checkpoint: leaf },
    { kind: 'apply', checkpoint: root },
    { kind: 'delete', checkpoint: leaf },
    { kind: 'delete', checkpoint: root },
    { kind: 'merge', checkpoint: middle },
    { kind: 'merge', checkpoint: nowParent },
    { kind: 'live-merge', checkpoint: nowParent },
    { kind: 'delete-subtree', checkpoint: middle },
    { kind: 'delete-subtree', checkpoint: root },
    { kind: 'delete-subtree', checkpoint: nowParent },
    { kind: 'export', checkpoint: middle },
    { kind: 'export', checkpoint: leaf },
    { kind: 'save' },
    { kind: 'checkpoint-running' },
    { kind: 'delete-vm' },
    { kind: 'import-copy' },
  ];
}

export const NEW_CHECKPOINT = 'new checkpoint';

/** The model once `op` has committed (a created checkpoint's id is NEW_CHECKPOINT). */
export function modelAfter(model: Model, op: Operation): Model {
  const content = (id: string): DiskContent =>
    model.checkpoints.find((c) => c.id === id)?.content ?? BLANK;
  switch (op.kind) {
    case 'create':
      return {
        checkpoints: [
          ...model.checkpoints,
          { id: NEW_CHECKPOINT, parentId: model.now.parentId, content: model.now.content },
        ],
        now: { parentId: NEW_CHECKPOINT, content: model.now.content },
      };
    case 'apply':
      return {
        checkpoints: model.checkpoints,
        now: { parentId: op.checkpoint, content: content(op.checkpoint) },
      };
    case 'delete':
    case 'merge':
    case 'live-merge':
    case 'delete-subtree': {
      const removed = new Set<string>([op.checkpoint]);
      if (op.kind === 'delete-subtree') {
        for (let grew = true; grew;) {
          grew = false;
          for (const c of model.checkpoints)
            if (c.parentId !== null && removed.has(c.parentId) && !removed.has(c.id)) {
              removed.add(c.id);
              grew = true;
            }
        }
      }
      const target = model.checkpoints.find((c) => c.id === op.checkpoint);
      const lift = (parentId: string | null): string | null =>
        parentId !== null && removed.has(parentId) ? (target?.parentId ?? null) : parentId;
      return {
        checkpoints: model.checkpoints
          .filter((c) => !removed.has(c.id))
          .map((c) => ({ ...c, parentId: lift(c.parentId) })),
        now: { ...model.now, parentId: lift(model.now.parentId) },
      };
    }
    default:
      return model;
  }
}
