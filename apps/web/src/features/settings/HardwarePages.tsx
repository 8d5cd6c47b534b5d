import type { HardDrive } from '@hvm/engine';
import { formatBytes } from '../../shared/format';

/** Hardware → Hard Drive: where each disk is attached and which file it writes to now. */
export function HardDrivePage({
  hardDrives,
  onInspect,
  onRemove,
}: {
  hardDrives: readonly HardDrive[];
  onInspect: (path: string) => void;
  /** Detaches the drive on OK / Apply (its file stays); absent when it cannot be removed now. */
  onRemove?: (() => void) | undefined;
}) {
  return (
    <div className="settings-page">
      <h3 className="page-heading">Hard Drive</h3>
      <p className="page-intro">
        You can change how this virtual hard disk is attached to the virtual machine. If an
        operating system is installed on this disk, changing the attachment might prevent the
        virtual machine from starting.
      </p>
      {hardDrives.length === 0 && (
        <p className="explain">This virtual machine has no hard drives.</p>
      )}
      {hardDrives.map((drive) => (
        <fieldset key={drive.controllerLocation} className="field-group hard-drive">
          <legend>
            {drive.controllerLocation.startsWith('IDE') ? 'IDE Controller' : 'SCSI Controller'}
          </legend>
          <dl className="properties">
            <dt>Controller location</dt>
            <dd>{drive.controllerLocation}</dd>
            <dt>Virtual hard disk</dt>
            <dd className="path-text">{drive.path}</dd>
            <dt>Maximum disk size</dt>
            <dd>{formatBytes(drive.virtualSizeBytes)}</dd>
            {drive.chain.length > 1 && (
              <>
                <dt>Disk chain</dt>
                <dd className="path-text">{drive.chain.join(' → ')}</dd>
              </>
            )}
          </dl>
          <button
            type="button"
            aria-label={`Inspect ${drive.path}`}
            onClick={() => onInspect(drive.path)}
          >
            Inspect
          </button>
        </fieldset>
      ))}
      {onRemove !== undefined && (
        <>
          <p className="explain">
            To remove the drive from this virtual machine, click Remove. The virtual hard disk file
            stays where it is.
          </p>
          <div className="add-hardware-row">
            <button type="button" onClick={onRemove}>
              Remove
            </button>
          </div>
        </>
      )}
    </div>
  );
}
