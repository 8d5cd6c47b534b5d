/**
 * Check Host's two actions on an orphaned file (issue 17): Remove... deletes it after a question,
 * and Attach to VM... makes an orphaned disk a new hard drive of an Off VM. Hyper-V Manager has no
 * Check Host, so the captions and sentences are this console's own, in Hyper-V Manager's manner
 * (a question box with the action's name as its button, as Delete Saved State asks).
 */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { VmId } from '@hvm/engine';
import { vmsQuery } from '../../api/vms';
import { ConfirmDialog } from '../../shared/ConfirmDialog';
import { Dialog } from '../../shared/Dialog';
import { ErrorSummary } from '../../shared/ErrorSummary';
import { useSingleFlight } from '../../shared/useSingleFlight';
import { useOrphanActions } from './useOrphanActions';

export interface OrphanAction {
  kind: 'remove' | 'attach';
  path: string;
}

/** The buttons beside one orphan in the report; greyed out for anyone but an Administrator. */
export function OrphanActionButtons({
  path,
  disk,
  enabled,
  onChoose,
}: {
  path: string;
  disk: boolean;
  enabled: boolean;
  onChoose: (action: OrphanAction) => void;
}) {
  return (
    <span className="orphan-actions">
      <button
        type="button"
        disabled={!enabled}
        aria-label={`Remove ${path}...`}
        onClick={() => onChoose({ kind: 'remove', path })}
      >
        Remove...
      </button>
      {disk && (
        <button
          type="button"
          disabled={!enabled}
          aria-label={`Attach ${path} to a virtual machine...`}
          onClick={() => onChoose({ kind: 'attach', path })}
        >
          Attach to VM...
        </button>
      )}
    </span>
  );
}

/** Remove...: asks before the file is deleted; the deletion cannot be undone. */
export function RemoveOrphanedFileDialog({ path, onDone }: { path: string; onDone: () => void }) {
  const { remove } = useOrphanActions();
  return (
    <ConfirmDialog
      title="Remove Orphaned File"
      message={
        <>
          Do you want to delete <code>{path}</code>? No checkpoint and no virtual machine uses it;
          once deleted it cannot be recovered.
        </>
      }
      choices={[
        {
          caption: 'Remove',
          isDefault: true,
          onChoose: () => remove.mutateAsync(path).then(onDone),
        },
      ]}
      onCancel={onDone}
      pending={remove.isPending}
      error={remove.error}
      errorSummary="The file could not be removed."
    />
  );
}

/** Attach to VM...: the orphaned disk becomes a new hard drive of the chosen Off VM. */
export function AttachOrphanedDiskDialog({ path, onDone }: { path: string; onDone: () => void }) {
  const { attach } = useOrphanActions();
  const vms = useQuery(vmsQuery());
  const offVms = (vms.data ?? []).filter((vm) => vm.state === 'Off');
  const [chosen, setChosen] = useState<VmId | ''>('');
  const vmId: VmId | '' = chosen === '' ? (offVms[0]?.id ?? '') : chosen;
  const { busy, start } = useSingleFlight(attach.isPending);
  return (
    <Dialog
      title="Attach Orphaned Disk"
      onCancel={onDone}
      width={520}
      buttons={
        <>
          <button
            type="button"
            className="default-button"
            disabled={busy || vmId === ''}
            onClick={() => {
              if (vmId !== '') start(() => attach.mutateAsync({ vmId, path }).then(onDone));
            }}
          >
            Attach
          </button>
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        </>
      }
    >
      <p>
        Attach <code>{path}</code> as a new hard drive of a virtual machine. The virtual machine
        must be off and have no checkpoints.
      </p>
      {offVms.length === 0 ? (
        <p role="status">No virtual machine is off.</p>
      ) : (
        <label className="field">
          <span>Virtual machine:</span>
          <select value={vmId} onChange={(event) => setChosen(event.target.value as VmId)}>
            {offVms.map((vm) => (
              <option key={vm.id} value={vm.id}>
                {vm.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {attach.error !== null && (
        <ErrorSummary summary="The disk could not be attached." error={attach.error} />
      )}
    </Dialog>
  );
}
