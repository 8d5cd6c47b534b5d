import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { disksQuery } from '../../api/disks';
import { useSettingsServer } from './settingsServer';
import { Dialog } from '../../shared/Dialog';
import { ErrorSummary } from '../../shared/ErrorSummary';
import './settings.css';

/** The folders the host stores disks and checkpoints in (from the disk files it lists). */
export function hostFolders(paths: readonly string[], extra: readonly string[]): string[] {
  const folders = new Set<string>();
  for (const path of paths) {
    const slash = path.lastIndexOf('/');
    if (slash > 0) folders.add(path.slice(0, slash));
  }
  for (const folder of extra) if (folder.trim() !== '') folders.add(folder);
  // The default checkpoint folder, unless it is listed already (by its full path, as the host
  // shows its folders to an Administrator).
  if (![...folders].some((f) => f === 'Snapshots' || f.endsWith('/Snapshots')))
    folders.add('Snapshots');
  return [...folders].sort((a, b) => a.localeCompare(b));
}

/** Browse... for the Checkpoint File Location: the host's storage folders, or a typed one. */
export function FolderPickerDialog({
  current,
  onChoose,
  onCancel,
}: {
  current: string;
  onChoose: (folder: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const { data: disks, error } = useQuery(disksQuery(useSettingsServer()));
  const [folder, setFolder] = useState(current);
  const folders = hostFolders(
    (disks ?? []).map((d) => d.path),
    [current],
  );
  return (
    <Dialog
      title="Select Folder"
      onCancel={onCancel}
      width={460}
      buttons={
        <>
          <button
            type="button"
            className="default-button"
            disabled={folder.trim() === ''}
            onClick={() => onChoose(folder.trim())}
          >
            Select Folder
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </>
      }
    >
      <fieldset className="field-group folder-list">
        <legend>Folders in the host&apos;s data folder</legend>
        {folders.map((f) => (
          <label key={f} className="check">
            <input
              type="radio"
              name={`${id}-folder`}
              checked={folder === f}
              onChange={() => setFolder(f)}
            />
            <span className="folder-icon" aria-hidden="true" />
            {f}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>Folder:</span>
        <input value={folder} onChange={(e) => setFolder(e.target.value)} data-autofocus />
      </label>
      <ErrorSummary summary="The host's folders could not be listed." error={error} />
    </Dialog>
  );
}
