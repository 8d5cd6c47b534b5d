import { useState } from 'react';
import { Dialog } from '../../shared/Dialog';
import { ErrorSummary } from '../../shared/ErrorSummary';
import { useUiStore } from '../../stores/uiStore';
import { useCreateVm } from './useVmMutations';

/** New > Virtual Machine...: name, generation and startup memory on one page. */
export function NewVmDialog() {
  const close = useUiStore((s) => s.closeDialog);
  const selectVm = useUiStore((s) => s.selectVm);
  const create = useCreateVm();
  const [name, setName] = useState('New Virtual Machine');
  const [generation, setGeneration] = useState<1 | 2>(2);
  const [memory, setMemory] = useState('1024');
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const memoryMB = Number(memory);
    if (name.trim() === '' || [...name].length > 100) {
      setProblem('The name must be 1 to 100 characters long.');
      return;
    }
    if (!Number.isInteger(memoryMB) || memoryMB < 32) {
      setProblem('Startup memory must be a whole number of megabytes, at least 32 MB.');
      return;
    }
    setProblem(null);
    create.mutate(
      { name, generation, memoryStartupMB: memoryMB },
      {
        onSuccess: (vm) => {
          selectVm(vm.id);
          close();
        },
      },
    );
  };

  return (
    <Dialog
      title="New Virtual Machine Wizard"
      onCancel={close}
      width={480}
      buttons={
        <>
          <button
            type="submit"
            form="new-vm-form"
            className="default-button"
            disabled={create.isPending}
          >
            Finish
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </>
      }
    >
      <form id="new-vm-form" className="form" onSubmit={submit}>
        <label className="field">
          <span>Name:</span>
          <input
            type="text"
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-autofocus
          />
        </label>
        <fieldset className="field-group">
          <legend>Generation</legend>
          <label className="check">
            <input
              type="radio"
              name="generation"
              checked={generation === 1}
              onChange={() => setGeneration(1)}
            />
            Generation 1
          </label>
          <label className="check">
            <input
              type="radio"
              name="generation"
              checked={generation === 2}
              onChange={() => setGeneration(2)}
            />
            Generation 2
          </label>
        </fieldset>
        <label className="field">
          <span>Startup memory (MB):</span>
          <input
            type="number"
            min={32}
            step={1}
            value={memory}
            onChange={(e) => setMemory(e.target.value)}
          />
        </label>
        {problem && (
          <p role="alert" className="error-text">
            {problem}
          </p>
        )}
        <ErrorSummary summary="The virtual machine could not be created." error={create.error} />
      </form>
    </Dialog>
  );
}
