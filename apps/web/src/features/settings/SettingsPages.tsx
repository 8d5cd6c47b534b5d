import { useId } from 'react';
import type { IntegrationServices } from '@hvm/engine';
import type { SettingsDraft } from './settingsDraft';

interface PageProps {
  draft: SettingsDraft;
  onChange: (patch: Partial<SettingsDraft>) => void;
}

export function NamePage({ draft, onChange }: PageProps) {
  const id = useId();
  return (
    <div className="settings-page">
      <h3 className="page-heading">Name</h3>
      <p className="page-intro">
        You can edit the name of this virtual machine. The name is displayed in Hyper-V Manager.
      </p>
      <div className="field-block">
        <label htmlFor={`${id}-name`} className="field-label">
          Name
        </label>
        <input
          id={`${id}-name`}
          type="text"
          className="wide"
          value={draft.name}
          onChange={(e) => onChange({ name: e.target.value })}
        />
      </div>
      {/* Set-VM -Notes: the Name page's Notes box in Hyper-V Manager. */}
      <div className="field-block">
        <label htmlFor={`${id}-notes`} className="field-label">
          Notes:
        </label>
        <textarea
          id={`${id}-notes`}
          className="wide notes"
          rows={6}
          maxLength={10_000}
          value={draft.notes}
          onChange={(e) => onChange({ notes: e.target.value })}
        />
      </div>
    </div>
  );
}

const SERVICES: readonly [keyof IntegrationServices, string][] = [
  ['operatingSystemShutdown', 'Operating system shutdown'],
  ['timeSynchronization', 'Time synchronization'],
  ['dataExchange', 'Data Exchange'],
  ['heartbeat', 'Heartbeat'],
  ['backup', 'Backup (volume shadow copy)'],
  ['guestServices', 'Guest services'],
];

export function IntegrationServicesPage({ draft, onChange }: PageProps) {
  return (
    <div className="settings-page">
      <h3 className="page-heading">Integration Services</h3>
      <p className="page-intro">
        Select the services that you want Hyper-V to offer to this virtual machine. To use the
        services you select, they must be supported by the guest operating system.
      </p>
      <fieldset className="field-group">
        <legend>Services</legend>
        {SERVICES.map(([key, caption]) => (
          <label key={key} className="check">
            <input
              type="checkbox"
              checked={draft.integrationServices[key]}
              onChange={(e) =>
                onChange({
                  integrationServices: { ...draft.integrationServices, [key]: e.target.checked },
                })
              }
            />
            {caption}
          </label>
        ))}
      </fieldset>
    </div>
  );
}
