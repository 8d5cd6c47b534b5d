/**
 * Hardware → Security (generation 2): Secure Boot and its template, and Encryption Support (the
 * virtual TPM, encryption of state and migration traffic), as Hyper-V Manager's Security page
 * groups them (Microsoft's Set-VMFirmware, Enable-VMTPM and Set-VMSecurity references). Shielding
 * needs a Host Guardian Service, which this host does not simulate: the page says so and keeps it
 * off. The explanatory sentence under Secure Boot is our wording; Hyper-V Manager's exact text was
 * not found.
 */
import { useId } from 'react';
import type { SecureBootTemplate } from '@hvm/engine';
import { SECURE_BOOT_TEMPLATES } from './firmwareDraft';
import type { SettingsDraft } from './settingsDraft';
import { LockedNote } from './LockedNote';

interface SecurityPageProps {
  draft: SettingsDraft;
  onChange: (patch: Partial<SettingsDraft>) => void;
  lockedReason: string | null;
}

export const SHIELDING_NOT_SIMULATED =
  'Shielding needs a Host Guardian Service, which this host does not simulate.';

export function SecurityPage({ draft, onChange, lockedReason }: SecurityPageProps) {
  const id = useId();
  const locked = lockedReason !== null;
  return (
    <div className="settings-page">
      <h3 className="page-heading">Security</h3>
      <fieldset className="field-group">
        <legend>Secure Boot</legend>
        <p className="explain">
          Use Secure Boot to help prevent unauthorized code from running at boot time (recommended).
        </p>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.secureBootEnabled}
            disabled={locked}
            onChange={(e) => onChange({ secureBootEnabled: e.target.checked })}
          />
          Enable Secure Boot
        </label>
        <div className="field-block">
          <label htmlFor={`${id}-template`} className="field-label">
            Template:
          </label>
          <select
            id={`${id}-template`}
            value={draft.secureBootTemplate}
            disabled={locked || !draft.secureBootEnabled}
            onChange={(e) => onChange({ secureBootTemplate: e.target.value as SecureBootTemplate })}
          >
            {SECURE_BOOT_TEMPLATES.map(([value, caption]) => (
              <option key={value} value={value}>
                {caption}
              </option>
            ))}
          </select>
        </div>
      </fieldset>
      <fieldset className="field-group">
        <legend>Encryption Support</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.tpmEnabled}
            disabled={locked}
            onChange={(e) => onChange({ tpmEnabled: e.target.checked })}
          />
          Enable Trusted Platform Module
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.encryptStateAndVmMigrationTraffic}
            disabled={locked}
            onChange={(e) => onChange({ encryptStateAndVmMigrationTraffic: e.target.checked })}
          />
          Encrypt state and virtual machine migration traffic
        </label>
      </fieldset>
      <fieldset className="field-group">
        <legend>Security Policy</legend>
        <label className="check">
          <input type="checkbox" checked={false} disabled aria-describedby={`${id}-shielding`} />
          Enable Shielding
        </label>
        <p id={`${id}-shielding`} className="explain">
          {SHIELDING_NOT_SIMULATED}
        </p>
      </fieldset>
      {locked && <LockedNote>{lockedReason}</LockedNote>}
    </div>
  );
}
