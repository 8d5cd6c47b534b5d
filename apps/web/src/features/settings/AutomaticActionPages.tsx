import { useId } from 'react';
import { AUTOMATIC_START_DELAY_MAX_SECONDS } from '@hvm/contracts';
import type { AutomaticStartAction, AutomaticStopAction } from '@hvm/engine';
import type { SettingsDraft } from './settingsDraft';

interface PageProps {
  draft: SettingsDraft;
  onChange: (patch: Partial<SettingsDraft>) => void;
}

export const START_ACTION_CAPTIONS: readonly [AutomaticStartAction, string][] = [
  ['Nothing', 'Nothing'],
  ['StartIfRunning', 'Automatically start if it was running when the service stopped'],
  ['Start', 'Always start this virtual machine automatically'],
];

export const STOP_ACTION_CAPTIONS: readonly [AutomaticStopAction, string, string][] = [
  [
    'Save',
    'Save the virtual machine state',
    'The current state of the virtual machine is saved. When the virtual machine is started, Hyper-V attempts to restore the virtual machine to the state it was in.',
  ],
  [
    'TurnOff',
    'Turn off the virtual machine',
    'This is the equivalent of pulling the power plug on a server.',
  ],
  [
    'ShutDown',
    'Shut down the guest operating system',
    'This will occur only if the Operating system shutdown integration service is offered and the guest supports it.',
  ],
];

/** Management → Automatic Start Action. */
export function AutomaticStartPage({ draft, onChange }: PageProps) {
  const id = useId();
  return (
    <div className="settings-page">
      <h3 className="page-heading">Automatic Start Action</h3>
      <p className="page-intro">
        What do you want this virtual machine to do when the physical computer starts?
      </p>
      <fieldset className="field-group">
        <legend className="visually-hidden">Automatic start action</legend>
        {START_ACTION_CAPTIONS.map(([value, caption]) => (
          <label key={value} className="check">
            <input
              type="radio"
              name={`${id}-start`}
              checked={draft.automaticStartAction === value}
              onChange={() => onChange({ automaticStartAction: value })}
            />
            {caption}
          </label>
        ))}
      </fieldset>
      <div className="field-block">
        <p className="explain">
          Specify a startup delay to reduce resource contention between virtual machines.
        </p>
        <label htmlFor={`${id}-delay`} className="field-label">
          Startup delay (seconds)
        </label>
        <input
          id={`${id}-delay`}
          type="number"
          min={0}
          max={AUTOMATIC_START_DELAY_MAX_SECONDS}
          step={1}
          className="narrow"
          disabled={draft.automaticStartAction === 'Nothing'}
          value={draft.automaticStartDelaySeconds}
          onChange={(e) => onChange({ automaticStartDelaySeconds: e.target.value })}
        />
      </div>
    </div>
  );
}

/** Management → Automatic Stop Action. */
export function AutomaticStopPage({ draft, onChange }: PageProps) {
  const id = useId();
  return (
    <div className="settings-page">
      <h3 className="page-heading">Automatic Stop Action</h3>
      <p className="page-intro">
        What do you want this virtual machine to do when the physical computer shuts down?
      </p>
      <fieldset className="field-group">
        <legend className="visually-hidden">Automatic stop action</legend>
        {STOP_ACTION_CAPTIONS.map(([value, caption, explain]) => (
          <div key={value}>
            <label className="check">
              <input
                type="radio"
                name={`${id}-stop`}
                checked={draft.automaticStopAction === value}
                aria-describedby={`${id}-${value}`}
                onChange={() => onChange({ automaticStopAction: value })}
              />
              {caption}
            </label>
            <p id={`${id}-${value}`} className="explain indent">
              {explain}
            </p>
          </div>
        ))}
      </fieldset>
    </div>
  );
}
