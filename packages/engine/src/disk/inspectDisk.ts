import type { DiskInfo } from '@hvm/vhdx';
import { readDiskChain } from './diskLibrary.js';
import { diskError } from './vhdxErrors.js';
import { EngineError, ErrorCode } from '../errors.js';
import type { HostContext } from '../host/hostContext.js';
import { DISK_FOLDER } from '../persistence/layout.js';
import type { DiskFileEntry, DiskFileInfo, DiskInspection, DiskUser } from './diskTypes.js';
import { diskUsers } from './diskUsers.js';
import { confinePath } from '../storage/storageRoots.js';

const DISK_FILE = /\.(a?vhdx)$/i;

export function toDiskFileInfo(info: DiskInfo, users: Map<string, DiskUser[]>): DiskFileInfo {
  return {
    path: info.path,
    format: 'VHDX',
    type: info.type,
    virtualSizeBytes: info.virtualSize,
    fileSizeBytes: info.fileSize,
    allocatedBytes: info.allocatedBytes,
    logicalSectorSize: info.logicalSectorSize,
    physicalSectorSize: info.physicalSectorSize,
    blockSizeBytes: info.blockSize,
    virtualDiskId: info.virtualDiskId,
    parentPath: info.parentPath,
    usedBy: users.get(info.path.toLowerCase()) ?? [],
  };
}

/**
 * Inspect Disk: a disk's format, type, sizes and its parent chain, as Hyper-V's "Virtual Hard
 * Disk Properties" shows them, with the VMs and checkpoints that use each file. Read-only.
 */
export async function inspectDisk(ctx: HostContext, input: string): Promise<DiskInspection> {
  const path = await confinePath(ctx, input, 'path');
  if (!DISK_FILE.test(path)) {
    throw new EngineError(
      ErrorCode.InvalidArgument,
      `'${path}' is not a virtual hard disk; give a .vhdx or .avhdx file.`,
      { field: 'path' },
    );
  }
  if (!(await ctx.store.exists(path))) {
    throw new EngineError(
      ErrorCode.NotFound,
      `The system cannot find the file '${path}' in the host's data folder.`,
      { object: 'disk', path },
    );
  }
  let info: DiskInfo & { chain: DiskInfo[] };
  try {
    info = await readDiskChain(ctx.store, path);
  } catch (error) {
    throw diskError(path, error);
  }
  const users = diskUsers(ctx);
  return { ...toDiskFileInfo(info, users), chain: info.chain.map((d) => toDiskFileInfo(d, users)) };
}

/** Every `.vhdx` and `.avhdx` file below `folder` (the whole data folder by default). */
export async function findDiskFiles(ctx: HostContext, folder = ''): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 16) return;
    for (const name of await ctx.store.list(dir)) {
      const path = dir === '' ? name : `${dir}/${name}`;
      if (name.includes('.tmp-')) continue;
      const stat = await ctx.store.stat(path).catch(() => null);
      if (stat === null) continue;
      if (stat.isDirectory) await walk(path, depth + 1);
      else if (DISK_FILE.test(name)) found.push(path);
    }
  };
  await walk(folder, 0);
  // The host's own disk folder first, then the rest by path.
  return found.sort(
    (a, b) =>
      Number(!a.startsWith(`${DISK_FOLDER}/`)) - Number(!b.startsWith(`${DISK_FOLDER}/`)) ||
      a.localeCompare(b),
  );
}

/** The disk files of the host, with their size and users (without opening them). */
export async function listDisks(ctx: HostContext): Promise<DiskFileEntry[]> {
  const users = diskUsers(ctx);
  const entries: DiskFileEntry[] = [];
  for (const path of await findDiskFiles(ctx)) {
    const stat = await ctx.store.stat(path).catch(() => null);
    entries.push({
      path,
      extension: path.toLowerCase().endsWith('.avhdx') ? 'avhdx' : 'vhdx',
      fileSizeBytes: stat?.size ?? 0,
      allocatedBytes: stat?.allocatedBytes ?? 0,
      usedBy: users.get(path.toLowerCase()) ?? [],
    });
  }
  return entries;
}
