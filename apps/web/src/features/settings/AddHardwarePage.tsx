/**
 * Hardware → Add Hardware: the devices Hyper-V Manager offers to add (SCSI Controller, Network
 * Adapter, Legacy Network Adapter for generation 1, Fibre Channel Adapter, RemoteFX 3D Video
 * Adapter). Add puts the chosen device in the left list and selects it, as Hyper-V Manager does;
 * the host gets it with OK / Apply. The devices this host cannot provide are shown disabled, each
 * with why (the reasons are ours, not Hyper-V's words).
 */
import { useId, useState } from 'react';
import type { VmDetail } from '@hvm/engine';
import { addBlockedReason } from './deviceDraft';
import type { AddableDevice, DeviceEditor } from './useDeviceDraft';

interface Device {
  caption: string;
  /** Why this host can never add it (null: it can, within Hyper-V's rules). */
  unavailable: string | null;
  generations: readonly (1 | 2)[];
}

/** The device list, in Hyper-V Manager's order. */
export const ADDABLE_DEVICES: readonly Device[] = [
  { caption: 'SCSI Controller', unavailable: null, generations: [1, 2] },
  { caption: 'Network Adapter', unavailable: null, generations: [1, 2] },
  { caption: 'Legacy Network Adapter', unavailable: null, generations: [1] },
  {
    caption: 'Fibre Channel Adapter',
    unavailable: 'This host has no virtual SAN (Virtual SAN Manager) to connect it to.',
    generations: [1, 2],
  },
  {
    // Microsoft disabled RemoteFX vGPU in 2020 and removed it from later Windows releases
    // (KB4570006, "Update to disable and remove the RemoteFX vGPU component").
    caption: 'RemoteFX 3D Video Adapter',
    unavailable:
      'This host has no graphics processor to share, and Windows no longer offers RemoteFX.',
    generations: [1, 2],
  },
];

export function AddHardwarePage({
  vm,
  devices,
  readOnly,
  onAdded,
}: {
  vm: VmDetail;
  devices: DeviceEditor;
  /** A checkpoint's settings: nothing can be added. */
  readOnly: boolean;
  /** The new item's page, to select it in the left list. */
  onAdded: (pageId: string) => void;
}) {
  const id = useId();
  const list = ADDABLE_DEVICES.filter((d) => d.generations.includes(vm.generation));
  const [selected, setSelected] = useState(list[0]?.caption ?? '');
  const device = list.find((d) => d.caption === selected);
  const why =
    device === undefined
      ? null
      : (device.unavailable ??
        addBlockedReason(vm, devices.draft, device.caption as AddableDevice));
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
        size={list.length}
        value={selected}
        disabled={readOnly}
        aria-describedby={`${id}-why`}
        onChange={(e) => setSelected(e.target.value)}
      >
        {list.map((d) => (
          <option key={d.caption} value={d.caption} disabled={d.unavailable !== null}>
            {d.caption}
          </option>
        ))}
      </select>
      <div className="add-hardware-row">
        <button
          type="button"
          disabled={readOnly || why !== null}
          onClick={() => onAdded(devices.add(selected as AddableDevice))}
        >
          Add
        </button>
      </div>
      <p id={`${id}-why`} className="explain">
        {readOnly ? '' : (why ?? '')}
      </p>
      <ul className="explain" aria-label="Devices this host cannot add">
        {list
          .filter((d) => d.unavailable !== null)
          .map((d) => (
            <li key={d.caption}>
              {d.caption}: {d.unavailable}
            </li>
          ))}
      </ul>
    </div>
  );
}
