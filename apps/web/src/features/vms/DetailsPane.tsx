import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Checkpoint, VmSummary } from '@hvm/engine';
import { checkpointsQuery } from '../../api/checkpoints';
import { vmQuery } from '../../api/vms';
import { formatDateTime } from '../../shared/format';
import { useUiStore } from '../../stores/uiStore';

type Tab = 'Summary' | 'Memory' | 'Networking';
const TABS: readonly Tab[] = ['Summary', 'Memory', 'Networking'];

function Row({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}:</dt>
      <dd>{value}</dd>
    </>
  );
}

function CheckpointSummary({ checkpoint }: { checkpoint: Checkpoint }) {
  return (
    <dl className="details-grid">
      <Row label="Checkpoint" value={checkpoint.name} />
      <Row label="Checkpoint type" value={checkpoint.kind} />
      <Row label="Created" value={formatDateTime(checkpoint.createdAt)} />
      <Row label="State when taken" value={checkpoint.vmState} />
      <Row label="Memory saved" value={checkpoint.hasSavedState ? 'Yes' : 'No'} />
      {checkpoint.note && <Row label="Note" value={checkpoint.note} />}
    </dl>
  );
}

/** The bottom pane: Summary / Memory / Networking of the selected VM (or selected checkpoint). */
export function DetailsPane({ vm }: { vm: VmSummary }) {
  const [tab, setTab] = useState<Tab>('Summary');
  const { data: detail } = useQuery(vmQuery(vm.id));
  const { data: tree } = useQuery(checkpointsQuery(vm.id));
  const selectedCheckpointId = useUiStore((s) => s.selectedCheckpointId);
  const checkpoint = tree?.checkpoints.find((c) => c.id === selectedCheckpointId);
  const running = vm.state === 'Running' || vm.state === 'Paused';
  const heartbeat =
    detail && !detail.integrationServices.heartbeat
      ? 'Disabled'
      : vm.state === 'Running'
        ? 'OK'
        : 'No Contact';

  return (
    <section className="details-pane" aria-label={`Details for ${checkpoint?.name ?? vm.name}`}>
      <div className="pane-title">{checkpoint ? checkpoint.name : vm.name}</div>
      <div className="details-body">
        {tab === 'Summary' &&
          (checkpoint ? (
            <CheckpointSummary checkpoint={checkpoint} />
          ) : (
            <dl className="details-grid">
              <Row label="Name" value={vm.name} />
              <Row label="State" value={vm.state} />
              <Row label="Checkpoint type" value={vm.checkpointType} />
              <Row label="Created" value={formatDateTime(vm.createdAt)} />
              <Row label="Heartbeat" value={heartbeat} />
              <Row label="Status" value={vm.status} />
              <Row label="Generation" value={String(vm.generation)} />
              <Row label="Configuration Version" value={vm.configurationVersion} />
            </dl>
          ))}
        {tab === 'Memory' && (
          <dl className="details-grid">
            <Row label="Startup Memory" value={`${vm.memoryStartupMB} MB`} />
            <Row label="Assigned Memory" value={running ? `${vm.memoryAssignedMB} MB` : ''} />
            <Row label="Dynamic Memory" value="Disabled" />
          </dl>
        )}
        {tab === 'Networking' && (
          <dl className="details-grid">
            <Row label="Adapter" value="Network Adapter" />
            <Row label="Connection" value="Not connected" />
            <Row label="IP Addresses" value="" />
            <Row label="Status" value={running ? 'OK' : ''} />
          </dl>
        )}
      </div>
      <div role="tablist" aria-label="Details" className="details-tabs">
        {TABS.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            onClick={() => setTab(t)}
          >
            {t}
          </button>
        ))}
      </div>
    </section>
  );
}
