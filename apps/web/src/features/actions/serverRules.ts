import type { VmSummary } from '@hvm/engine';
import type { VmBody } from '../../api/bodies';
import type { VmCommandId } from '../vms/vmActionRules';

/**
 * Whether the server says the VM command is enabled now (`allowedActions` of the VM's body). A VM
 * known only from an older answer without it allows nothing, as a greyed-out menu does.
 */
export function vmAllows(vm: VmSummary, command: VmCommandId): boolean {
  return (vm as Partial<VmBody>).allowedActions?.[command] ?? false;
}
