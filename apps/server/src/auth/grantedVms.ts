/**
 * What a Checkpoint Operator sees: only the VMs granted to its account. A grant names a VM by
 * its name or its id, compared as the engine compares names (NFKC, then case-insensitive). `scopedHost` wraps the host so that lists, tasks, events
 * and the VM count leave the other VMs out and every operation on one of them fails exactly as
 * for a VM that does not exist.
 */
import { EngineError, ErrorCode, OPERATIONS, sameName, vmNotFound } from '@hvm/engine';
import type {
  Host,
  HostEvent,
  OperationName,
  OperationScope,
  Task,
  VmId,
  VmSummary,
} from '@hvm/engine';

/** A grant names a VM as Get-VM -Name does: `sameName` (NFKC, then case), for names and ids alike. */
const same = sameName;

export function isGranted(grants: readonly string[], vm: Pick<VmSummary, 'id' | 'name'>): boolean {
  return grants.some((grant) => same(grant, vm.id) || same(grant, vm.name));
}

/** Whether the VM of this id exists and is granted. */
export function isGrantedVmId(host: Host, grants: readonly string[], vmId: string): boolean {
  return host.listVms().some((vm) => same(vm.id, vmId) && isGranted(grants, vm));
}

function taskNotFound(taskId: string): EngineError {
  return new EngineError(ErrorCode.NotFound, `Unable to find a task with ID '${taskId}'.`, {
    object: 'task',
    id: taskId,
  });
}

/** Host methods whose first argument is a VM id, and those that are the same whatever the user sees: from the catalogue. */
const operationsOf = (scope: OperationScope): Set<keyof Host> =>
  new Set(
    (Object.keys(OPERATIONS) as OperationName[]).filter((name) => OPERATIONS[name].scope === scope),
  );
const vmMethods = operationsOf('vm');
const sharedMethods = operationsOf('shared');

/**
 * The host as a user granted only `grants` sees it. Host-wide operations that could reveal or
 * touch other VMs (disk files, Check Host, New VM, PowerShell) are refused by the route table
 * before they get here; should one get here anyway, it fails as not found.
 */
export function scopedHost(host: Host, grants: readonly string[]): Host {
  const granted = (vmId: string): boolean => isGrantedVmId(host, grants, vmId);
  // A host task on a disk of no VM is none of a VM-scoped user's business.
  const visibleTask = (task: Task): boolean => task.vmId !== null && granted(task.vmId);
  const overrides: Partial<Host> = {
    info: () => ({
      ...host.info(),
      vmCount: host.listVms().filter((vm) => isGranted(grants, vm)).length,
    }),
    listVms: () => host.listVms().filter((vm) => isGranted(grants, vm)),
    findVmsByName: (name) => host.findVmsByName(name).filter((vm) => isGranted(grants, vm)),
    listTasks: () => host.listTasks().filter(visibleTask),
    getTask: (taskId) => {
      const task = host.getTask(taskId);
      if (!visibleTask(task)) throw taskNotFound(taskId);
      return task;
    },
    subscribe: (listener) => {
      const shown = new Set<VmId>(
        host
          .listVms()
          .filter((vm) => isGranted(grants, vm))
          .map((vm) => vm.id),
      );
      return host.subscribe((event: HostEvent) => {
        const vmId = eventVmId(event);
        // Host-wide events say nothing a user seeing only some VMs may know.
        if (vmId === null) return;
        if (event.type === 'vm-removed') {
          if (shown.delete(vmId)) listener(event);
          return;
        }
        if (event.type === 'vm-changed' ? isGranted(grants, event.vm) : granted(vmId)) {
          shown.add(vmId);
          listener(event);
        } else if (event.type === 'vm-changed' && shown.delete(vmId)) {
          // Renamed out of the grants: gone from this user's view.
          listener({ type: 'vm-removed', vmId });
        }
      });
    },
    close: () => Promise.resolve(),
  };
  return new Proxy(host, {
    get(target, property, receiver) {
      const name = property as keyof Host;
      if (name in overrides) return overrides[name];
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (sharedMethods.has(name)) return (value as (...args: unknown[]) => unknown).bind(target);
      if (vmMethods.has(name)) {
        return (vmId: string, ...rest: unknown[]): unknown => {
          if (!granted(vmId)) throw vmNotFound(vmId);
          return (value as (...args: unknown[]) => unknown).call(target, vmId, ...rest);
        };
      }
      return (): never => {
        throw new EngineError(ErrorCode.NotFound, 'Unable to find the requested object.', {});
      };
    },
  });
}

/** The VM an event is about (a VM, its checkpoints, its task or its log entry); null for host-wide events. */
function eventVmId(event: HostEvent): VmId | null {
  const shape = event as unknown as {
    vm?: { id?: unknown };
    task?: { vmId?: unknown };
    entry?: { vmId?: unknown };
    vmId?: unknown;
  };
  const id = shape.vm?.id ?? shape.task?.vmId ?? shape.entry?.vmId ?? shape.vmId;
  return typeof id === 'string' ? (id as VmId) : null;
}
