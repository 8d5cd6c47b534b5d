import { RequiredPermission } from '@hvm/engine';

/**
 * The roles of Hyper-V Manager, after Windows Admin Center's: Administrator (everything),
 * Checkpoint Operator (read and manage the checkpoints of the VMs granted to the account) and
 * Reader (read-only everything).
 */
export const Role = {
  Administrator: 'administrator',
  CheckpointOperator: 'checkpoint-operator',
  Reader: 'reader',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

export const roles: readonly Role[] = Object.values(Role);

export const roleDisplayName: Record<Role, string> = {
  [Role.Administrator]: 'Administrator',
  [Role.CheckpointOperator]: 'Checkpoint Operator',
  [Role.Reader]: 'Reader',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

/**
 * What an operation needs: the engine's required permissions (read, readHost, manageCheckpoints,
 * manageHost; see its operation catalogue), and `runPowerShell`: the PowerShell console.
 */
export const Permission = {
  ...RequiredPermission,
  RunPowerShell: 'runPowerShell',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];

const permissionsByRole: Record<Role, ReadonlySet<Permission>> = {
  [Role.Administrator]: new Set(Object.values(Permission)),
  [Role.CheckpointOperator]: new Set([Permission.Read, Permission.ManageCheckpoints]),
  [Role.Reader]: new Set([Permission.Read, Permission.ReadHost]),
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return permissionsByRole[role].has(permission);
}

/** Whether the role sees only the VMs granted to the account. */
export function roleIsScopedToGrantedVms(role: Role): boolean {
  return role === Role.CheckpointOperator;
}
