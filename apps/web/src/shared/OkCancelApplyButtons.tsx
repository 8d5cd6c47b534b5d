/**
 * The buttons of a Hyper-V Manager property dialog (Settings, Hyper-V Settings, Virtual Switch
 * Manager): OK applies and closes, Cancel closes without applying, Apply applies and stays open.
 */
export function OkCancelApplyButtons({
  onOk,
  onCancel,
  onApply,
  busy,
  applyDisabled,
}: {
  onOk: () => void;
  onCancel: () => void;
  onApply: () => void;
  /** A change is being applied: OK and Apply wait for it. */
  busy: boolean;
  /** Nothing to apply (or the user may not change anything). */
  applyDisabled: boolean;
}) {
  return (
    <>
      <button type="button" className="default-button" disabled={busy} onClick={onOk}>
        OK
      </button>
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="button" disabled={applyDisabled || busy} onClick={onApply}>
        Apply
      </button>
    </>
  );
}
