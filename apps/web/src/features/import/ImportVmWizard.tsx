import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ImportMode, VmCompatibilityReport } from '@hvm/engine';
import { vmKeys } from '../../api/vms';
import { Dialog } from '../../shared/Dialog';
import { WizardButtons, WizardSteps } from '../../shared/WizardButtons';
import { ErrorSummary } from '../../shared/ErrorSummary';
import { useSingleFlight } from '../../shared/useSingleFlight';
import { useUiStore } from '../../stores/uiStore';
import { compareImport, importVirtualMachine, type ImportChoices } from './importApi';
import './import.css';

/**
 * Hyper-V Manager's Import Virtual Machine wizard (Actions ▸ Import Virtual Machine...; "Export and
 * Import virtual machines", Windows Server docs): Locate Folder, Select Virtual Machine, Choose
 * Import Type, Choose Destination (restore and copy only), Summary. The check before Finish is
 * Compare-VM's (POST /vms/import/compare); what it reports is listed and Finish stays off.
 */
export const IMPORT_PAGES = [
  'Locate Folder',
  'Select Virtual Machine',
  'Choose Import Type',
  'Choose Destination',
  'Summary',
] as const;
type Page = (typeof IMPORT_PAGES)[number];

/** The wizard's three import types, in Hyper-V's words (Choose Import Type page, the docs above). */
export const IMPORT_TYPES: { mode: ImportMode; caption: string }[] = [
  {
    mode: 'register',
    caption: 'Register the virtual machine in-place (use the existing unique ID)',
  },
  { mode: 'restore', caption: 'Restore the virtual machine (use the existing unique ID)' },
  { mode: 'copy', caption: 'Copy the virtual machine (create a new unique ID)' },
];

const trimmed = (value: string) => (value.trim() === '' ? undefined : value.trim());

export function ImportVmWizard() {
  const close = useUiStore((s) => s.closeDialog);
  const selectVm = useUiStore((s) => s.selectVm);
  const queryClient = useQueryClient();
  const [page, setPage] = useState<Page>('Locate Folder');
  const [path, setPath] = useState('Exports/');
  const [found, setFound] = useState<VmCompatibilityReport | null>(null);
  const [mode, setMode] = useState<ImportMode>('register');
  const [newName, setNewName] = useState('');
  const [vhdFolder, setVhdFolder] = useState('');
  const [vmFolder, setVmFolder] = useState('');
  const [snapshotFolder, setSnapshotFolder] = useState('');
  const [summary, setSummary] = useState<VmCompatibilityReport | null>(null);

  const choices = (): ImportChoices => {
    const name = trimmed(newName);
    const destination =
      mode === 'register'
        ? {}
        : {
            ...(trimmed(vhdFolder) === undefined ? {} : { vhdDestinationPath: vhdFolder.trim() }),
            ...(trimmed(vmFolder) === undefined ? {} : { virtualMachinePath: vmFolder.trim() }),
            ...(trimmed(snapshotFolder) === undefined
              ? {}
              : { snapshotFilePath: snapshotFolder.trim() }),
          };
    return {
      path: path.trim(),
      mode,
      ...(name === undefined ? {} : { newName: name }),
      ...destination,
    };
  };

  const locate = useMutation({
    mutationFn: () => compareImport({ path: path.trim(), mode: 'register' }),
  });
  const check = useMutation({ mutationFn: () => compareImport(choices()) });
  const run = useMutation({
    mutationFn: () => importVirtualMachine(choices()),
    onSuccess: async (vm) => {
      await queryClient.invalidateQueries({ queryKey: vmKeys.all });
      selectVm(vm.id);
      close();
    },
  });
  const flight = useSingleFlight(locate.isPending || check.isPending || run.isPending);

  const pages = IMPORT_PAGES.filter((p) => p !== 'Choose Destination' || mode !== 'register');
  const at = pages.indexOf(page);
  const goTo = (next: Page) => {
    if (next === 'Summary') {
      setSummary(null);
      flight.start(() => check.mutateAsync().then(setSummary));
    }
    setPage(next);
  };
  const next = () => {
    if (page === 'Locate Folder') {
      flight.start(() =>
        locate.mutateAsync().then((report) => {
          setFound(report);
          setPage('Select Virtual Machine');
        }),
      );
      return;
    }
    const following = pages[at + 1];
    if (following !== undefined) goTo(following);
  };
  const previous = () => {
    const before = pages[at - 1];
    if (before !== undefined) setPage(before);
  };
  const finishable =
    page === 'Summary' && summary !== null && summary.incompatibilities.length === 0;

  return (
    <Dialog
      title="Import Virtual Machine"
      onCancel={close}
      width={640}
      buttons={
        <WizardButtons
          onPrevious={previous}
          previousDisabled={at <= 0 || flight.busy}
          onNext={next}
          nextDisabled={
            page === 'Summary' || flight.busy || (page === 'Locate Folder' && path.trim() === '')
          }
          onFinish={() => flight.start(() => run.mutateAsync())}
          finishDisabled={!finishable || flight.busy}
          onLastPage={page === 'Summary'}
          onCancel={close}
        />
      }
    >
      <div className="import-wizard">
        <WizardSteps pages={pages} current={page} className="import-steps" />
        <section className="import-page" aria-label={page}>
          <h3>{page}</h3>
          {page === 'Locate Folder' && (
            <label className="field">
              <span>
                Specify the folder containing the virtual machine to import (relative to the
                host&apos;s data folder):
              </span>
              <input
                data-autofocus
                aria-label="Folder"
                value={path}
                onChange={(e) => setPath(e.target.value)}
              />
            </label>
          )}
          {page === 'Select Virtual Machine' && found !== null && (
            <div role="radiogroup" aria-label="Select the virtual machine to import">
              <label className="import-choice">
                <input type="radio" checked readOnly />
                <bdi>{found.vm.name}</bdi> ({found.vm.state}, {found.vm.checkpointCount}{' '}
                {found.vm.checkpointCount === 1 ? 'checkpoint' : 'checkpoints'})
              </label>
              <p className="import-note">Configuration: {found.path}</p>
            </div>
          )}
          {page === 'Choose Import Type' && (
            <div role="radiogroup" aria-label="Choose the type of import to perform">
              {IMPORT_TYPES.map((type) => (
                <label key={type.mode} className="import-choice">
                  <input
                    type="radio"
                    name="import-type"
                    checked={mode === type.mode}
                    onChange={() => setMode(type.mode)}
                  />
                  {type.caption}
                </label>
              ))}
            </div>
          )}
          {page === 'Choose Destination' && (
            <>
              <label className="field">
                <span>Virtual hard disk folder (default: Hyper-V Settings):</span>
                <input
                  aria-label="Virtual hard disk folder"
                  value={vhdFolder}
                  onChange={(e) => setVhdFolder(e.target.value)}
                />
              </label>
              <label className="field">
                <span>Virtual machine folder (default: Hyper-V Settings):</span>
                <input
                  aria-label="Virtual machine folder"
                  value={vmFolder}
                  onChange={(e) => setVmFolder(e.target.value)}
                />
              </label>
              <label className="field">
                <span>Checkpoint store (default: Snapshots under the virtual machine folder):</span>
                <input
                  aria-label="Checkpoint store"
                  value={snapshotFolder}
                  onChange={(e) => setSnapshotFolder(e.target.value)}
                />
              </label>
            </>
          )}
          {(page === 'Choose Import Type' || page === 'Choose Destination') && (
            // This host's own field: it keeps one VM per name, so a copy beside its source needs another.
            <label className="field">
              <span>Name of the imported virtual machine (empty: keep the name):</span>
              <input
                aria-label="New name"
                value={newName}
                onChange={(e) => setNewName(e.target.value)}
              />
            </label>
          )}
          {page === 'Summary' && (
            <>
              <dl className="import-summary">
                <dt>Virtual machine</dt>
                <dd>
                  <bdi>{trimmed(newName) ?? found?.vm.name ?? ''}</bdi>
                </dd>
                <dt>Import file</dt>
                <dd>{found?.path ?? path}</dd>
                <dt>Import type</dt>
                <dd>{IMPORT_TYPES.find((t) => t.mode === mode)?.caption}</dd>
              </dl>
              {summary !== null && summary.incompatibilities.length > 0 && (
                <div role="alert" className="error-text">
                  <p>The virtual machine cannot be imported until these are fixed:</p>
                  <ul>
                    {summary.incompatibilities.map((item) => (
                      <li key={`${item.messageId}-${item.source}`}>{item.message}</li>
                    ))}
                  </ul>
                </div>
              )}
            </>
          )}
          <ErrorSummary
            summary="The folder holds no virtual machine that can be read."
            error={locate.error}
          />
          <ErrorSummary summary="The import could not be checked." error={check.error} />
          <ErrorSummary summary="The virtual machine could not be imported." error={run.error} />
        </section>
      </div>
    </Dialog>
  );
}
