import type { VmSummary } from '@hvm/engine';
import { InlineRenameBox } from '../../shared/InlineRenameBox';
import { useUiStore } from '../../stores/uiStore';
import { useUpdateVm } from './useVmMutations';

export const MAX_VM_NAME_LENGTH = 100;

/** Hyper-V's rule for a VM name: not empty, at most 100 characters. Returns the problem, or null. */
export function validateVmName(name: string): string | null {
  if (name.trim().length === 0) return 'The virtual machine name cannot be empty.';
  if ([...name].length > MAX_VM_NAME_LENGTH) {
    return `The virtual machine name cannot be longer than ${MAX_VM_NAME_LENGTH} characters.`;
  }
  return null;
}

/**
 * In-place Rename in the Virtual Machines list: Enter commits, Esc cancels (and the row gets the
 * keyboard back, InlineRenameBox), a click elsewhere commits.
 */
export function VmRenameBox({ vm }: { vm: VmSummary }) {
  const endVmRename = useUiStore((s) => s.endVmRename);
  const update = useUpdateVm();

  return (
    <InlineRenameBox
      name={vm.name}
      label="Virtual machine name"
      validate={validateVmName}
      pending={update.isPending}
      rename={(name, callbacks) => update.mutate({ vmId: vm.id, update: { name } }, callbacks)}
      failure="The virtual machine could not be renamed."
      onDone={endVmRename}
    />
  );
}
