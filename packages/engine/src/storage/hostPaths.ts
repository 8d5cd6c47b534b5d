/**
 * Full paths on this host. Hyper-V shows every folder and file by its full path: Get-VM's `Path`,
 * `ConfigurationLocation` and `SnapshotFileLocation`, Get-VMHardDiskDrive's and Get-VHD's `Path`
 * and `ParentPath`, Get-VMHost's `VirtualHardDiskPath` (the Get-VM, Get-VHD and Get-VMHost
 * references show them as `C:\ProgramData\Microsoft\Windows\Hyper-V\...`). The host keeps its
 * records relative to its data folder (so the folder can move); the views the `Host` hands out
 * put the data folder in front. Inputs take either form: `confinePath` (storageRoots.ts) turns a
 * full path inside the data folder back into the relative one.
 *
 * Who sees them: the host's owner. The server hands non-Administrators the relative form (its
 * `withoutHostPaths`), so no host path reaches them.
 */

import type { Host } from '../host/host.js';
import type { Checkpoint, CheckpointTree, HostInfo, VmSummary } from '../types.js';

/** Fields of the host's views that hold one path relative to the data folder. */
const PATH_FIELDS = new Set([
  'path',
  'parentPath',
  'snapshotFileLocation',
  'configurationLocation',
  'virtualHardDiskPath',
  'virtualMachinePath',
]);
/** Fields that hold a list of such paths (a drive's chain, a checkpoint's frozen disks). */
const PATH_LIST_FIELDS = new Set(['chain', 'hardDrives']);

/** The data folder as paths are written under it: `/` separators, no trailing one. */
function rootOf(dataLocation: string): string | null {
  if (dataLocation === ':memory:' || dataLocation === '') return null;
  return dataLocation.replace(/\\/g, '/').replace(/\/+$/, '');
}

/**
 * `relative` (to the data folder) as a full path on this host; a host on memory (":memory:") has
 * no folder on this machine, and its paths stay relative.
 */
export function fullPath(dataLocation: string, relative: string): string {
  const root = rootOf(dataLocation);
  if (root === null || relative.startsWith('/') || /^[a-zA-Z]:/.test(relative)) return relative;
  const inside = relative.replace(/^\.\/?/, '').replace(/^\/+/, '');
  return inside === '' ? root : `${root}/${inside}`;
}

/** A view (plain JSON: objects, arrays, strings, numbers) with its path fields made full. */
export function withFullPaths<T>(value: T, dataLocation: string): T {
  if (rootOf(dataLocation) === null) return value;
  const full = (path: string) => fullPath(dataLocation, path);
  const walk = (item: unknown): unknown => {
    if (Array.isArray(item)) return item.map(walk);
    if (item === null || typeof item !== 'object' || ArrayBuffer.isView(item)) return item;
    if (Object.getPrototypeOf(item) !== Object.prototype) return item;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(item)) {
      if (typeof field === 'string' && PATH_FIELDS.has(key)) out[key] = full(field);
      else if (Array.isArray(field) && PATH_LIST_FIELDS.has(key))
        out[key] = field.map((entry) => (typeof entry === 'string' ? full(entry) : walk(entry)));
      else out[key] = walk(field);
    }
    return out;
  };
  return walk(value) as T;
}

type Full = (path: string) => string;

/** A checkpoint of a tree (the settings, with their many paths, come with getCheckpoint alone). */
const checkpointView = (c: Checkpoint, full: Full, dataLocation: string): Checkpoint =>
  c.settings === undefined
    ? { ...c, hardDrives: c.hardDrives.map(full) }
    : withFullPaths(c, dataLocation);
const summaryView = <T extends VmSummary>(vm: T, full: Full): T => ({
  ...vm,
  snapshotFileLocation: full(vm.snapshotFileLocation),
});

/**
 * The views the host hands out most, mapped field by field: the VM list, a VM's checkpoint tree and
 * the host's settings are read on every refresh of every client and for each VM of a pipeline
 * (`Get-VM | Get-VMSnapshot` on thousands of VMs with deep chains), where walking every field of
 * every result costs more than the method itself. Each gives what `withFullPaths` would (its test
 * says so). A VM's details and one checkpoint's settings, with paths in many places (drives, boot
 * order), keep the walk.
 */
const views: Partial<
  Record<keyof Host, (result: never, full: Full, dataLocation: string) => unknown>
> = {
  listVms: (vms: VmSummary[], full) => vms.map((vm) => summaryView(vm, full)),
  getVmSummary: (vm: VmSummary, full) => summaryView(vm, full),
  findVmsByName: (vms: VmSummary[], full) => vms.map((vm) => summaryView(vm, full)),
  listCheckpoints: (tree: CheckpointTree, full, dataLocation): CheckpointTree => ({
    ...tree,
    checkpoints: tree.checkpoints.map((c) => checkpointView(c, full, dataLocation)),
  }),
  info: (info: HostInfo, full): HostInfo => ({
    ...info,
    ...(info.virtualHardDiskPath === undefined
      ? {}
      : { virtualHardDiskPath: full(info.virtualHardDiskPath) }),
    ...(info.virtualMachinePath === undefined
      ? {}
      : { virtualMachinePath: full(info.virtualMachinePath) }),
  }),
};

/** `result` of the host method `name` in full paths: by its view's mapping, else by a walk. */
export function resultWithFullPaths(name: string, result: unknown, dataLocation: string): unknown {
  if (rootOf(dataLocation) === null) return result;
  const view = views[name as keyof Host] as
    ((r: unknown, full: Full, dataLocation: string) => unknown) | undefined;
  if (view === undefined) return withFullPaths(result, dataLocation);
  return view(result, (path) => fullPath(dataLocation, path), dataLocation);
}

/**
 * The host's methods with their results and events in full paths (see above). Every method's
 * result goes through `resultWithFullPaths`; `subscribe` hands listeners events in full paths, each
 * event converted once and the same object handed to every listener (the server formats an event
 * once for all its live-update streams, keyed by the object).
 */
export function hostWithFullPaths<T extends object>(target: T, dataLocation: string): T {
  if (rootOf(dataLocation) === null) return target;
  const converted = new WeakMap<object, unknown>();
  const eventWithFullPaths = (event: unknown): unknown => {
    if (event === null || typeof event !== 'object') return withFullPaths(event, dataLocation);
    let full = converted.get(event);
    if (full === undefined) {
      full = withFullPaths(event, dataLocation);
      converted.set(event, full);
    }
    return full;
  };
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(target)) {
    if (typeof value !== 'function') {
      wrapped[name] = value;
      continue;
    }
    const method = value as (...args: unknown[]) => unknown;
    wrapped[name] =
      name === 'subscribe'
        ? (listener: (event: unknown) => void): unknown =>
            method.call(target, (event: unknown) => {
              listener(eventWithFullPaths(event));
            })
        : (...args: unknown[]): unknown => {
            const result = method.apply(target, args);
            return result instanceof Promise
              ? result.then((resolved: unknown) =>
                  resultWithFullPaths(name, resolved, dataLocation),
                )
              : resultWithFullPaths(name, result, dataLocation);
          };
  }
  return wrapped as T;
}
