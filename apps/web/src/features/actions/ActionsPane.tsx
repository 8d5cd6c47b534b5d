import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { VmBody } from '../../api/bodies';
import { hostQuery } from '../../api/host';
import { vmsQuery } from '../../api/vms';
import type { Command } from '../../shared/commands';
import { useUiStore } from '../../stores/uiStore';
import { useSelectedCheckpoint } from '../checkpoints/useSelectedCheckpoint';
import { usePowerShellStore } from '../powershell/powerShellStore';
import { usePermissions } from '../signIn/usePermissions';
import { useCheckpointCommands } from './useCheckpointCommands';
import { useVmCommands } from './useVmCommands';
import './actions.css';

function ActionSection({ title, commands }: { title: string; commands: Command[] }) {
  const [open, setOpen] = useState(true);
  return (
    <section className="actions-section" aria-label={title}>
      <h2 className="actions-heading">
        <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
          <bdi className="actions-heading-text">{title}</bdi>
          <span aria-hidden="true">{open ? '▴' : '▾'}</span>
        </button>
      </h2>
      {open && (
        <ul className="actions-list">
          {commands.map((c) => (
            <li key={c.id}>
              <button type="button" className="action" disabled={!c.enabled} onClick={c.run}>
                {c.caption}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function VmSections({ vm }: { vm: VmBody }) {
  const checkpoint = useSelectedCheckpoint(vm.id);
  const vmCommands = useVmCommands(vm);
  const checkpointCommands = useCheckpointCommands(vm, checkpoint);
  return (
    <>
      <ActionSection title={vm.name} commands={vmCommands} />
      {checkpoint && <ActionSection title={checkpoint.name} commands={checkpointCommands} />}
    </>
  );
}

/** The right-hand "Actions" pane: the host, the selected VM and the selected checkpoint. */
export function ActionsPane() {
  const queryClient = useQueryClient();
  const { data: host } = useQuery(hostQuery());
  const { data: vms } = useQuery(vmsQuery());
  const selectedVmId = useUiStore((s) => s.selectedVmId);
  const openDialog = useUiStore((s) => s.openDialog);
  const vm = vms?.find((v) => v.id === selectedVmId);
  const [newOpen, setNewOpen] = useState(false);
  const showPowerShell = usePowerShellStore((s) => s.show);
  const can = usePermissions();

  const hostCommands: Command[] = [
    {
      id: 'new-vm',
      caption: 'Virtual Machine...',
      enabled: true,
      run: () => openDialog({ kind: 'new-vm' }),
    },
    // New ▸ Hard Disk... (behaviour spec §7.1: the host's New ▸ Virtual Machine..., Hard Disk...).
    {
      id: 'new-disk',
      caption: 'Hard Disk...',
      enabled: true,
      run: () => openDialog({ kind: 'new-disk' }),
    },
  ];

  return (
    <div role="region" aria-label="Actions" className="actions-pane">
      <div className="pane-title">Actions</div>
      <section className="actions-section" aria-label={host?.name ?? 'Host'}>
        <h2 className="actions-heading">
          <bdi className="actions-heading-text">{host?.name ?? 'Host'}</bdi>
        </h2>
        <ul className="actions-list">
          <li>
            <button
              type="button"
              className="action"
              aria-expanded={newOpen}
              disabled={!can.has('manageHost')}
              onClick={() => setNewOpen(!newOpen)}
            >
              New <span aria-hidden="true">▸</span>
            </button>
            {newOpen && (
              <ul className="actions-sublist">
                {hostCommands.map((c) => (
                  <li key={c.id}>
                    <button
                      type="button"
                      className="action"
                      onClick={() => {
                        setNewOpen(false);
                        c.run();
                      }}
                    >
                      {c.caption}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </li>
          <li>
            {/* Hyper-V Manager's host actions: New ▸, then Import Virtual Machine... (behaviour spec §7). */}
            <button
              type="button"
              className="action"
              disabled={!can.has('manageHost')}
              onClick={() => openDialog({ kind: 'import-vm' })}
            >
              Import Virtual Machine...
            </button>
          </li>
          <li>
            {/* Then Hyper-V Settings... and Virtual Switch Manager... (behaviour spec §7). */}
            <button
              type="button"
              className="action"
              onClick={() => openDialog({ kind: 'hyperv-settings' })}
            >
              Hyper-V Settings...
            </button>
          </li>
          <li>
            <button
              type="button"
              className="action"
              onClick={() => openDialog({ kind: 'virtual-switch-manager' })}
            >
              Virtual Switch Manager...
            </button>
          </li>
          <li>
            <button
              type="button"
              className="action"
              onClick={() => void queryClient.invalidateQueries()}
            >
              Refresh
            </button>
          </li>
          <li>
            {/* Before Inspect Disk..., as in Hyper-V Manager's host actions (behaviour spec §7.1). */}
            <button
              type="button"
              className="action"
              disabled={!can.has('manageHost')}
              onClick={() => openDialog({ kind: 'edit-disk', path: null })}
            >
              Edit Disk...
            </button>
          </li>
          <li>
            <button
              type="button"
              className="action"
              disabled={!can.has('readHost')}
              onClick={() => openDialog({ kind: 'inspect-disk', path: null })}
            >
              Inspect Disk...
            </button>
          </li>
          <li>
            <button
              type="button"
              className="action"
              disabled={!can.has('readHost')}
              onClick={() => openDialog({ kind: 'check-host' })}
            >
              Check Host...
            </button>
          </li>
          <li>
            <button
              type="button"
              className="action"
              disabled={!can.has('readHost')}
              onClick={() => openDialog({ kind: 'event-log' })}
            >
              Event Log...
            </button>
          </li>
          <li>
            <button
              type="button"
              className="action"
              disabled={!can.has('runPowerShell')}
              onClick={showPowerShell}
            >
              PowerShell
            </button>
          </li>
        </ul>
      </section>
      {vm && <VmSections vm={vm} />}
    </div>
  );
}
