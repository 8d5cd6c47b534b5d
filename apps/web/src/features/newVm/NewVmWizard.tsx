import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { diskKeys } from '../../api/disks';
import { hostQuery } from '../../api/host';
import { Dialog } from '../../shared/Dialog';
import { WizardButtons } from '../../shared/WizardButtons';
import { ErrorSummary } from '../../shared/ErrorSummary';
import { useSingleFlight } from '../../shared/useSingleFlight';
import { useUiStore } from '../../stores/uiStore';
import { useCreateVm } from '../vms/useVmMutations';
import {
  NEW_VM_PAGES,
  createVmInput,
  defaultChoices,
  problemsOf,
  type FieldProblem,
  type NewVmChoices,
  type NewVmPage,
} from './newVmModel';
import {
  AssignMemory,
  BeforeYouBegin,
  ConfigureNetworking,
  ConnectVirtualHardDisk,
  InstallationOptions,
  SpecifyGeneration,
  SpecifyNameAndLocation,
  Summary,
  type PageProps,
} from './NewVmPages';
import '../vms/vms.css';
import './newVm.css';

const PAGE_BODIES: Record<NewVmPage, (props: PageProps) => React.ReactNode> = {
  'Before You Begin': BeforeYouBegin,
  'Specify Name and Location': SpecifyNameAndLocation,
  'Specify Generation': SpecifyGeneration,
  'Assign Memory': AssignMemory,
  'Configure Networking': ConfigureNetworking,
  'Connect Virtual Hard Disk': ConnectVirtualHardDisk,
  'Installation Options': InstallationOptions,
  Summary,
};

/**
 * New > Virtual Machine...: Hyper-V Manager's New Virtual Machine Wizard (pages and defaults in
 * newVmModel.ts). Next and the page list move on only when the page's fields are valid; a problem
 * is shown beside its field and goes as soon as the value is fixed. Finish, on any page, checks
 * every page and opens the first one with a problem.
 */
export function NewVmWizard() {
  const close = useUiStore((s) => s.closeDialog);
  const selectVm = useUiStore((s) => s.selectVm);
  const queryClient = useQueryClient();
  const host = useQuery(hostQuery());
  const create = useCreateVm();
  const flight = useSingleFlight(create.isPending);
  const [page, setPage] = useState<NewVmPage>('Before You Begin');
  const [edited, setChoices] = useState<NewVmChoices>(() => defaultChoices(''));
  const [diskNameEdited, setDiskNameEdited] = useState(false);
  const [locationEdited, setLocationEdited] = useState(false);
  /** Fields whose problem is on show: they are checked again at every change. */
  const [shown, setShown] = useState<Set<FieldProblem['field']>>(new Set());
  const pageRef = useRef<HTMLElement>(null);

  const hostFolder = host.data?.virtualHardDiskPath ?? '';
  // The new disk's folder is the host's (Hyper-V Settings' Virtual Hard Disks) until edited.
  const choices: NewVmChoices = locationEdited
    ? edited
    : { ...edited, diskLocation: hostFolder === '.' ? '' : hostFolder };

  useEffect(() => {
    pageRef.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, [page]);

  const problems = problemsOf(choices);
  const problemOf = (field: FieldProblem['field']) =>
    shown.has(field) ? (problems.find((p) => p.field === field)?.message ?? null) : null;

  const change = (update: Partial<NewVmChoices>) => {
    if (update.diskName !== undefined) setDiskNameEdited(true);
    if (update.diskLocation !== undefined) setLocationEdited(true);
    setChoices((c) => {
      const next = { ...c, ...update };
      // The new disk is named after the VM ("<vmname>.vhdx") until its name is edited.
      if (update.name !== undefined && !diskNameEdited)
        next.diskName = `${update.name.trim()}.vhdx`;
      if (update.disk !== undefined && update.disk !== 'create') next.guestImage = null;
      return next;
    });
  };

  /** Shows the problems of `pages`; true when there are none. */
  const check = (pages: readonly NewVmPage[]): boolean => {
    const found = problems.filter((p) => pages.includes(p.page));
    if (found.length === 0) return true;
    setShown((s) => new Set([...s, ...found.map((p) => p.field)]));
    const first = found[0];
    if (first !== undefined) setPage(first.page);
    return false;
  };

  const at = NEW_VM_PAGES.indexOf(page);
  const goTo = (target: NewVmPage) => {
    const index = NEW_VM_PAGES.indexOf(target);
    if (index <= at || check(NEW_VM_PAGES.slice(0, index))) setPage(target);
  };

  const finish = () => {
    if (!check(NEW_VM_PAGES)) return;
    flight.start(async () => {
      const vm = await create.mutateAsync(createVmInput(choices));
      void queryClient.invalidateQueries({ queryKey: diskKeys.all });
      selectVm(vm.id);
      close();
    });
  };

  const Body = PAGE_BODIES[page];
  return (
    <Dialog
      title="New Virtual Machine Wizard"
      onCancel={close}
      width={680}
      buttons={
        <WizardButtons
          onPrevious={() => {
            const before = NEW_VM_PAGES[at - 1];
            if (before !== undefined) setPage(before);
          }}
          previousDisabled={at <= 0 || flight.busy}
          onNext={() => {
            const following = NEW_VM_PAGES[at + 1];
            if (following !== undefined) goTo(following);
          }}
          nextDisabled={page === 'Summary' || flight.busy}
          onFinish={finish}
          finishDisabled={flight.busy}
          onLastPage={page === 'Summary'}
          onCancel={close}
        />
      }
    >
      <div className="new-vm-wizard">
        <nav aria-label="Wizard pages">
          <ol className="new-vm-steps">
            {NEW_VM_PAGES.map((p) => (
              <li key={p}>
                <button
                  type="button"
                  className="new-vm-step"
                  aria-current={p === page ? 'step' : undefined}
                  onClick={() => goTo(p)}
                  disabled={flight.busy}
                >
                  {p}
                </button>
              </li>
            ))}
          </ol>
        </nav>
        <section className="new-vm-page" aria-label={page} ref={pageRef}>
          <h3>{page}</h3>
          <Body choices={choices} change={change} problemOf={problemOf} />
          <ErrorSummary summary="The virtual machine could not be created." error={create.error} />
        </section>
      </div>
    </Dialog>
  );
}
