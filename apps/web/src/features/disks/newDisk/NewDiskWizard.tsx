import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { DiskInspection } from '@hvm/engine';
import { request } from '../../../api/client';
import { diskKeys } from '../../../api/disks';
import { hostQuery } from '../../../api/host';
import { Dialog } from '../../../shared/Dialog';
import { WizardButtons, WizardSteps } from '../../../shared/WizardButtons';
import { ErrorSummary } from '../../../shared/ErrorSummary';
import { DiskTaskProgress } from '../DiskTaskProgress';
import { useSingleFlight } from '../../../shared/useSingleFlight';
import { useUiStore } from '../../../stores/uiStore';
import '../editDisk/editDisk.css';

/**
 * Hyper-V Manager's New Virtual Hard Disk wizard (Actions ▸ New ▸ Hard Disk...): Before You Begin,
 * Choose Disk Type, Specify Name and Location, Configure Disk, Summary. Hyper-V's Choose Disk
 * Format page (VHD, VHDX, VHD Set) is left out: this host makes VHDX only. The disk types and
 * their captions are New-VHD's (-Fixed, -Dynamic, -Differencing); 127 GB is Hyper-V Manager's
 * default size for a new disk [B: remembered from the wizard, not found in a source].
 */
export const NEW_DISK_PAGES = [
  'Before You Begin',
  'Choose Disk Type',
  'Specify Name and Location',
  'Configure Disk',
  'Summary',
] as const;
type Page = (typeof NEW_DISK_PAGES)[number];
type DiskType = 'Fixed' | 'Dynamic' | 'Differencing';

const TYPE_CAPTIONS: Record<DiskType, string> = {
  Fixed: 'Fixed size',
  Dynamic: 'Dynamically expanding',
  Differencing: 'Differencing',
};
const GB = 1024 ** 3;

type NewDiskBody =
  { path: string; sizeBytes: number; fixed: boolean } | { path: string; parentPath: string };

function joinPath(folder: string, name: string): string {
  const f = folder.trim().replace(/[/\\]+$/, '');
  return f === '' || f === '.' ? name.trim() : `${f}/${name.trim()}`;
}

export function NewDiskWizard() {
  const close = useUiStore((s) => s.closeDialog);
  const openDialog = useUiStore((s) => s.openDialog);
  const queryClient = useQueryClient();
  const { data: host } = useQuery(hostQuery());
  const [page, setPage] = useState<Page>('Before You Begin');
  const [type, setType] = useState<DiskType>('Dynamic');
  const [name, setName] = useState('New Virtual Hard Disk.vhdx');
  const [folder, setFolder] = useState<string | null>(null);
  const [sizeGb, setSizeGb] = useState('127');
  const [parent, setParent] = useState('');
  const location = folder ?? host?.virtualHardDiskPath ?? 'Virtual Hard Disks';
  const path = joinPath(location, name);
  const gb = Number(sizeGb);
  const body: NewDiskBody | null =
    name.trim() === ''
      ? null
      : type === 'Differencing'
        ? parent.trim() === ''
          ? null
          : { path, parentPath: parent.trim() }
        : Number.isInteger(gb) && gb > 0 && gb <= 64 * 1024
          ? { path, sizeBytes: gb * GB, fixed: type === 'Fixed' }
          : null;

  const create = useMutation({
    mutationFn: (input: NewDiskBody) =>
      request<DiskInspection>('/disks', { method: 'POST', body: input }),
    onSuccess: (disk) => {
      void queryClient.invalidateQueries({ queryKey: diskKeys.all });
      // Hyper-V Manager shows nothing more; Inspect Disk opens on the new file so it can be seen.
      openDialog({ kind: 'inspect-disk', path: disk.path });
    },
  });
  const flight = useSingleFlight(create.isPending);
  const at = NEW_DISK_PAGES.indexOf(page);
  const move = (by: number) => {
    const to = NEW_DISK_PAGES[at + by];
    if (to !== undefined) setPage(to);
  };
  const nextEnabled =
    page !== 'Summary' &&
    (page !== 'Specify Name and Location' || name.trim() !== '') &&
    (page !== 'Configure Disk' || body !== null);

  return (
    <Dialog
      title="New Virtual Hard Disk Wizard"
      onCancel={close}
      width={640}
      buttons={
        <WizardButtons
          onPrevious={() => move(-1)}
          previousDisabled={at <= 0 || flight.busy}
          onNext={() => move(1)}
          nextDisabled={!nextEnabled || flight.busy}
          onFinish={() => {
            if (body !== null) flight.start(() => create.mutateAsync(body));
          }}
          finishDisabled={page !== 'Summary' || body === null || flight.busy}
          onLastPage={page === 'Summary'}
          onCancel={close}
          cancelDisabled={create.isPending}
        />
      }
    >
      <div className="edit-disk-wizard">
        <WizardSteps pages={NEW_DISK_PAGES} current={page} className="edit-disk-steps" />
        <section className="edit-disk-page" aria-label={page}>
          <h3>{page}</h3>
          {page === 'Before You Begin' && (
            <p>This wizard helps you create a new virtual hard disk file in the VHDX format.</p>
          )}
          {page === 'Choose Disk Type' && (
            <div
              role="radiogroup"
              aria-label="What type of virtual hard disk do you want to create?"
            >
              {(['Fixed', 'Dynamic', 'Differencing'] as const).map((t) => (
                <label key={t} className="edit-disk-choice">
                  <input
                    type="radio"
                    name="new-disk-type"
                    checked={type === t}
                    onChange={() => setType(t)}
                  />
                  {TYPE_CAPTIONS[t]}
                </label>
              ))}
            </div>
          )}
          {page === 'Specify Name and Location' && (
            <>
              <label className="field">
                <span>Name:</span>
                <input
                  data-autofocus
                  aria-label="Name"
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                />
              </label>
              <label className="field">
                <span>Location (relative to the host&apos;s data folder):</span>
                <input
                  aria-label="Location"
                  value={location}
                  onChange={(e) => setFolder(e.target.value)}
                />
              </label>
            </>
          )}
          {page === 'Configure Disk' &&
            (type === 'Differencing' ? (
              <label className="field">
                <span>Path of the parent virtual hard disk:</span>
                <input
                  data-autofocus
                  aria-label="Parent"
                  value={parent}
                  onChange={(e) => setParent(e.target.value)}
                />
              </label>
            ) : (
              <label className="field edit-disk-size">
                <span>Size:</span>
                <input
                  data-autofocus
                  aria-label="Size (GB)"
                  type="number"
                  min={1}
                  value={sizeGb}
                  onChange={(e) => setSizeGb(e.target.value)}
                />
                <span>GB (maximum: 64 TB)</span>
              </label>
            ))}
          {page === 'Summary' && (
            <dl className="edit-disk-summary" aria-label="Description">
              <dt>Format:</dt>
              <dd>VHDX</dd>
              <dt>Type:</dt>
              <dd>{TYPE_CAPTIONS[type]}</dd>
              <dt>Name:</dt>
              <dd>{name.trim()}</dd>
              <dt>Location:</dt>
              <dd>{path}</dd>
              {type === 'Differencing' ? (
                <>
                  <dt>Parent:</dt>
                  <dd>{parent.trim()}</dd>
                </>
              ) : (
                <>
                  <dt>Size:</dt>
                  <dd>{sizeGb} GB</dd>
                </>
              )}
            </dl>
          )}
          {page === 'Summary' && create.isPending && (
            <DiskTaskProgress path={path} label="Creating the virtual hard disk..." />
          )}
          <ErrorSummary
            summary="The virtual hard disk could not be created."
            error={create.error}
          />
        </section>
      </div>
    </Dialog>
  );
}
