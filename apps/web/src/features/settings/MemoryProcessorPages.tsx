import { useId, type ReactNode } from 'react';
import type { HardwareDraft, HardwareField, HardwareProblems } from './hardwareDraft';

interface HardwarePageProps {
  draft: HardwareDraft;
  onChange: (patch: Partial<HardwareDraft>) => void;
  /** Each field's problem, shown under it. */
  problems: HardwareProblems;
  /** Hyper-V changes these only while the VM is Off: the reason, or null when it is Off. */
  lockedReason: string | null;
}

/** A number field with its unit and, under it, its problem (described by it, marked invalid). */
function NumberField({
  field,
  label,
  unit,
  value,
  problems,
  disabled = false,
  onChange,
  min,
  step,
}: {
  field: HardwareField;
  label: string;
  unit: string;
  value: string;
  problems: HardwareProblems;
  disabled?: boolean;
  onChange: (value: string) => void;
  min: number;
  step: number;
}) {
  const id = useId();
  const problem = problems[field];
  return (
    <div className="field-block">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <input
        id={id}
        type="number"
        className="narrow"
        min={min}
        step={step}
        value={value}
        disabled={disabled}
        aria-invalid={problem !== undefined}
        aria-describedby={problem === undefined ? undefined : `${id}-problem`}
        onChange={(e) => onChange(e.target.value)}
      />{' '}
      {unit}
      {problem !== undefined && (
        <p id={`${id}-problem`} className="error-text">
          {problem}
        </p>
      )}
    </div>
  );
}

function LockedNote({ children }: { children: ReactNode }) {
  return (
    <p className="explain locked-reason">
      <span aria-hidden="true" className="info-dot">
        i
      </span>
      {children}
    </p>
  );
}

/** Hardware → Memory: startup RAM and Dynamic Memory, as Hyper-V Manager lays them out. */
export function MemoryPage({ draft, onChange, problems, lockedReason }: HardwarePageProps) {
  const locked = lockedReason !== null;
  const dynamic = draft.dynamicMemoryEnabled;
  return (
    <div className="settings-page">
      <h3 className="page-heading">Memory</h3>
      <p className="page-intro">Specify the amount of memory that this virtual machine can use.</p>
      <NumberField
        field="memoryStartupMB"
        label="Startup RAM:"
        unit="MB"
        value={draft.memoryStartupMB}
        problems={problems}
        disabled={locked}
        min={32}
        step={2}
        onChange={(memoryStartupMB) => onChange({ memoryStartupMB })}
      />
      <fieldset className="field-group">
        <legend>Dynamic Memory</legend>
        <p className="explain">
          You can allow the amount of memory available to this virtual machine to change dynamically
          within the range you set.
        </p>
        <label className="check">
          <input
            type="checkbox"
            checked={dynamic}
            disabled={locked}
            onChange={(e) => onChange({ dynamicMemoryEnabled: e.target.checked })}
          />
          Enable Dynamic Memory
        </label>
        <NumberField
          field="memoryMinimumMB"
          label="Minimum RAM:"
          unit="MB"
          value={draft.memoryMinimumMB}
          problems={problems}
          disabled={!dynamic}
          min={32}
          step={2}
          onChange={(memoryMinimumMB) => onChange({ memoryMinimumMB })}
        />
        <NumberField
          field="memoryMaximumMB"
          label="Maximum RAM:"
          unit="MB"
          value={draft.memoryMaximumMB}
          problems={problems}
          disabled={!dynamic}
          min={32}
          step={2}
          onChange={(memoryMaximumMB) => onChange({ memoryMaximumMB })}
        />
        <NumberField
          field="memoryBufferPercent"
          label="Memory buffer:"
          unit="%"
          value={draft.memoryBufferPercent}
          problems={problems}
          disabled={!dynamic}
          min={5}
          step={1}
          onChange={(memoryBufferPercent) => onChange({ memoryBufferPercent })}
        />
      </fieldset>
      {locked && <LockedNote>{lockedReason}</LockedNote>}
    </div>
  );
}

/** Hardware → Processor: the number of virtual processors, up to the host's logical processors. */
export function ProcessorPage({ draft, onChange, problems, lockedReason }: HardwarePageProps) {
  return (
    <div className="settings-page">
      <h3 className="page-heading">Processor</h3>
      <p className="page-intro">
        You can modify the number of virtual processors based on the number of processors on the
        physical computer.
      </p>
      <NumberField
        field="processorCount"
        label="Number of virtual processors:"
        unit=""
        value={draft.processorCount}
        problems={problems}
        disabled={lockedReason !== null}
        min={1}
        step={1}
        onChange={(processorCount) => onChange({ processorCount })}
      />
      {lockedReason !== null && <LockedNote>{lockedReason}</LockedNote>}
    </div>
  );
}
