import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Checkpoint, VmSummary } from '@hvm/engine';
import { guestImagesQuery } from '../../api/guests';
import { vmQuery } from '../../api/vms';
import { useClock } from '../../shared/clock';
import { formatBytes, formatDateTime, formatUptime } from '../../shared/format';
import { CONSISTENCY_MEANINGS } from '../checkpoints/ConsistencyBadge';
import { useSelectedCheckpoint } from '../checkpoints/useSelectedCheckpoint';
import { NetworkingTab } from './NetworkingTab';
import { liveUptimeMs } from './vmColumns';
import './vms.css';

type Tab = 'Summary' | 'Memory' | 'Networking';
const TABS: readonly Tab[] = ['Summary', 'Memory', 'Networking'];

function Row({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <>
      <dt>{label}:</dt>
      <dd>{value}</dd>
    </>
  );
}

/** The Uptime value: the only part of the pane that re-renders every second. */
function LiveUptime({ vm }: { vm: VmSummary }) {
  const now = useClock(vm.state === 'Running');
  if (vm.state !== 'Running' && vm.state !== 'Paused') return null;
  return <>{formatUptime(liveUptimeMs(vm, now))}</>;
}

function CheckpointSummary({ checkpoint }: { checkpoint: Checkpoint }) {
  return (
    <dl className="details-grid">
      <Row label="Checkpoint" value={<bdi>{checkpoint.name}</bdi>} />
      <Row label="Checkpoint type" value={checkpoint.kind} />
      <Row label="Created" value={formatDateTime(checkpoint.createdAt)} />
      <Row label="State when taken" value={checkpoint.vmState} />
      <Row label="Memory saved" value={checkpoint.hasSavedState ? 'Yes' : 'No'} />
      <Row
        label="Consistency"
        value={
          checkpoint.consistency === null
            ? 'Not checked (blank disk)'
            : `${CONSISTENCY_MEANINGS[checkpoint.consistency]}${checkpoint.consistencyDetail ? `. ${checkpoint.consistencyDetail}` : ''}`
        }
      />
      <Row label="Size on disk" value={formatBytes(checkpoint.sizeOnDiskBytes)} />
      {checkpoint.note && <Row label="Note" value={checkpoint.note} />}
    </dl>
  );
}

/** The bottom pane: Summary / Memory / Networking of the selected VM (or selected checkpoint). */
export function DetailsPane({ vm }: { vm: VmSummary }) {
  const [tab, setTab] = useState<Tab>('Summary');
  const { data: detail } = useQuery(vmQuery(vm.id));
  const { data: gallery } = useQuery(guestImagesQuery());
  const checkpoint = useSelectedCheckpoint(vm.id);
  const running = vm.state === 'Running' || vm.state === 'Paused';
  // The engine's Heartbeat: a running guest that does not answer is "No Contact" (R34).
  const heartbeat =
    detail && !detail.integrationServices.heartbeat
      ? 'Disabled'
      : vm.state === 'Running' && detail?.heartbeat !== 'NoContact'
        ? 'OK'
        : 'No Contact';
  const image = gallery?.find((g) => g.name === vm.guestImage);
  const guest =
    vm.guestImage === null
      ? 'None (blank disk)'
      : image
        ? `${image.caption} (${image.os})`
        : vm.guestImage;

  return (
    <section className="details-pane" aria-label={`Details for ${checkpoint?.name ?? vm.name}`}>
      <div className="pane-title">
        <bdi>{checkpoint ? checkpoint.name : vm.name}</bdi>
      </div>
      <div className="details-body">
        {tab === 'Summary' &&
          (checkpoint ? (
            <CheckpointSummary checkpoint={checkpoint} />
          ) : (
            <dl className="details-grid">
              <Row label="Name" value={<bdi>{vm.name}</bdi>} />
              <Row label="State" value={vm.state} />
              <Row label="Uptime" value={<LiveUptime vm={vm} />} />
              <Row label="Checkpoint type" value={vm.checkpointType} />
              <Row label="Heartbeat" value={heartbeat} />
              <Row label="Guest operating system" value={guest} />
              <Row label="Created" value={formatDateTime(vm.createdAt)} />
              <Row label="Status" value={vm.status} />
              <Row label="Generation" value={String(vm.generation)} />
              <Row label="Configuration Version" value={vm.configurationVersion} />
            </dl>
          ))}
        {tab === 'Memory' && (
          <dl className="details-grid">
            <Row label="Startup Memory" value={`${vm.memoryStartupMB} MB`} />
            <Row label="Dynamic Memory" value="Disabled" />
            <Row label="Assigned Memory" value={running ? `${vm.memoryAssignedMB} MB` : ''} />
            <Row label="Memory Demand" value={running ? `${vm.memoryAssignedMB} MB` : ''} />
            <Row label="Memory Status" value={running ? 'OK' : ''} />
          </dl>
        )}
        {tab === 'Networking' && <NetworkingTab detail={detail} />}
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
