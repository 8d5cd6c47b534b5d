import { useState } from 'react';
import { Dialog } from '../../shared/Dialog';
import { VM_COLUMNS, type VmColumnId } from '../vms/vmColumns';
import { FIXED_COLUMN, useViewSettings } from './viewSettings';

/**
 * View > Add/Remove Columns...: which columns the Virtual Machines list shows, kept for the next
 * visit. MMC's dialog moves columns between an "Available columns" and a "Displayed columns"
 * list; here each column is a check box in the list's order (the order cannot be changed), and
 * Name, the row's label, always stays. Restore Defaults shows every column again.
 */
export function AddRemoveColumnsDialog({ onClose }: { onClose: () => void }) {
  const hiddenColumns = useViewSettings((s) => s.hiddenColumns);
  const setHiddenColumns = useViewSettings((s) => s.setHiddenColumns);
  const [hidden, setHidden] = useState<readonly VmColumnId[]>(hiddenColumns);

  const toggle = (id: VmColumnId, shown: boolean) =>
    setHidden((before) => (shown ? before.filter((h) => h !== id) : [...before, id]));

  return (
    <Dialog
      title="Add/Remove Columns"
      onCancel={onClose}
      width={360}
      buttons={
        <>
          <button type="button" onClick={() => setHidden([])}>
            Restore Defaults
          </button>
          <button
            type="button"
            className="default-button"
            onClick={() => {
              setHiddenColumns(hidden);
              onClose();
            }}
          >
            OK
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </>
      }
    >
      <p>Displayed columns:</p>
      <ul className="view-choices">
        {VM_COLUMNS.map((column) => (
          <li key={column.id}>
            <label>
              <input
                type="checkbox"
                checked={!hidden.includes(column.id)}
                disabled={column.id === FIXED_COLUMN}
                data-autofocus={column.id === VM_COLUMNS[1]?.id ? true : undefined}
                onChange={(e) => toggle(column.id, e.target.checked)}
              />{' '}
              {column.header}
            </label>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
