import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { DiskInspection } from '@hvm/engine';
import { diskInspectionQuery, diskKeys, disksQuery } from '../../../api/disks';
import { Dialog } from '../../../shared/Dialog';
import { WizardButtons, WizardSteps } from '../../../shared/WizardButtons';
import { ErrorSummary } from '../../../shared/ErrorSummary';
import { formatBytes } from '../../../shared/format';
import { useSingleFlight } from '../../../shared/useSingleFlight';
import { useUiStore } from '../../../stores/uiStore';
import { DiskTaskProgress } from '../DiskTaskProgress';
import { PathText } from '../InspectDiskDialog';
import {
  EDIT_DISK_ACTIONS,
  actionsFor,
  pagesFor,
  suggestedCopyPath,
  type EditDiskAction,
  type EditDiskPage,
} from './editDiskActions';
import { editDisk, type EditDiskRequest } from './editDiskApi';
import {
  BeforeYouBegin,
  ChooseAction,
  ConfigureDisk,
  LocateDisk,
  newSizeBytes,
  type DiskConfiguration,
} from './EditDiskPages';
import './editDisk.css';

/** What Finish will ask of the server, or null while the pages are not filled in. */
function requestOf(
  disk: DiskInspection,
  action: EditDiskAction,
  config: DiskConfiguration,
): EditDiskRequest | null {
  const copy = config.copyPath.trim();
  switch (action) {
    case 'compact':
      return { action, path: disk.path };
    case 'expand': {
      const sizeBytes = newSizeBytes(disk, config.newSizeGb);
      return sizeBytes === null ? null : { action, path: disk.path, sizeBytes };
    }
    case 'convert':
      return copy === ''
        ? null
        : { action, path: disk.path, destinationPath: copy, vhdType: config.convertTo };
    case 'merge':
      if (config.mergeInto === 'parent') return { action, path: disk.path };
      // Into a new disk: what the chain shows, copied into a standalone dynamic disk (Convert-VHD).
      return copy === ''
        ? null
        : { action: 'convert', path: disk.path, destinationPath: copy, vhdType: 'Dynamic' };
  }
}

/**
 * Hyper-V Manager's Edit Virtual Hard Disk wizard (the host's Actions ▸ Edit Disk...): Before You
 * Begin, Locate Disk, Choose Action (only the actions the disk's type allows), Configure Disk,
 * Summary; Finish runs the edit and shows its host task's percentage until the server answers.
 */
export function EditDiskWizard({ path: initialPath }: { path: string | null }) {
  const close = useUiStore((s) => s.closeDialog);
  const queryClient = useQueryClient();
  const { data: disks } = useQuery(disksQuery());
  const [page, setPage] = useState<EditDiskPage>('Before You Begin');
  const [path, setPath] = useState(initialPath ?? '');
  const [disk, setDisk] = useState<DiskInspection | null>(null);
  const [action, setAction] = useState<EditDiskAction | null>(null);
  const [config, setConfig] = useState<DiskConfiguration>({
    convertTo: 'Fixed',
    copyPath: '',
    newSizeGb: '',
    mergeInto: 'parent',
  });

  const locate = useMutation({
    mutationFn: () => queryClient.fetchQuery({ ...diskInspectionQuery(path.trim()), staleTime: 0 }),
  });
  const run = useMutation({
    mutationFn: (edit: EditDiskRequest) => editDisk(edit),
    onSuccess: () => {
      close();
      // The disk list and every inspected disk (a merged file is gone, a compacted one smaller).
      void queryClient.invalidateQueries({ queryKey: diskKeys.all });
    },
  });
  const flight = useSingleFlight(locate.isPending || run.isPending);

  const pages = pagesFor(action);
  const at = pages.indexOf(page);
  const edit = disk !== null && action !== null ? requestOf(disk, action, config) : null;

  const chooseAction = (next: EditDiskAction, on: DiskInspection | null = disk) => {
    setAction(next);
    if (on === null) return;
    if (next === 'convert') {
      const to = on.type === 'Fixed' ? 'Dynamic' : 'Fixed';
      setConfig((c) => ({
        ...c,
        convertTo: to,
        copyPath: suggestedCopyPath(on.path, to.toLowerCase()),
      }));
    }
    if (next === 'merge')
      setConfig((c) => ({ ...c, copyPath: suggestedCopyPath(on.path, 'merged') }));
  };
  const next = () => {
    if (page === 'Locate Disk') {
      flight.start(() =>
        locate.mutateAsync().then((found) => {
          const offered = actionsFor(found.type);
          setDisk(found);
          setAction(null);
          setConfig((c) => ({ ...c, newSizeGb: '' }));
          setPage('Choose Action');
          // One action only (a fixed disk: Convert): it is chosen already.
          if (offered.length === 1 && offered[0] !== undefined) chooseAction(offered[0], found);
        }),
      );
      return;
    }
    const following = pages[at + 1];
    if (following !== undefined) setPage(following);
  };
  const previous = () => {
    const before = pages[at - 1];
    if (before !== undefined) setPage(before);
  };
  const nextEnabled =
    !flight.busy &&
    page !== 'Summary' &&
    (page !== 'Locate Disk' || path.trim() !== '') &&
    (page !== 'Choose Action' || action !== null) &&
    (page !== 'Configure Disk' || edit !== null);

  return (
    <Dialog
      title="Edit Virtual Hard Disk Wizard"
      onCancel={close}
      width={680}
      buttons={
        <WizardButtons
          onPrevious={previous}
          previousDisabled={at <= 0 || flight.busy}
          onNext={next}
          nextDisabled={!nextEnabled}
          onFinish={() => {
            if (edit !== null) flight.start(() => run.mutateAsync(edit));
          }}
          finishDisabled={page !== 'Summary' || edit === null || flight.busy}
          onLastPage={page === 'Summary'}
          onCancel={close}
          cancelDisabled={run.isPending}
        />
      }
    >
      <div className="edit-disk-wizard">
        <WizardSteps pages={pages} current={page} className="edit-disk-steps" />
        <section className="edit-disk-page" aria-label={page}>
          <h3>{page}</h3>
          {page === 'Before You Begin' && <BeforeYouBegin />}
          {page === 'Locate Disk' && (
            <LocateDisk path={path} onPath={setPath} disks={disks ?? []} />
          )}
          {page === 'Choose Action' && disk !== null && (
            <ChooseAction
              disk={disk}
              actions={actionsFor(disk.type)}
              action={action}
              onAction={chooseAction}
            />
          )}
          {page === 'Configure Disk' && disk !== null && action !== null && (
            <ConfigureDisk
              disk={disk}
              action={action}
              config={config}
              onChange={(change) => setConfig((c) => ({ ...c, ...change }))}
            />
          )}
          {page === 'Summary' && disk !== null && action !== null && edit !== null && (
            <>
              <p>You are about to make the following changes:</p>
              <dl className="edit-disk-summary" aria-label="Description">
                <dt>Virtual hard disk:</dt>
                <dd>
                  <PathText path={disk.path} />
                </dd>
                <dt>Action:</dt>
                <dd>{EDIT_DISK_ACTIONS[action].caption}</dd>
                {edit.action === 'expand' && (
                  <>
                    <dt>New size:</dt>
                    <dd>{formatBytes(edit.sizeBytes)}</dd>
                  </>
                )}
                {edit.action === 'convert' && (
                  <>
                    <dt>New virtual hard disk:</dt>
                    <dd>
                      <PathText path={edit.destinationPath} />
                    </dd>
                    <dt>Type:</dt>
                    <dd>{edit.vhdType === 'Fixed' ? 'Fixed size' : 'Dynamically expanding'}</dd>
                  </>
                )}
                {edit.action === 'merge' && disk.parentPath !== null && (
                  <>
                    <dt>Merge into:</dt>
                    <dd>
                      <PathText path={disk.parentPath} />
                    </dd>
                  </>
                )}
              </dl>
              {run.isPending && (
                <DiskTaskProgress path={disk.path} label="Editing the virtual hard disk..." />
              )}
            </>
          )}
          <ErrorSummary summary="The virtual hard disk could not be opened." error={locate.error} />
          <ErrorSummary summary="The virtual hard disk could not be edited." error={run.error} />
        </section>
      </div>
    </Dialog>
  );
}
