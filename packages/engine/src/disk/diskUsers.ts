import type { HostContext } from '../host/hostContext.js';
import type { DiskUser } from './diskTypes.js';

/** Every disk file the VMs' configurations know, with who uses it (keys are lower-case paths). */
export function diskUsers(ctx: HostContext): Map<string, DiskUser[]> {
  const users = new Map<string, DiskUser[]>();
  const add = (path: string, user: DiskUser): void => {
    const key = path.toLowerCase();
    const list = users.get(key) ?? [];
    list.push(user);
    users.set(key, list);
  };
  for (const vm of ctx.vms.values()) {
    const { file } = vm;
    const base = { vmId: file.id, vmName: file.name };
    const named = new Set<string>();
    for (const drive of file.drives) {
      add(drive.path, { ...base, role: 'Now', checkpointId: null, checkpointName: null });
      named.add(drive.path);
    }
    for (const node of file.checkpoints) {
      for (const disk of node.disks) {
        add(disk, {
          ...base,
          role: 'Checkpoint',
          checkpointId: node.id,
          checkpointName: node.name,
        });
        named.add(disk);
      }
    }
    for (const disk of Object.keys(file.disks)) {
      if (!named.has(disk))
        add(disk, { ...base, role: 'Chain', checkpointId: null, checkpointName: null });
    }
  }
  return users;
}
