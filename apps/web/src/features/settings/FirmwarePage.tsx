/**
 * Hardware → Firmware (generation 2: the boot order of the VM's devices) and Hardware → BIOS
 * (generation 1: the startup order of the four BIOS boot devices and Num Lock), as Hyper-V
 * Manager lays them out: a list, and Move Up / Move Down beside it. The page texts are our reading
 * of Hyper-V Manager's pages (behaviour spec §7.2 names the pages, not their words).
 */
import { useId, useState } from 'react';
import type { HardDrive } from '@hvm/engine';
import { BIOS_DEVICE_CAPTIONS, moved } from './firmwareDraft';
import type { SettingsDraft } from './settingsDraft';
import { LockedNote } from './LockedNote';

interface FirmwarePageProps {
  draft: SettingsDraft;
  onChange: (patch: Partial<SettingsDraft>) => void;
  hardDrives: readonly HardDrive[];
  /** Why the page cannot be changed now (the VM is not Off), or null. */
  lockedReason: string | null;
}

const fileName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

/** A list of boot devices with Move Up / Move Down, one selected at a time. */
function OrderList({
  label,
  items,
  disabled,
  onOrder,
}: {
  label: string;
  items: readonly { key: string; caption: string }[];
  disabled: boolean;
  onOrder: (keys: string[]) => void;
}) {
  const id = useId();
  const [selected, setSelected] = useState(0);
  const keys = items.map((item) => item.key);
  const move = (step: -1 | 1) => {
    const target = selected + step;
    if (target < 0 || target >= items.length) return;
    onOrder(moved(keys, selected, step));
    setSelected(target);
  };
  return (
    <div className="order-list-row">
      <select
        id={id}
        className="order-list"
        aria-label={label}
        size={Math.max(2, items.length)}
        value={keys[selected] ?? ''}
        disabled={disabled}
        onChange={(e) => setSelected(Math.max(0, keys.indexOf(e.target.value)))}
      >
        {items.map((item) => (
          <option key={item.key} value={item.key}>
            {item.caption}
          </option>
        ))}
      </select>
      <div className="order-buttons">
        <button type="button" disabled={disabled || selected === 0} onClick={() => move(-1)}>
          Move Up
        </button>
        <button
          type="button"
          disabled={disabled || selected >= items.length - 1}
          onClick={() => move(1)}
        >
          Move Down
        </button>
      </div>
    </div>
  );
}

/** Hardware → Firmware: the generation 2 boot order (hard drives; network adapters at merge). */
export function FirmwarePage({ draft, onChange, hardDrives, lockedReason }: FirmwarePageProps) {
  const items = draft.bootOrder.map((location) => {
    const drive = hardDrives.find((d) => d.controllerLocation === location);
    return {
      key: location,
      caption: `Hard Drive  ${location}  ${drive ? fileName(drive.path) : ''}`.trim(),
    };
  });
  return (
    <div className="settings-page">
      <h3 className="page-heading">Firmware</h3>
      <fieldset className="field-group">
        <legend>Boot order</legend>
        <p className="explain">
          Select the order in which boot entries are checked to start the operating system.
        </p>
        {items.length === 0 ? (
          <p className="explain">This virtual machine has no device to boot from.</p>
        ) : (
          <OrderList
            label="Boot order"
            items={items}
            disabled={lockedReason !== null}
            onOrder={(bootOrder) => onChange({ bootOrder })}
          />
        )}
      </fieldset>
      {lockedReason !== null && <LockedNote>{lockedReason}</LockedNote>}
    </div>
  );
}

/** Hardware → BIOS: the generation 1 startup order and Num Lock. */
export function BiosPage({ draft, onChange, lockedReason }: FirmwarePageProps) {
  const locked = lockedReason !== null;
  return (
    <div className="settings-page">
      <h3 className="page-heading">BIOS</h3>
      <label className="check">
        <input
          type="checkbox"
          checked={draft.numLockEnabled}
          disabled={locked}
          onChange={(e) => onChange({ numLockEnabled: e.target.checked })}
        />
        Num Lock
      </label>
      <fieldset className="field-group">
        <legend>Startup order</legend>
        <p className="explain">
          Select the order in which boot devices are checked to start the operating system.
        </p>
        <OrderList
          label="Startup order"
          items={draft.startupOrder.map((device) => ({
            key: device,
            caption: BIOS_DEVICE_CAPTIONS[device],
          }))}
          disabled={locked}
          onOrder={(keys) => onChange({ startupOrder: keys as SettingsDraft['startupOrder'] })}
        />
      </fieldset>
      {locked && <LockedNote>{lockedReason}</LockedNote>}
    </div>
  );
}
