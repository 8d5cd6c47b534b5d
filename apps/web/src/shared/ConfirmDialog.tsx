import type { ReactNode } from 'react';
import { Dialog } from './Dialog';
import { ErrorSummary } from './ErrorSummary';
import { useSingleFlight } from './useSingleFlight';

export interface ConfirmChoice {
  caption: string;
  /** Starts the operation; return its promise (or pass `pending`) so that a second click waits for it. */
  onChoose: () => unknown;
  /** The button Enter would press; it gets the focus first. */
  isDefault?: boolean;
}

interface ConfirmDialogProps {
  title: string;
  message: ReactNode;
  choices: ConfirmChoice[];
  onCancel: () => void;
  pending?: boolean;
  error?: unknown;
  errorSummary?: string;
  icon?: 'warning' | 'info';
}

/** A Windows-style question box: an icon, the question, and a row of buttons ending in Cancel. */
export function ConfirmDialog({
  title,
  message,
  choices,
  onCancel,
  pending = false,
  error,
  errorSummary = 'The operation failed.',
  icon = 'warning',
}: ConfirmDialogProps) {
  // Every choice button is off from the first click until the request it started settles.
  const { busy, start } = useSingleFlight(pending);
  return (
    <Dialog
      title={title}
      onCancel={onCancel}
      width={460}
      buttons={
        <>
          {choices.map((choice) => (
            <button
              key={choice.caption}
              type="button"
              disabled={busy}
              data-autofocus={choice.isDefault ? true : undefined}
              className={choice.isDefault ? 'default-button' : undefined}
              onClick={() => start(choice.onChoose)}
            >
              {choice.caption}
            </button>
          ))}
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </>
      }
    >
      <div className="message-body">
        <span className={`message-icon message-icon-${icon}`} aria-hidden="true">
          {icon === 'warning' ? '!' : 'i'}
        </span>
        <div className="message-text">{message}</div>
      </div>
      {error !== undefined && error !== null && (
        <ErrorSummary summary={errorSummary} error={error} />
      )}
    </Dialog>
  );
}
