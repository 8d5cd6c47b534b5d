/**
 * Hardware → Add Hardware: the devices Hyper-V Manager offers to add (SCSI Controller, Network
 * Adapter, Legacy Network Adapter for generation 1, Fibre Channel Adapter), each with why this
 * host cannot add it now. As in Hyper-V Manager, a running VM gets none (adding needs it Off);
 * Network Adapter opens the Network Adapter page once the VM has adapters to add to.
 */
import { useId, useState } from 'react';
import { LockedNote } from './LockedNote';

interface Device {
  caption: string;
  /** Why this host cannot add it (null: it can). */
  unavailable: string | null;
  generations: readonly (1 | 2)[];
}

/** The device list and this host's reasons; the reasons are ours, not Hyper-V's words. */
export const ADDABLE_DEVICES: readonly Device[] = [
  {
    caption: 'SCSI Controller',
    unavailable: "This host's virtual machines have one SCSI controller.",
    generations: [1, 2],
  },
  {
    caption: 'Network Adapter',
    unavailable: "This host's virtual machines have one network adapter each.",
    generations: [1, 2],
  },
  {
    caption: 'Legacy Network Adapter',
    unavailable: 'This host does not simulate legacy network adapters.',
    generations: [1],
  },
  {
    caption: 'Fibre Channel Adapter',
    unavailable: 'This host has no virtual SAN.',
    generations: [1, 2],
  },
];

export function AddHardwarePage({
  generation,
  lockedReason,
}: {
  generation: 1 | 2;
  lockedReason: string | null;
}) {
  const id = useId();
  const devices = ADDABLE_DEVICES.filter((d) => d.generations.includes(generation));
  const [selected, setSelected] = useState(devices[0]?.caption ?? '');
  const device = devices.find((d) => d.caption === selected);
  const locked = lockedReason !== null;
  return (
    <div className="settings-page">
      <h3 className="page-heading">Add Hardware</h3>
      <p className="page-intro">You can use this setting to add devices to your virtual machine.</p>
      <label htmlFor={id} className="field-label">
        Select the devices you want to add and click the Add button.
      </label>
      <select
        id={id}
        className="order-list"
        size={devices.length}
        value={selected}
        disabled={locked}
        aria-describedby={`${id}-why`}
        onChange={(e) => setSelected(e.target.value)}
      >
        {devices.map((d) => (
          <option key={d.caption} value={d.caption} disabled={d.unavailable !== null}>
            {d.caption}
          </option>
        ))}
      </select>
      <div className="add-hardware-row">
        <button type="button" disabled={locked || device?.unavailable !== null}>
          Add
        </button>
      </div>
      <p id={`${id}-why`} className="explain">
        {locked ? '' : (device?.unavailable ?? '')}
      </p>
      {locked && <LockedNote>{lockedReason}</LockedNote>}
    </div>
  );
}
