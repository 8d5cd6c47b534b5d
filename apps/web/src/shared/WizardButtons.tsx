/**
 * The buttons and the page list of a Hyper-V Manager wizard (New Virtual Machine, New Virtual Hard
 * Disk, Edit Virtual Hard Disk, Import Virtual Machine): `< Previous`, `Next >`, `Finish`, `Cancel`,
 * with Next the default button until the last page, where Finish is.
 */
export function WizardButtons({
  onPrevious,
  previousDisabled,
  onNext,
  nextDisabled,
  onFinish,
  finishDisabled,
  onLastPage,
  onCancel,
  cancelDisabled = false,
}: {
  onPrevious: () => void;
  previousDisabled: boolean;
  onNext: () => void;
  nextDisabled: boolean;
  onFinish: () => void;
  finishDisabled: boolean;
  /** On the last page Finish is the default button, before it Next is. */
  onLastPage: boolean;
  onCancel: () => void;
  cancelDisabled?: boolean;
}) {
  return (
    <>
      <button type="button" onClick={onPrevious} disabled={previousDisabled}>
        &lt; Previous
      </button>
      <button
        type="button"
        className={onLastPage ? undefined : 'default-button'}
        onClick={onNext}
        disabled={nextDisabled}
      >
        Next &gt;
      </button>
      <button
        type="button"
        className={onLastPage ? 'default-button' : undefined}
        onClick={onFinish}
        disabled={finishDisabled}
      >
        Finish
      </button>
      <button type="button" onClick={onCancel} disabled={cancelDisabled}>
        Cancel
      </button>
    </>
  );
}

/** The wizard's pages down its left side, the current one marked (`aria-current="step"`). */
export function WizardSteps({
  pages,
  current,
  className,
}: {
  pages: readonly string[];
  current: string;
  className: string;
}) {
  return (
    <ol className={className} aria-label="Wizard pages">
      {pages.map((p) => (
        <li key={p} aria-current={p === current ? 'step' : undefined}>
          {p}
        </li>
      ))}
    </ol>
  );
}
