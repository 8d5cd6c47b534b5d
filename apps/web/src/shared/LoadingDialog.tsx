import type { ReactNode } from 'react';
import { Dialog } from './Dialog';
import { ErrorSummary } from './ErrorSummary';

/**
 * A dialog whose contents are still loading: "Loading <what>..." until the data is there, or why
 * it could not be loaded, with one button that closes it (Cancel, or OK for a read-only dialog).
 */
export function LoadingDialog({
  title,
  what,
  failure,
  error,
  onClose,
  closeCaption = 'Cancel',
}: {
  title: ReactNode;
  /** What is loading, as the text says it: "settings", "virtual switches". */
  what: string;
  /** The summary above a load error, e.g. "The settings could not be loaded." */
  failure: string;
  error: unknown;
  onClose: () => void;
  closeCaption?: 'Cancel' | 'OK';
}) {
  return (
    <Dialog
      title={title}
      onCancel={onClose}
      buttons={
        <button
          type="button"
          className={closeCaption === 'OK' ? 'default-button' : undefined}
          onClick={onClose}
        >
          {closeCaption}
        </button>
      }
    >
      {error ? <ErrorSummary summary={failure} error={error} /> : <p>Loading {what}...</p>}
    </Dialog>
  );
}
