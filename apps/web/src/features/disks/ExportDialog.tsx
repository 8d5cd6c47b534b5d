import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { CheckpointId, VmId } from '@hvm/engine';
import { checkpointsQuery } from '../../api/checkpoints';
import { diskKeys, exportVm } from '../../api/disks';
import { taskKeys } from '../../api/tasks';
import { vmsQuery } from '../../api/vms';
import { Dialog } from '../../shared/Dialog';
import { ErrorSummary } from '../../shared/ErrorSummary';
import { useUiStore } from '../../stores/uiStore';
import { useSingleFlight } from '../../shared/useSingleFlight';

export const DEFAULT_EXPORT_FOLDER = 'Exports';

/**
 * Export Virtual Machine: the folder the checkpoint (or the VM) is exported to, relative to the
 * host's data folder. The export goes on as a task; its progress shows in the Status column.
 */
export function ExportDialog({
  vmId,
  checkpointId,
}: {
  vmId: VmId;
  checkpointId: CheckpointId | null;
}) {
  const close = useUiStore((s) => s.closeDialog);
  const queryClient = useQueryClient();
  const { data: vms } = useQuery(vmsQuery());
  const { data: tree } = useQuery(checkpointsQuery(vmId));
  const vmName = vms?.find((v) => v.id === vmId)?.name ?? 'the virtual machine';
  const checkpointName = tree?.checkpoints.find((c) => c.id === checkpointId)?.name;
  const [path, setPath] = useState(DEFAULT_EXPORT_FOLDER);
  const [problem, setProblem] = useState<string | null>(null);
  const run = useMutation({
    mutationFn: (folder: string) => exportVm(vmId, checkpointId, folder),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: taskKeys.all }),
        queryClient.invalidateQueries({ queryKey: diskKeys.all }),
      ]),
  });
  const flight = useSingleFlight(run.isPending);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (path.trim() === '') {
      setProblem('Specify the folder to export to.');
      return;
    }
    setProblem(null);
    flight.start(() => run.mutateAsync(path.trim()).then(close));
  };

  return (
    <Dialog
      title="Export Virtual Machine"
      onCancel={close}
      width={480}
      buttons={
        <>
          <button
            type="submit"
            form="export-form"
            className="default-button"
            disabled={flight.busy}
          >
            Export
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </>
      }
    >
      <form id="export-form" className="form" onSubmit={submit}>
        <p>
          {checkpointName === undefined ? (
            <>
              Export{' '}
              <q>
                <bdi>{vmName}</bdi>
              </q>{' '}
              as it is now, with its checkpoints, disks and saved state.
            </>
          ) : (
            <>
              Export checkpoint{' '}
              <q>
                <bdi>{checkpointName}</bdi>
              </q>{' '}
              of{' '}
              <q>
                <bdi>{vmName}</bdi>
              </q>{' '}
              as a virtual machine.
            </>
          )}{' '}
          The files go into a folder named after the virtual machine.
        </p>
        <label className="field">
          <span>
            Specify where you want to save the files (relative to the host&apos;s data folder):
          </span>
          <input
            data-autofocus
            value={path}
            onChange={(e) => setPath(e.target.value)}
            aria-label="Export location"
          />
        </label>
        {problem !== null && (
          <p role="alert" className="error-text">
            {problem}
          </p>
        )}
        <ErrorSummary summary="The virtual machine could not be exported." error={run.error} />
      </form>
    </Dialog>
  );
}
