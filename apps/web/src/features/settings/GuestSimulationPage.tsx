import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { GuestSimulation, VmDetail } from '@hvm/engine';
import { setGuestSimulation } from '../../api/guestSimulation';
import { vmQuery } from '../../api/vms';
import { ErrorSummary } from '../../shared/ErrorSummary';
import { useSettingsServer } from './settingsServer';

/**
 * Settings > Guest (simulation): NOT a page of Hyper-V's Settings dialog. The simulator's faults
 * of the VM's simulated guest (`PATCH /vms/{vmId}/guest-simulation`), so that a demo can show what
 * Hyper-V does when a guest cannot take part: a Production checkpoint falling back to Standard or
 * failing, a Shut Down that fails. Each box acts at once (it is not part of OK / Apply), and the
 * VM-Generation ID, which Hyper-V shows nowhere, is shown here read-only.
 */
const FAULTS: readonly { key: keyof GuestSimulation; caption: string; effect: string }[] = [
  {
    key: 'vssWriterFails',
    caption: 'The VSS writer of the application fails',
    effect:
      'Guests with a VSS writer (SQL Server, the domain controller): a Production checkpoint falls back to Standard; with Production only, it fails.',
  },
  {
    key: 'backupDaemonStopped',
    caption: 'The backup daemon in the guest is stopped',
    effect:
      'hv_vss_daemon in a Linux guest, the Hyper-V Volume Shadow Copy Requestor service in a Windows one: no production checkpoint can be made.',
  },
  {
    key: 'ignoresShutdown',
    caption: 'The guest does not answer Shut Down',
    effect: 'Shut Down fails and the virtual machine keeps running; Turn Off still works.',
  },
];

const NONE: GuestSimulation = {
  vssWriterFails: false,
  backupDaemonStopped: false,
  ignoresShutdown: false,
};

export function GuestSimulationPage({ vm }: { vm: VmDetail }) {
  const queryClient = useQueryClient();
  const hostPath = useSettingsServer();
  const { data } = useQuery(vmQuery(vm.id, hostPath));
  const current = data ?? vm;
  // A box shows its new state at once; the server's answer replaces it (or, on an error, the old one).
  const [asked, setAsked] = useState<Partial<GuestSimulation>>({});
  const faults = { ...NONE, ...current.guestSimulation, ...asked };
  const change = useMutation({
    mutationFn: (update: Partial<GuestSimulation>) => setGuestSimulation(vm.id, update, hostPath),
    onSuccess: (detail) => queryClient.setQueryData(vmQuery(vm.id, hostPath).queryKey, detail),
    onSettled: () => setAsked({}),
  });
  const toggle = (key: keyof GuestSimulation, on: boolean) => {
    setAsked({ [key]: on });
    change.mutate({ [key]: on });
  };
  return (
    <div className="settings-page">
      <h3 className="page-heading">Guest (simulation)</h3>
      <p className="page-intro">
        This page is part of the simulation, not of Hyper-V. Turn on a fault of the simulated guest
        to see what Hyper-V does when the guest cannot take part. Each change takes effect at once.
      </p>
      <fieldset className="field-group">
        <legend>Simulated faults</legend>
        {FAULTS.map(({ key, caption, effect }) => (
          <div key={key}>
            <label className="check">
              <input
                type="checkbox"
                checked={faults[key]}
                disabled={change.isPending}
                onChange={(e) => toggle(key, e.target.checked)}
              />
              {caption}
            </label>
            <p className="page-intro">{effect}</p>
          </div>
        ))}
      </fieldset>
      <ErrorSummary summary="The simulation could not be changed." error={change.error} />
      <p className="page-intro">
        VM-Generation ID (the simulation shows it; Hyper-V does not):{' '}
        <code>{current.vmGenerationId ?? 'none'}</code>
      </p>
    </div>
  );
}
