import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { disksQuery } from '../../api/disks';
import { guestImagesQuery } from '../../api/guests';
import { switchesQuery } from '../../api/switches';
import { ErrorSummary } from '../../shared/ErrorSummary';
import {
  DISK_CHOICES,
  INSTALL_LATER_CAPTION,
  MAX_MEMORY_MB,
  MIN_MEMORY_MB,
  createVmInput,
  type FieldProblem,
  type NewVmChoices,
} from './newVmModel';

export interface PageProps {
  choices: NewVmChoices;
  change: (update: Partial<NewVmChoices>) => void;
  problemOf: (field: FieldProblem['field']) => string | null;
}

/** A text field with its problem shown right below it (and named as its description). */
function TextField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  problem: string | null;
  autoFocus?: boolean;
  list?: string;
  inputMode?: 'numeric';
}) {
  const id = useId();
  return (
    <div className="new-vm-field">
      <label className="field">
        <span>{props.label}</span>
        <input
          type="text"
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          aria-invalid={props.problem !== null}
          aria-describedby={props.problem === null ? undefined : `${id}-problem`}
          {...(props.autoFocus === true ? { 'data-autofocus': true } : {})}
          {...(props.list === undefined ? {} : { list: props.list })}
          {...(props.inputMode === undefined ? {} : { inputMode: props.inputMode })}
        />
      </label>
      {props.problem !== null && (
        <span id={`${id}-problem`} role="alert" className="error-text new-vm-problem">
          {props.problem}
        </span>
      )}
    </div>
  );
}

/*
 * [B] The page texts below are close to Hyper-V Manager's as remembered (Before You Begin: Finish
 * creates a VM with default values, Next a custom one); Microsoft does not publish them, so they
 * are this console's words where they differ.
 */
export function BeforeYouBegin() {
  return (
    <>
      <p>
        This wizard helps you create a virtual machine. You can configure it now and change its
        configuration later in Hyper-V Manager.
      </p>
      <p>To create a virtual machine, do one of the following:</p>
      <ul>
        <li>Click Finish to create a virtual machine that is configured with default values.</li>
        <li>Click Next to create a virtual machine with a custom configuration.</li>
      </ul>
    </>
  );
}

export function SpecifyNameAndLocation({ choices, change, problemOf }: PageProps) {
  return (
    <>
      <p>Choose a name and location for this virtual machine.</p>
      <TextField
        label="Name:"
        value={choices.name}
        onChange={(name) => change({ name })}
        problem={problemOf('name')}
        autoFocus
      />
      <p className="explain">
        This host keeps every virtual machine&apos;s configuration in its data folder&apos;s
        &quot;Virtual Machines&quot; folder.
      </p>
    </>
  );
}

export function SpecifyGeneration({ choices, change }: PageProps) {
  return (
    <div role="radiogroup" aria-label="Choose the generation of this virtual machine">
      {([1, 2] as const).map((generation) => (
        <label key={generation} className="check new-vm-choice">
          <input
            type="radio"
            name="new-vm-generation"
            checked={choices.generation === generation}
            onChange={() => change({ generation })}
            {...(choices.generation === generation ? { 'data-autofocus': true } : {})}
          />
          Generation {generation}
        </label>
      ))}
      <p className="explain">
        Once a virtual machine has been created, you cannot change its generation.
      </p>
    </div>
  );
}

export function AssignMemory({ choices, change, problemOf }: PageProps) {
  return (
    <>
      <p>
        Specify the amount of memory to allocate to this virtual machine. You can specify an amount
        from {MIN_MEMORY_MB} MB through {MAX_MEMORY_MB} MB, a multiple of 2 MB.
      </p>
      <TextField
        label="Startup memory (MB):"
        value={choices.memoryMB}
        onChange={(memoryMB) => change({ memoryMB })}
        problem={problemOf('memory')}
        inputMode="numeric"
        autoFocus
      />
      <label className="check">
        <input
          type="checkbox"
          checked={choices.dynamicMemory}
          onChange={(e) => change({ dynamicMemory: e.target.checked })}
        />
        {/* The checkbox's caption as a public walkthrough quotes it (gist felixwetell/688da388). */}
        Use Dynamic Memory for this virtual machine.
      </label>
    </>
  );
}

export function ConfigureNetworking({ choices, change }: PageProps) {
  // "Not connected" is the page's default (the options table in newVmModel.ts); the host's virtual
  // switches (Virtual Switch Manager) follow it, as in Hyper-V Manager's list.
  const switches = useQuery(switchesQuery());
  return (
    <label className="field new-vm-field">
      <span>Connection:</span>
      <select
        data-autofocus
        value={choices.switchId ?? ''}
        onChange={(e) => change({ switchId: e.target.value === '' ? null : e.target.value })}
      >
        <option value="">Not Connected</option>
        {(switches.data ?? []).map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ConnectVirtualHardDisk({ choices, change, problemOf }: PageProps) {
  const disks = useQuery({ ...disksQuery(), enabled: choices.disk === 'existing' });
  const listId = useId();
  const free = (disks.data ?? []).filter((d) => d.usedBy.length === 0);
  return (
    <>
      <p>
        A virtual machine requires storage so that you can install an operating system. You can
        specify the storage now or configure it later by modifying the virtual machine&apos;s
        properties.
      </p>
      <div role="radiogroup" aria-label="Virtual hard disk">
        {DISK_CHOICES.map(({ choice, caption }) => (
          <div key={choice} className="new-vm-disk-choice">
            <label className="check new-vm-choice">
              <input
                type="radio"
                name="new-vm-disk"
                checked={choices.disk === choice}
                onChange={() => change({ disk: choice })}
                {...(choices.disk === choice ? { 'data-autofocus': true } : {})}
              />
              {caption}
            </label>
            {choice === 'create' && choices.disk === 'create' && (
              <div className="new-vm-indent">
                <TextField
                  label="Name:"
                  value={choices.diskName}
                  onChange={(diskName) => change({ diskName })}
                  problem={problemOf('diskName')}
                />
                <TextField
                  label="Location:"
                  value={choices.diskLocation}
                  onChange={(diskLocation) => change({ diskLocation })}
                  problem={problemOf('diskLocation')}
                />
                <TextField
                  label="Size (GB):"
                  value={choices.diskSizeGB}
                  onChange={(diskSizeGB) => change({ diskSizeGB })}
                  problem={problemOf('diskSize')}
                  inputMode="numeric"
                />
              </div>
            )}
            {choice === 'existing' && choices.disk === 'existing' && (
              <div className="new-vm-indent">
                <TextField
                  label="Location:"
                  value={choices.existingPath}
                  onChange={(existingPath) => change({ existingPath })}
                  problem={problemOf('existingPath')}
                  list={listId}
                />
                <datalist id={listId}>
                  {free.map((d) => (
                    <option key={d.path} value={d.path} />
                  ))}
                </datalist>
                <p className="explain">
                  A .vhdx file in the host&apos;s data folder that no virtual machine uses, such as
                  one made by another tool; it is used where it is, not copied.
                </p>
              </div>
            )}
          </div>
        ))}
      </div>
      <p className="explain">Paths are relative to the host&apos;s data folder.</p>
    </>
  );
}

export function InstallationOptions({ choices, change }: PageProps) {
  const gallery = useQuery(guestImagesQuery());
  const groupId = useId();
  const newDisk = choices.disk === 'create';
  return (
    <>
      <p>
        You can install an operating system now if you have access to the setup media, or you can
        install it later. This host installs guests from its Quick Create gallery onto a new virtual
        hard disk.
      </p>
      <div role="radiogroup" aria-label="Operating system" className="gallery-list">
        <label className={`gallery-item${choices.guestImage === null ? ' chosen' : ''}`}>
          <input
            type="radio"
            name={`${groupId}-image`}
            checked={choices.guestImage === null}
            onChange={() => change({ guestImage: null })}
            data-autofocus
          />
          <span className="gallery-text">
            <span className="gallery-caption">{INSTALL_LATER_CAPTION}</span>
          </span>
        </label>
        {(gallery.data ?? []).map((g) => (
          <label
            key={g.name}
            className={`gallery-item${choices.guestImage === g.name ? ' chosen' : ''}`}
          >
            <input
              type="radio"
              name={`${groupId}-image`}
              checked={choices.guestImage === g.name}
              disabled={!newDisk}
              onChange={() => change({ guestImage: g.name })}
            />
            <span className="gallery-text">
              <span className="gallery-caption">{g.caption}</span>
              <span className="gallery-description">
                {g.os}
                {g.application ? ` · ${g.application}` : ''}
                {g.integrationServices ? '' : ' · no integration services'}
              </span>
            </span>
          </label>
        ))}
      </div>
      {!newDisk && (
        <p className="explain">
          The gallery installs onto a new virtual hard disk: choose &quot;Create a virtual hard
          disk&quot; to use it.
        </p>
      )}
      {gallery.isPending && <p className="explain">Loading the gallery...</p>}
      <ErrorSummary
        summary="The gallery could not be loaded; the operating system can be installed later."
        error={gallery.error}
      />
    </>
  );
}

/** Summary: the choices, under the names Microsoft's options table lists for this page. */
export function Summary({ choices }: PageProps) {
  const input = createVmInput(choices);
  const gallery = useQuery(guestImagesQuery());
  const switches = useQuery(switchesQuery());
  const network =
    choices.switchId === null
      ? 'Not Connected'
      : (switches.data?.find((s) => s.id === choices.switchId)?.name ?? choices.switchId);
  const image = gallery.data?.find((g) => g.name === choices.guestImage);
  const hardDisk =
    input.vhdPath ??
    (input.noVhd === true
      ? 'None (attach later)'
      : `${input.newVhdPath ?? ''} (${choices.diskSizeGB} GB, dynamic)`);
  const rows: [string, string][] = [
    ['Name:', input.name],
    ['Generation:', `Generation ${choices.generation}`],
    ['Memory:', `${choices.memoryMB} MB${choices.dynamicMemory ? ' (Dynamic Memory)' : ''}`],
    ['Network:', network],
    ['Hard Disk:', hardDisk],
    ['Operating System:', image?.caption ?? 'Will be installed at a later time'],
  ];
  return (
    <>
      <p>
        You have successfully completed the New Virtual Machine Wizard. You are about to create the
        following virtual machine.
      </p>
      <dl className="new-vm-summary" aria-label="Description">
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>
              <bdi>{value}</bdi>
            </dd>
          </div>
        ))}
      </dl>
      <p>To create the virtual machine and close the wizard, click Finish.</p>
    </>
  );
}
