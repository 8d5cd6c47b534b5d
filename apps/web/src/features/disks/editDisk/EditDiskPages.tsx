import type { DiskFileEntry, DiskFileInfo } from '@hvm/engine';
import { formatBytes } from '../../../shared/format';
import { PathText } from '../InspectDiskDialog';
import { EDIT_DISK_ACTIONS, GB, type EditDiskAction } from './editDiskActions';

/** Before You Begin: what the wizard does (our sentences). */
export function BeforeYouBegin() {
  return (
    <>
      <p>
        This wizard helps you edit a virtual hard disk file: compact it, convert it to another type,
        expand it, or merge a differencing disk.
      </p>
      <p>
        A disk used by a virtual machine that is running, or that has checkpoints, cannot be edited.
        Editing a disk that is the parent of a differencing disk would break that disk.
      </p>
    </>
  );
}

export function LocateDisk({
  path,
  onPath,
  disks,
}: {
  path: string;
  onPath: (path: string) => void;
  disks: DiskFileEntry[];
}) {
  return (
    <>
      <label className="field">
        <span>Location of the virtual hard disk (relative to the host&apos;s data folder):</span>
        <input
          data-autofocus
          aria-label="Location"
          value={path}
          onChange={(e) => onPath(e.target.value)}
        />
      </label>
      <span id="edit-disk-files">Virtual hard disks on this host:</span>
      <ul className="edit-disk-files" aria-labelledby="edit-disk-files">
        {disks.map((d) => (
          <li key={d.path}>
            <button
              type="button"
              className="link-button"
              aria-pressed={d.path === path}
              onClick={() => onPath(d.path)}
            >
              {d.path}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

export function ChooseAction({
  disk,
  actions,
  action,
  onAction,
}: {
  disk: DiskFileInfo;
  actions: EditDiskAction[];
  action: EditDiskAction | null;
  onAction: (action: EditDiskAction) => void;
}) {
  return (
    <>
      <p className="edit-disk-note">
        <PathText path={disk.path} /> is a{' '}
        {disk.type === 'Dynamic'
          ? 'dynamically expanding'
          : disk.type === 'Fixed'
            ? 'fixed size'
            : 'differencing'}{' '}
        virtual hard disk.
      </p>
      <div role="radiogroup" aria-label="What do you want to do to the virtual hard disk?">
        {actions.map((a) => (
          <label key={a} className="edit-disk-choice">
            <input
              type="radio"
              name="edit-disk-action"
              checked={action === a}
              onChange={() => onAction(a)}
            />
            <span>
              <strong>{EDIT_DISK_ACTIONS[a].caption}</strong>
              <span className="edit-disk-description">{EDIT_DISK_ACTIONS[a].description}</span>
            </span>
          </label>
        ))}
      </div>
    </>
  );
}

export interface DiskConfiguration {
  convertTo: 'Dynamic' | 'Fixed';
  copyPath: string;
  newSizeGb: string;
  mergeInto: 'parent' | 'new';
}

export function ConfigureDisk({
  disk,
  action,
  config,
  onChange,
}: {
  disk: DiskFileInfo;
  action: EditDiskAction;
  config: DiskConfiguration;
  onChange: (change: Partial<DiskConfiguration>) => void;
}) {
  const copyPath = (
    <label className="field">
      <span>Name and location of the new virtual hard disk:</span>
      <input
        aria-label="New virtual hard disk"
        value={config.copyPath}
        onChange={(e) => onChange({ copyPath: e.target.value })}
      />
    </label>
  );
  if (action === 'expand') {
    return (
      <>
        <p>Current size is {formatBytes(disk.virtualSizeBytes)}.</p>
        <label className="field edit-disk-size">
          <span>New size:</span>
          <input
            data-autofocus
            aria-label="New size (GB)"
            type="number"
            min={1}
            value={config.newSizeGb}
            onChange={(e) => onChange({ newSizeGb: e.target.value })}
          />
          <span>GB (maximum: 64 TB)</span>
        </label>
      </>
    );
  }
  if (action === 'convert') {
    return (
      <>
        <div role="radiogroup" aria-label="Choose the type of the new virtual hard disk">
          {(['Fixed', 'Dynamic'] as const).map((type) => (
            <label key={type} className="edit-disk-choice">
              <input
                type="radio"
                name="edit-disk-type"
                checked={config.convertTo === type}
                onChange={() => onChange({ convertTo: type })}
              />
              {type === 'Fixed' ? 'Fixed size' : 'Dynamically expanding'}
            </label>
          ))}
        </div>
        {copyPath}
      </>
    );
  }
  return (
    <>
      <div role="radiogroup" aria-label="Choose where to merge the changes">
        <label className="edit-disk-choice">
          <input
            type="radio"
            name="edit-disk-merge"
            checked={config.mergeInto === 'parent'}
            onChange={() => onChange({ mergeInto: 'parent' })}
          />
          To the parent virtual hard disk
        </label>
        <label className="edit-disk-choice">
          <input
            type="radio"
            name="edit-disk-merge"
            checked={config.mergeInto === 'new'}
            onChange={() => onChange({ mergeInto: 'new' })}
          />
          To a new virtual hard disk
        </label>
      </div>
      {config.mergeInto === 'parent' ? (
        <p className="edit-disk-note">
          Parent: {disk.parentPath === null ? 'none' : <PathText path={disk.parentPath} />}
        </p>
      ) : (
        copyPath
      )}
    </>
  );
}

/** The new size in bytes, or null when the text is not a whole number of GB above the current size. */
export function newSizeBytes(disk: DiskFileInfo, text: string): number | null {
  const gb = Number(text);
  if (!Number.isInteger(gb) || gb <= 0) return null;
  const bytes = gb * GB;
  return bytes > disk.virtualSizeBytes && bytes <= 64 * 1024 * GB ? bytes : null;
}
