import { useId, useState } from 'react';
import { FolderPickerDialog } from './FolderPickerDialog';
import type { SettingsDraft } from './settingsDraft';
import {
  fromCheckpointType,
  toCheckpointType,
  type CheckpointChoice,
} from './checkpointTypeMapping';

interface PageProps {
  draft: SettingsDraft;
  onChange: (patch: Partial<SettingsDraft>) => void;
  checkpointCount: number;
}

export const PRODUCTION_TEXT =
  "Production checkpoints use backup technology in the guest to create data-consistent checkpoints that don't include information about running applications.";
export const STANDARD_TEXT =
  'Standard checkpoints capture the state, data, and hardware configuration of a running virtual machine and are intended for development and test scenarios.';
export const LOCATION_LOCKED_TEXT =
  'The checkpoint file location cannot be changed because the virtual machine has checkpoints.';

/** Management → Checkpoints. */
export function CheckpointsPage({ draft, onChange, checkpointCount }: PageProps) {
  const id = useId();
  const choice = fromCheckpointType(draft.checkpointType);
  const set = (patch: Partial<CheckpointChoice>) =>
    onChange({ checkpointType: toCheckpointType({ ...choice, ...patch }) });
  const off = !choice.enabled;
  const locked = checkpointCount > 0;
  const [browsing, setBrowsing] = useState(false);

  return (
    <div className="settings-page">
      <h3 className="page-heading">Checkpoints</h3>
      <p className="page-intro">
        You can configure checkpoint options for this virtual machine. Checkpoints let you save the
        state of the virtual machine so you can return to it later.
      </p>
      <label className="check">
        <input
          type="checkbox"
          checked={choice.enabled}
          onChange={(e) => set({ enabled: e.target.checked })}
        />
        Enable checkpoints
      </label>
      <fieldset className="field-group indent" disabled={off}>
        <legend className="visually-hidden">Checkpoint type</legend>
        <label className="check">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={choice.mode === 'Production'}
            aria-describedby={`${id}-production`}
            onChange={() => set({ mode: 'Production' })}
          />
          Production checkpoints
        </label>
        <p id={`${id}-production`} className="explain indent">
          {PRODUCTION_TEXT}
        </p>
        <label className="check indent">
          <input
            type="checkbox"
            checked={choice.fallbackToStandard}
            disabled={off || choice.mode !== 'Production'}
            onChange={(e) => set({ fallbackToStandard: e.target.checked })}
          />
          Create standard checkpoints if it&apos;s not possible to create a production checkpoint
        </label>
        <label className="check">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={choice.mode === 'Standard'}
            aria-describedby={`${id}-standard`}
            onChange={() => set({ mode: 'Standard' })}
          />
          Standard checkpoints
        </label>
        <p id={`${id}-standard`} className="explain indent">
          {STANDARD_TEXT}
        </p>
        <div className="field-block">
          <label htmlFor={`${id}-location`} className="field-label">
            Checkpoint File Location
          </label>
          <p className="explain">
            Specify the folder for storing the checkpoint files of this virtual machine.
          </p>
          <div className="path-row">
            <input
              id={`${id}-location`}
              type="text"
              className="wide"
              value={draft.snapshotFileLocation}
              readOnly={locked}
              aria-describedby={locked ? `${id}-locked` : undefined}
              onChange={(e) => onChange({ snapshotFileLocation: e.target.value })}
            />
            <button type="button" disabled={locked} onClick={() => setBrowsing(true)}>
              Browse...
            </button>
          </div>
          {browsing && (
            <FolderPickerDialog
              current={draft.snapshotFileLocation}
              onCancel={() => setBrowsing(false)}
              onChoose={(folder) => {
                onChange({ snapshotFileLocation: folder });
                setBrowsing(false);
              }}
            />
          )}
          {locked && (
            <p id={`${id}-locked`} className="explain locked-reason">
              <span aria-hidden="true" className="info-dot">
                i
              </span>
              {LOCATION_LOCKED_TEXT}
            </p>
          )}
        </div>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.automaticCheckpointsEnabled}
            onChange={(e) => onChange({ automaticCheckpointsEnabled: e.target.checked })}
          />
          Use automatic checkpoints
        </label>
        <p className="explain indent">
          Automatically create a checkpoint when the virtual machine starts.
        </p>
      </fieldset>
    </div>
  );
}
