/**
 * Hardware → SCSI Controller (generation 2) or IDE Controller (generation 1): the drives attached
 * to it, each with its location number on the controller, as Hyper-V Manager lists them under the
 * controller in the left list and on the page (Get-VMHardDiskDrive's ControllerNumber and
 * ControllerLocation). Drives are added with Add-VMHardDiskDrive or the New Virtual Machine wizard.
 */
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
}: {
  /** "SCSI Controller" or "IDE Controller 0". */
  controller: string;
  hardDrives: readonly HardDrive[];
}) {
  return (
    <div className="settings-page">
      <h3 className="page-heading">{controller}</h3>
      <p className="page-intro">The drives attached to this controller, by their location on it.</p>
      {hardDrives.length === 0 ? (
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
          </tbody>
        </table>
      )}
    </div>
  );
}
