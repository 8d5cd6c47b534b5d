/**
 * The disk choice of New Virtual Machine, as Hyper-V Manager's wizard ("Connect Virtual Hard
 * Disk": create a virtual hard disk / use an existing virtual hard disk / attach a virtual hard
 * disk later) and New-VM's parameter sets ("New VHD": -NewVHDPath -NewVHDSizeBytes; "Existing
 * VHD": -VHDPath; "No VHD": -NoVHD; Microsoft's New-VM reference) offer it.
 *
 * An existing disk is only ever read here: its chain is opened read-only by the disk library
 * (`inspectDisk`), so a damaged file, or a differencing disk whose parent is missing, is refused
 * before the VM exists, and the file is left exactly as it was.
 */
import { EngineError, ErrorCode, invalidArgument } from '../errors.js';
import type { HostContext } from '../host/hostContext.js';
import { VM_FOLDER, safeFileName } from '../persistence/layout.js';
import { newVmDiskFolder } from '../settings/hostSettings.js';
import { confinePath, isUnder } from '../storage/storageRoots.js';
import { inspectDisk } from '../disk/inspectDisk.js';
import { disksInUse, inUse } from '../disk/virtualHardDisks.js';
import type { CreateVmInput } from '../types.js';
import { forbiddenNameCharacter, forbiddenNameCharacterMessage } from '../names/nameRule.js';

/** 127 GB, the size Hyper-V Manager's New Virtual Machine wizard offers. */
export const DEFAULT_DISK_SIZE_BYTES = 136_365_211_648;

export type NewVmDisk =
  | { kind: 'new'; path: string; sizeBytes: number }
  | {
      kind: 'existing';
      path: string;
      sizeBytes: number;
      /** The disk first, then its parents: the VM's disk registry. */
      chain: { path: string; parent: string | null }[];
    }
  | { kind: 'none' };

export function validateDiskSize(raw: unknown, field = 'diskSizeBytes'): number {
  if (
    typeof raw !== 'number' ||
    !Number.isSafeInteger(raw) ||
    raw < 3 * 1024 * 1024 ||
    raw % 512 !== 0 ||
    raw > 64 * 1024 ** 4
  ) {
    throw invalidArgument(
      field,
      'The disk size must be a multiple of 512 bytes between 3 MB and 64 TB.',
    );
  }
  return raw;
}

/** Which of the three choices the input makes; two at once are refused. */
function choiceOf(input: CreateVmInput): 'new' | 'existing' | 'none' {
  const existing = input.vhdPath !== undefined;
  const none = input.noVhd === true;
  const newDisk =
    input.newVhdPath !== undefined ||
    input.diskSizeBytes !== undefined ||
    (input.guestImage !== undefined && input.guestImage !== null);
  if (Number(existing) + Number(none) + Number(newDisk) > 1) {
    // Our wording: New-VM's parameter sets make these exclusive ("Parameter set cannot be
    // resolved" in PowerShell); the REST body says which fields clash.
    throw invalidArgument(
      existing ? 'vhdPath' : 'noVhd',
      'Choose one disk: a new virtual hard disk (newVhdPath, diskSizeBytes, guestImage), an existing one (vhdPath), or none (noVhd).',
    );
  }
  if (existing) return 'existing';
  return none ? 'none' : 'new';
}

async function freeDiskPath(ctx: HostContext, name: string): Promise<string> {
  const base = safeFileName(name);
  const folder = newVmDiskFolder(ctx);
  const used = disksInUse(ctx);
  for (let n = 1; ; n += 1) {
    const file = `${n === 1 ? base : `${base}_${n}`}.vhdx`;
    const path = folder === '' ? file : `${folder}/${file}`;
    if (!used.has(path.toLowerCase()) && !(await ctx.store.exists(path))) return path;
  }
}

/**
 * A new disk's path given by the user: inside the storage roots, a `.vhdx`, not in the
 * configuration folder, and no file there yet. Hyper-V refuses to overwrite an existing file
 * with "The file exists. (0x80070050)" (Windows' ERROR_FILE_EXISTS, as New-VHD reports it).
 */
async function newDiskPath(ctx: HostContext, input: string): Promise<string> {
  const path = await confinePath(ctx, input, 'newVhdPath');
  // A new file's name follows the name rule: no control or invisible characters (names/nameRule.ts).
  const hidden = forbiddenNameCharacter(path);
  if (hidden !== null) {
    throw invalidArgument(
      'newVhdPath',
      forbiddenNameCharacterMessage('virtual hard disk file', hidden),
    );
  }
  if (!/\.vhdx$/i.test(path)) {
    throw invalidArgument(
      'newVhdPath',
      `'${input}' is not a VHDX file name: this host creates virtual hard disks in the VHDX format (.vhdx).`,
    );
  }
  if (isUnder(path, VM_FOLDER)) {
    throw invalidArgument(
      'newVhdPath',
      `The path '${input}' is inside the host's '${VM_FOLDER}' folder.`,
    );
  }
  if ((await ctx.store.exists(path)) || disksInUse(ctx).has(path.toLowerCase())) {
    throw new EngineError(ErrorCode.NameConflict, 'The file exists. (0x80070050)', {
      field: 'newVhdPath',
      path,
      reason: 'exists',
    });
  }
  return path;
}

/**
 * An existing disk a VM may use: inside the storage roots (`inspectDisk` confines the path and
 * refuses others with "outside the storage locations"), a readable `.vhdx`/`.avhdx` whose whole
 * chain opens, and no file of that chain used by a VM or a checkpoint. Hyper-V holds the disks of
 * its VMs open, so a second user gets Windows' sharing violation, "The process cannot access the
 * file because it is being used by another process. (0x80070020)" (as Hyper-V reports it for a
 * held `.avhdx`: blog.saltdata.ro/veeam-hyperv-orphan-avhdx-kernel-lock).
 */
export async function existingDisk(
  ctx: HostContext,
  input: string,
): Promise<Extract<NewVmDisk, { kind: 'existing' }>> {
  const disk = await inspectDisk(ctx, input);
  if (isUnder(disk.path, VM_FOLDER)) {
    throw invalidArgument(
      'vhdPath',
      `The path '${input}' is inside the host's '${VM_FOLDER}' folder.`,
    );
  }
  assertChainFree(ctx, disk.chain);
  return {
    kind: 'existing',
    path: disk.path,
    sizeBytes: disk.virtualSizeBytes,
    chain: disk.chain.map((d) => ({ path: d.path, parent: d.parentPath })),
  };
}

/** Refuses the chain when a VM uses any file of it (call right before taking it, with no await between). */
export function assertChainFree(ctx: HostContext, chain: readonly { path: string }[]): void {
  const used = disksInUse(ctx);
  for (const d of chain) if (used.has(d.path.toLowerCase())) throw inUse(d.path);
}

/** Works out the new VM's disk from the input; nothing is written. */
export async function newVmDisk(
  ctx: HostContext,
  input: CreateVmInput,
  name: string,
): Promise<NewVmDisk> {
  switch (choiceOf(input)) {
    case 'none':
      return { kind: 'none' };
    case 'existing':
      return existingDisk(ctx, input.vhdPath ?? '');
    case 'new': {
      const sizeBytes = validateDiskSize(input.diskSizeBytes ?? DEFAULT_DISK_SIZE_BYTES);
      const path =
        input.newVhdPath === undefined
          ? await freeDiskPath(ctx, name)
          : await newDiskPath(ctx, input.newVhdPath);
      return { kind: 'new', path, sizeBytes };
    }
  }
}
