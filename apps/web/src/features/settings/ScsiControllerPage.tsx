/**
 * Hardware → SCSI Controller (generation 2) or IDE Controller (generation 1): the drives attached
 * to it, each with its location number on the controller, as Hyper-V Manager lists them under the
 * controller in the left list and on the page (Get-VMHardDiskDrive's ControllerNumber and
 * ControllerLocation). A SCSI controller's page adds a hard drive and removes the controller (an
 * empty one: this host does not remove drives with their controller), applied with OK / Apply.
 */
import { useId } from 'react';
import type { HardDrive } from '@hvm/engine';

/** "SCSI 0:1" → { controller: 'SCSI', number: 0, location: 1 }. */
export function parseControllerLocation(text: string): {
  controller: string;
  number: number;
  location: number;
} {
  const match = /^(\w+) (\d+):(\d+)$/.exec(text);
  return match
    ? { controller: match[1] ?? text, number: Number(match[2]), location: Number(match[3]) }
    : { controller: text, number: 0, location: 0 };
}

export const fileNameOf = (path: string): string => path.split(/[\\/]/).pop() ?? path;

export function ScsiControllerPage({
  controller,
  hardDrives,
  pendingDrives = [],
  onAddDrive,
  onRemove,
  removeBlocked = null,
}: {
  /** "SCSI Controller" or "IDE Controller 0". */
  controller: string;
  hardDrives: readonly HardDrive[];
  /** Drives attached in this dialog, not yet applied. */
  pendingDrives?: readonly { key: string; path: string }[];
  /** Adds a hard drive to the controller (a SCSI controller while the VM is Off). */
  onAddDrive?: (() => void) | undefined;
  /** Removes the controller (a SCSI controller); absent for IDE controllers. */
  onRemove?: (() => void) | undefined;
  /** Why Remove is unavailable now (null: it is available). */
  removeBlocked?: string | null;
}) {
  const id = useId();
  return (
    <div className="settings-page">
      <h3 className="page-heading">{controller}</h3>
      <p className="page-intro">The drives attached to this controller, by their location on it.</p>
      {hardDrives.length === 0 && pendingDrives.length === 0 ? (
        <p className="explain">No drives are attached to this controller.</p>
      ) : (
        <table className="drive-table">
          <thead>
            <tr>
              <th scope="col">Drive</th>
              <th scope="col">Location</th>
              <th scope="col">Virtual hard disk</th>
            </tr>
          </thead>
          <tbody>
            {hardDrives.map((drive) => (
              <tr key={drive.controllerLocation}>
                <td>Hard Drive</td>
                <td>{parseControllerLocation(drive.controllerLocation).location}</td>
                <td className="path-text">{drive.path}</td>
              </tr>
            ))}
            {pendingDrives.map((drive) => (
              <tr key={drive.key}>
                <td>Hard Drive</td>
                <td>(next free)</td>
                <td className="path-text">{drive.path}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {onAddDrive !== undefined && (
        <div className="add-hardware-row">
          <span className="field-label">Hard Drive</span>
          <button type="button" onClick={onAddDrive}>
            Add
          </button>
        </div>
      )}
      {onRemove !== undefined && (
        <>
          <p className="explain" id={`${id}-remove`}>
            {removeBlocked ?? 'To remove the controller from this virtual machine, click Remove.'}
          </p>
          <div className="add-hardware-row">
            <button
              type="button"
              disabled={removeBlocked !== null}
              aria-describedby={`${id}-remove`}
              onClick={onRemove}
            >
              Remove
            </button>
          </div>
        </>
      )}
    </div>
  );
}

/**
 * A hard drive attached in this dialog, before OK / Apply: the virtual hard disk it will use (an
 * existing .vhdx no VM uses, relative to the data folder or a full path inside it), and Remove.
 */
export function PendingHardDrivePage({
  path,
  onPathChange,
  onRemove,
}: {
  path: string;
  onPathChange: (path: string) => void;
  onRemove: () => void;
}) {
  const id = useId();
  return (
    <div className="settings-page">
      <h3 className="page-heading">Hard Drive</h3>
      <p className="page-intro">
        Specify the virtual hard disk this drive uses. It is attached to the next free location of
        the controller when you click OK or Apply.
      </p>
      <label htmlFor={`${id}-path`} className="field-label">
        Virtual hard disk:
      </label>
      <input
        id={`${id}-path`}
        className="wide"
        value={path}
        spellCheck={false}
        onChange={(e) => onPathChange(e.target.value)}
      />
      <div className="add-hardware-row">
        <button type="button" onClick={onRemove}>
          Remove
        </button>
      </div>
    </div>
  );
}
