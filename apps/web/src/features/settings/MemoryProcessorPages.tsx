import { useId } from 'react';
import { LockedNote } from './LockedNote';
import type { HardwareDraft, HardwareField, HardwareProblems } from './hardwareDraft';

interface HardwarePageProps {
  draft: HardwareDraft;
  onChange: (patch: Partial<HardwareDraft>) => void;
  /** Each field's problem, shown under it. */
  problems: HardwareProblems;
  /** Hyper-V changes these only while the VM is Off: the reason, or null when it is Off. */
  lockedReason: string | null;
}

interface NumberFieldSpec {
  field: HardwareField;
  label: string;
  unit: string;
  min: number;
  step: number;
}

/** Dynamic Memory's three fields, in Hyper-V Manager's order. */
const DYNAMIC_MEMORY_FIELDS: readonly NumberFieldSpec[] = [
  { field: 'memoryMinimumMB', label: 'Minimum RAM:', unit: 'MB', min: 32, step: 2 },
  { field: 'memoryMaximumMB', label: 'Maximum RAM:', unit: 'MB', min: 32, step: 2 },
  { field: 'memoryBufferPercent', label: 'Memory buffer:', unit: '%', min: 5, step: 1 },
];

/** A number field with its unit and, under it, its problem (described by it, marked invalid). */
function NumberField({
  page: { draft, problems, onChange },
  field,
  label,
  unit,
  disabled = false,
  min,
  step,
}: NumberFieldSpec & {
  /** The page whose draft the field shows and changes. */
  page: Pick<HardwarePageProps, 'draft' | 'problems' | 'onChange'>;
  disabled?: boolean;
}) {
  const id = useId();
  const problem = problems[field];
  const value = draft[field];
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
        onChange={(e) => onChange({ [field]: e.target.value })}
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

/** Hardware → Memory: startup RAM and Dynamic Memory, as Hyper-V Manager lays them out. */
export function MemoryPage(page: HardwarePageProps) {
  const { draft, onChange, lockedReason } = page;
  const locked = lockedReason !== null;
  const dynamic = draft.dynamicMemoryEnabled;
  return (
    <div className="settings-page">
      <h3 className="page-heading">Memory</h3>
      <p className="page-intro">Specify the amount of memory that this virtual machine can use.</p>
      <NumberField
        page={page}
        field="memoryStartupMB"
        label="Startup RAM:"
        unit="MB"
        disabled={locked}
        min={32}
        step={2}
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
        {DYNAMIC_MEMORY_FIELDS.map((spec) => (
          <NumberField key={spec.field} page={page} disabled={!dynamic} {...spec} />
        ))}
      </fieldset>
      {locked && <LockedNote>{lockedReason}</LockedNote>}
    </div>
  );
}

/** Hardware → Processor: the number of virtual processors, up to the host's logical processors. */
export function ProcessorPage(page: HardwarePageProps) {
  const { lockedReason } = page;
  return (
    <div className="settings-page">
      <h3 className="page-heading">Processor</h3>
      <p className="page-intro">
        You can modify the number of virtual processors based on the number of processors on the
        physical computer.
      </p>
      <NumberField
        page={page}
        field="processorCount"
        label="Number of virtual processors:"
        unit=""
        disabled={lockedReason !== null}
        min={1}
        step={1}
      />
      {lockedReason !== null && <LockedNote>{lockedReason}</LockedNote>}
    </div>
  );
}
