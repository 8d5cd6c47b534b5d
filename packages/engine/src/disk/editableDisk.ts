/**
 * Which disk files may be edited (Edit Disk's Compact and Expand, Optimize-VHD, Resize-VHD,
 * Convert-VHD's source), as Hyper-V has it:
 *
 * - A disk a VM has open is refused: a VM that is not Off (Running, Saved, Paused or between
 *   states) holds its disks, and Windows refuses the file to others with its sharing violation
 *   (ERROR_SHARING_VIOLATION, 0x80070020). Optimize-VHD: "the virtual hard disk must not be
 *   attached"; Convert-VHD: "Conversion is an offline operation; the virtual hard disk must not be
 *   attached when the operation is started" (Microsoft's references).
 * - A disk of a VM that has checkpoints is refused, and so is any file of a checkpoint's chain:
 *   "While a checkpoint exists, 'Edit Disk' for the VM's disk is greyed out" (behaviour spec §5,
 *   S39); editing a parent invalidates its differencing disks (Microsoft's ExpandVirtualDisk
 *   reference). The sentence of that refusal is ours: Hyper-V Manager greys the command out.
 * - The disk of an Off VM without checkpoints may be edited (Hyper-V offers Edit in the VM's
 *   Settings then); the VM is held for the time of the edit, so it cannot start meanwhile.
 * - Disks of a merge that is running or waits to resume are refused as in use.
 */
import { EngineError, ErrorCode } from '../errors.js';
import { withVmOperation, type HostContext, type VmRuntime } from '../host/hostContext.js';
import { diskUsers } from './diskUsers.js';
import { disksInUse, inUse } from './virtualHardDisks.js';

/** The VM hold's label while one of its disks is edited (what "operation in progress" names). */
const EDIT_DISK_LABEL = 'Edit disk';

/** Our words (see above): Hyper-V Manager greys Edit Disk out instead of saying why. */
function partOfCheckpoints(path: string, vmName: string): EngineError {
  return new EngineError(
    ErrorCode.InvalidState,
    `The virtual hard disk '${path}' cannot be edited: the virtual machine '${vmName}' has checkpoints, and editing a disk of its checkpoint chain would break them.`,
    { path, reason: 'has-checkpoints' },
  );
}

/** The VMs whose disk `path` is (Off, without checkpoints), or the refusal. */
export function vmsToHoldForEdit(ctx: HostContext, path: string): VmRuntime[] {
  const key = path.toLowerCase();
  const users = diskUsers(ctx).get(key) ?? [];
  if (users.length === 0) {
    // No VM lists it, yet a merge (or a VM being deleted) still works on it.
    if (disksInUse(ctx).has(key)) throw inUse(path);
    return [];
  }
  const vms: VmRuntime[] = [];
  for (const user of users) {
    const vm = ctx.vms.get(user.vmId);
    if (vm === undefined) throw inUse(path);
    if (vm.state !== 'Off' || vm.mergeTask !== null || vm.file.merge !== null) throw inUse(path);
    if (user.role !== 'Now' || vm.file.checkpoints.length > 0)
      throw partOfCheckpoints(path, vm.file.name);
    if (!vms.includes(vm)) vms.push(vm);
  }
  return vms;
}

/** Runs `fn` with the disk's VMs (if any) held, after checking that the disk may be edited. */
export async function withEditableDisk<T>(
  ctx: HostContext,
  path: string,
  fn: () => Promise<T>,
): Promise<T> {
  const hold = async (vms: VmRuntime[]): Promise<T> => {
    const [first, ...rest] = vms;
    if (first === undefined) return fn();
    return withVmOperation(ctx, first, EDIT_DISK_LABEL, () => hold(rest));
  };
  return hold(vmsToHoldForEdit(ctx, path));
}
