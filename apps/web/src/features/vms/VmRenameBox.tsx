import { useId, useState } from 'react';
import type { VmSummary } from '@hvm/engine';
import { errorMessage } from '../../api/client';
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

/** In-place Rename in the Virtual Machines list: Enter commits, Esc cancels. */
export function VmRenameBox({ vm }: { vm: VmSummary }) {
  const [value, setValue] = useState(vm.name);
  const [problem, setProblem] = useState<string | null>(null);
  const endVmRename = useUiStore((s) => s.endVmRename);
  const update = useUpdateVm();
  const errorId = useId();

  const finish = () => {
    endVmRename();
    // Give the keyboard back to the row.
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>(`[data-vm-row="${CSS.escape(vm.id)}"]`)?.focus(),
    );
  };

  const commit = () => {
    if (update.isPending) return;
    if (value === vm.name) {
      finish();
      return;
    }
    const invalid = validateVmName(value);
    if (invalid) {
      setProblem(invalid);
      return;
    }
    setProblem(null);
    update.mutate(
      { vmId: vm.id, update: { name: value } },
      {
        onSuccess: finish,
        onError: (error) =>
          setProblem(`The virtual machine could not be renamed. ${errorMessage(error)}`),
      },
    );
  };

  return (
    <span className="rename-box" onClick={(e) => e.stopPropagation()}>
      <input
        type="text"
        aria-label="Virtual machine name"
        aria-invalid={problem !== null}
        aria-describedby={problem ? errorId : undefined}
        value={value}
        autoFocus
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => {
          setValue(e.target.value);
          setProblem(null);
        }}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            finish();
          }
        }}
      />
      {problem && (
        <span id={errorId} role="alert" className="rename-error">
          {problem}
        </span>
      )}
    </span>
  );
}
