import { EngineError, ErrorCode, invalidArgument } from '../errors.js';
import { MAX_CHECKPOINTS_PER_VM, type HostContext } from '../host/hostContext.js';
import {
  VM_FOLDER,
  checkpointConfigPath,
  checkpointSavedStatePath,
  vmSavedStatePath,
} from '../persistence/layout.js';
import type { CheckpointFile, VmFile } from '../persistence/records.js';
import { confinePath, isUnder, pathOutsideStorage } from '../storage/storageRoots.js';

/**
 * Reading an export (or a VM folder to register in place) as a hostile input: every path it names
 * must lie inside its folder, with no symbolic link on the way, every file it names is bounded in
 * size, and the configuration must have the shape this host writes. What cannot be read is refused
 * with an error; what can be read but does not fit is Compare-VM's business (`compareVm.ts`).
 */

/** A VM configuration or checkpoint configuration larger than this is refused unread. */
export const MAX_IMPORT_CONFIG_BYTES = 1024 * 1024;
/** Drives a configuration may name (Generation 2: 4 SCSI controllers of 64 locations). */
const MAX_DRIVES = 256;
/** Disk files one VM may hold: a chain per drive through every checkpoint, generously. */
const MAX_DISK_FILES = 4096;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ImportSource {
  /** The export folder, relative to the data folder. */
  root: string;
  /** Its configuration file, relative to the data folder. */
  configPath: string;
  file: VmFile;
  /** Checkpoint configurations that could be read, by checkpoint id. */
  checkpointFiles: Map<string, CheckpointFile>;
}

function importRefused(path: string, why: string): EngineError {
  // Hyper-V's own text for an unreadable import is not known; this sentence is ours.
  return new EngineError(
    ErrorCode.InvalidArgument,
    `Failed to import a virtual machine from '${path}': ${why}`,
    { field: 'path', path },
  );
}

/** A path the configuration names, checked and made relative to the data folder. */
export function insideExport(root: string, path: unknown, what: string): string {
  if (typeof path !== 'string' || path === '' || path.length > 260)
    throw importRefused(root, `the configuration names ${what} without a valid path.`);
  const parts = path.replace(/\\/g, '/').split('/');
  if (
    path.startsWith('/') ||
    path.startsWith('\\') ||
    /^[a-zA-Z]:/.test(path) ||
    parts.some((part) => part === '..' || part === '' || part === '.') ||
    [...path].some((c) => c.charCodeAt(0) < 32 || '<>:"|?*'.includes(c))
  ) {
    throw pathOutsideStorage('path', path);
  }
  return `${root}/${parts.join('/')}`;
}

/** The file must be where it says, not behind a symbolic link (which could lead anywhere). */
async function refuseLinks(ctx: HostContext, path: string): Promise<void> {
  let real: string | null;
  try {
    real = await ctx.store.realpath(path);
  } catch {
    real = null;
  }
  if (real?.toLowerCase() !== path.toLowerCase()) throw pathOutsideStorage('path', path);
}

/** Reads a JSON file of at most MAX_IMPORT_CONFIG_BYTES; null when absent. */
async function readBoundedJson(ctx: HostContext, path: string): Promise<unknown> {
  if (!(await ctx.store.exists(path))) return null;
  await refuseLinks(ctx, path);
  const stat = await ctx.store.stat(path);
  if (stat.isDirectory || stat.size > MAX_IMPORT_CONFIG_BYTES)
    throw importRefused(path, 'the file is not a virtual machine configuration.');
  try {
    return JSON.parse(new TextDecoder().decode(await ctx.store.readFile(path)));
  } catch {
    throw importRefused(path, 'the virtual machine configuration cannot be read.');
  }
}

/** The export folder and configuration file a user's path names. */
async function locateConfig(
  ctx: HostContext,
  input: unknown,
): Promise<{ root: string; configPath: string }> {
  const path = await confinePath(ctx, input, 'path');
  if (isUnder(path, VM_FOLDER) && path.split('/').length <= 2) {
    throw invalidArgument(
      'path',
      `The path '${String(input)}' is the host's own '${VM_FOLDER}' folder; import from an export folder.`,
    );
  }
  if (path.toLowerCase().endsWith('.json')) {
    const parts = path.split('/');
    if (parts.length < 3 || parts[parts.length - 2]?.toLowerCase() !== VM_FOLDER.toLowerCase())
      throw importRefused(path, `a configuration file lies in a '${VM_FOLDER}' folder.`);
    return { root: parts.slice(0, -2).join('/'), configPath: path };
  }
  await refuseLinks(ctx, path);
  const configs = (await ctx.store.list(`${path}/${VM_FOLDER}`)).filter((name) =>
    GUID.test(name.replace(/\.json$/i, '')),
  );
  if (configs.length === 0) {
    // The wizard's Select Virtual Machine page finds none; the text is ours.
    throw new EngineError(
      ErrorCode.NotFound,
      `No virtual machine was found in '${path}': it holds no '${VM_FOLDER}/<VMId>.json'.`,
      { object: 'virtual machine', path },
    );
  }
  if (configs.length > 1) {
    throw invalidArgument(
      'path',
      `The folder '${path}' holds ${configs.length} virtual machines; name one of its '${VM_FOLDER}' files.`,
    );
  }
  return { root: path, configPath: `${path}/${VM_FOLDER}/${configs[0] ?? ''}` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The configuration's shape, and every path in it rebased onto the export folder. */
function checkedVmFile(root: string, configPath: string, raw: unknown): VmFile {
  const bad = () => importRefused(configPath, 'the virtual machine configuration is not valid.');
  if (!isRecord(raw)) throw bad();
  const { id, name, drives, checkpoints, disks, configuration } = raw;
  if (typeof id !== 'string' || !GUID.test(id) || typeof name !== 'string' || name.length > 100)
    throw bad();
  if (!isRecord(configuration) || !isRecord(disks) || !Array.isArray(drives)) throw bad();
  if (!Array.isArray(checkpoints) || checkpoints.length > MAX_CHECKPOINTS_PER_VM) throw bad();
  if (drives.length > MAX_DRIVES || Object.keys(disks).length > MAX_DISK_FILES) throw bad();
  const to = (path: unknown) => insideExport(root, path, 'a virtual hard disk');
  const registry: VmFile['disks'] = {};
  for (const [path, entry] of Object.entries(disks)) {
    if (!isRecord(entry)) throw bad();
    registry[to(path)] = { parent: entry.parent === null ? null : to(entry.parent) };
  }
  const file = raw as unknown as VmFile;
  const nodes = checkpoints.map((node: unknown) => {
    if (!isRecord(node) || typeof node.id !== 'string' || !GUID.test(node.id)) throw bad();
    if (!Array.isArray(node.disks) || typeof node.name !== 'string') throw bad();
    return { ...(node as unknown as VmFile['checkpoints'][number]), disks: node.disks.map(to) };
  });
  return {
    ...file,
    drives: drives.map((drive: unknown) => {
      if (!isRecord(drive)) throw bad();
      return { ...(drive as unknown as VmFile['drives'][number]), path: to(drive.path) };
    }),
    checkpoints: nodes,
    disks: registry,
    snapshotFileLocation: insideExport(root, file.snapshotFileLocation, 'a checkpoint folder'),
    state: file.state === 'Saved' ? 'Saved' : 'Off',
    runningSince: null,
    merge: null,
  };
}

/**
 * Reads the export at `input`: the configuration (paths rebased onto the data folder) and the
 * checkpoint configurations it names. Refuses links, paths leaving the folder, oversized or
 * malformed files; a missing checkpoint configuration is left to Compare-VM.
 */
export async function readImportSource(ctx: HostContext, input: unknown): Promise<ImportSource> {
  const { root, configPath } = await locateConfig(ctx, input);
  const raw = await readBoundedJson(ctx, configPath);
  if (raw === null) {
    throw new EngineError(
      ErrorCode.NotFound,
      `The virtual machine configuration '${configPath}' was not found.`,
      { object: 'virtual machine', path: configPath },
    );
  }
  const file = checkedVmFile(root, configPath, raw);
  const checkpointFiles = new Map<string, CheckpointFile>();
  for (const node of file.checkpoints) {
    const record = await readBoundedJson(
      ctx,
      checkpointConfigPath(file.snapshotFileLocation, node.id),
    );
    if (isRecord(record) && isRecord(record.configuration))
      checkpointFiles.set(node.id, record as unknown as CheckpointFile);
  }
  for (const path of filesOfSource({ root, configPath, file, checkpointFiles }))
    if (await ctx.store.exists(path)) await refuseLinks(ctx, path);
  return { root, configPath, file, checkpointFiles };
}

/** The exported VM's saved state, in its `Virtual Machines` folder. */
export function sourceSavedStatePath(source: Pick<ImportSource, 'root' | 'file'>): string {
  return `${source.root}/${vmSavedStatePath(source.file.id)}`;
}

/** Every file the export names: disks, checkpoint configurations and saved states, its saved state. */
export function filesOfSource(source: ImportSource): string[] {
  const { file } = source;
  const files = new Set<string>(Object.keys(file.disks));
  for (const drive of file.drives) files.add(drive.path);
  for (const node of file.checkpoints) {
    for (const disk of node.disks) files.add(disk);
    files.add(checkpointConfigPath(file.snapshotFileLocation, node.id));
    if (source.checkpointFiles.get(node.id)?.hasSavedState === true)
      files.add(checkpointSavedStatePath(file.snapshotFileLocation, node.id));
  }
  if (file.state === 'Saved') files.add(sourceSavedStatePath(source));
  return [...files];
}
