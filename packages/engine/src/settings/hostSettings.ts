/**
 * The host's own settings (Hyper-V Settings → Virtual Hard Disks and Virtual Machines, Set-VMHost):
 * the default folders for new virtual hard disks and new VMs. Both lie in the data folder (the one
 * storage location of this host); they are written atomically to `host-settings.json` there, so a
 * crash leaves the old settings or the new ones, and a host without the file has Hyper-V's layout:
 * `Virtual Hard Disks` for disks, the data folder itself for VMs.
 */
import { invalidArgument } from '../errors.js';
import type { HostContext } from '../host/hostContext.js';
import {
  DEFAULT_SNAPSHOT_FOLDER,
  DISK_FOLDER,
  VM_FOLDER,
  isWriteLeftover,
} from '../persistence/layout.js';
import { fullPath } from '../storage/hostPaths.js';
import { confinePath, isUnder } from '../storage/storageRoots.js';
import type { HostSettingsUpdate } from '../types.js';

export const HOST_SETTINGS_PATH = 'host-settings.json';

/** Paths relative to the data folder; `''` is the data folder itself. */
export interface HostSettings {
  /** Where New-VM puts a new VM's `.vhdx` (Get-VMHost's VirtualHardDiskPath). */
  virtualHardDiskPath: string;
  /**
   * Get-VMHost's VirtualMachinePath: a new VM's checkpoint files go to its `Snapshots` folder. VM
   * configurations themselves always live in the host's `Virtual Machines` folder, where the
   * host finds them when it opens.
   */
  virtualMachinePath: string;
}

const DEFAULTS: HostSettings = { virtualHardDiskPath: DISK_FOLDER, virtualMachinePath: '' };

const settingsOfHost = new WeakMap<HostContext, HostSettings>();

export function hostSettingsOf(ctx: HostContext): HostSettings {
  return settingsOfHost.get(ctx) ?? DEFAULTS;
}

/**
 * Reads `host-settings.json`; a missing or unreadable file means the defaults (and is logged). The
 * temporary copy of a write a crash cut short is removed: the file holds the old settings.
 */
export async function loadHostSettings(ctx: HostContext): Promise<void> {
  for (const name of await ctx.store.list(''))
    if (isWriteLeftover(name, HOST_SETTINGS_PATH)) await ctx.store.unlink(name);
  if (!(await ctx.store.exists(HOST_SETTINGS_PATH))) return;
  try {
    const raw = JSON.parse(
      new TextDecoder().decode(await ctx.store.readFile(HOST_SETTINGS_PATH)),
    ) as Partial<HostSettings>;
    settingsOfHost.set(ctx, {
      virtualHardDiskPath:
        typeof raw.virtualHardDiskPath === 'string'
          ? raw.virtualHardDiskPath
          : DEFAULTS.virtualHardDiskPath,
      virtualMachinePath:
        typeof raw.virtualMachinePath === 'string'
          ? raw.virtualMachinePath
          : DEFAULTS.virtualMachinePath,
    });
  } catch (error) {
    ctx.logError(`The host settings in '${HOST_SETTINGS_PATH}' could not be read.`, error);
  }
}

/** A folder a user gives: inside the data folder (`.` is the data folder itself), never `Virtual Machines`. */
async function folderSetting(ctx: HostContext, input: unknown, field: string): Promise<string> {
  if (typeof input === 'string' && /^\s*\.[\\/]?\s*$/.test(input)) return '';
  // The data folder by its full path, as the host shows it (storage/hostPaths.ts), is the same.
  if (typeof input === 'string' && isDataFolder(ctx.dataLocation, input)) return '';
  const folder = await confinePath(ctx, input, field);
  if (isUnder(folder, VM_FOLDER)) {
    throw invalidArgument(
      field,
      `The path '${String(input)}' is inside the host's '${VM_FOLDER}' folder.`,
    );
  }
  return folder;
}

/** `input` names the data folder itself by its full path (with or without a trailing separator). */
function isDataFolder(dataLocation: string, input: string): boolean {
  const root = fullPath(dataLocation, '');
  if (root === '') return false;
  return input.trim().replace(/\\/g, '/').replace(/\/+$/, '') === root;
}

/** Set-VMHost: checks both folders, creates them, then writes the settings atomically. */
export async function updateHostSettings(
  ctx: HostContext,
  update: HostSettingsUpdate,
): Promise<HostSettings> {
  const next = { ...hostSettingsOf(ctx) };
  if (update.virtualHardDiskPath !== undefined)
    next.virtualHardDiskPath = await folderSetting(
      ctx,
      update.virtualHardDiskPath,
      'virtualHardDiskPath',
    );
  if (update.virtualMachinePath !== undefined)
    next.virtualMachinePath = await folderSetting(
      ctx,
      update.virtualMachinePath,
      'virtualMachinePath',
    );
  for (const folder of [next.virtualHardDiskPath, next.virtualMachinePath])
    if (folder !== '') await ctx.store.mkdirp(folder);
  const text = `${JSON.stringify(next, null, 2)}\n`;
  await ctx.store.writeFileAtomic(HOST_SETTINGS_PATH, new TextEncoder().encode(text));
  settingsOfHost.set(ctx, next);
  return next;
}

/** The Checkpoint File Location a new VM gets: `Snapshots` under the VM path. */
export function newVmSnapshotFolder(ctx: HostContext): string {
  const base = hostSettingsOf(ctx).virtualMachinePath;
  return base === '' ? DEFAULT_SNAPSHOT_FOLDER : `${base}/${DEFAULT_SNAPSHOT_FOLDER}`;
}

/** The folder a new VM's `.vhdx` goes to. */
export function newVmDiskFolder(ctx: HostContext): string {
  return hostSettingsOf(ctx).virtualHardDiskPath;
}
