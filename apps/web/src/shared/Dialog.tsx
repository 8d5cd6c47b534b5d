import { useEffect, useId, useRef, type ReactNode } from 'react';
import './dialog.css';

interface DialogProps {
  /** Plain text, or text with names in `<bdi>` so that a right-to-left name cannot reorder it. */
  title: ReactNode;
  onCancel: () => void;
  children: ReactNode;
  /** The button row at the bottom (OK / Cancel / Apply ...). */
  buttons: ReactNode;
  width?: number;
  className?: string;
}

const FOCUSABLE =
  'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** A modal window in the style of a Windows dialog: title bar, body, button row. Esc cancels. */
export function Dialog({
  title,
  onCancel,
  children,
  buttons,
  width = 420,
  className,
}: DialogProps) {
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const node = ref.current;
    const autofocus = node?.querySelector<HTMLElement>('[data-autofocus]');
    const first = autofocus ?? node?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  // Esc still cancels when the focus fell out of the dialog (e.g. the pressed button was disabled
  // while its request ran): the innermost open dialog takes it.
  const cancelRef = useRef(onCancel);
  useEffect(() => {
    cancelRef.current = onCancel;
  });
  useEffect(() => {
    const onDocumentKeyDown = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const focused = document.activeElement;
      if (focused !== null && focused !== document.body) return;
      const dialogs = document.querySelectorAll('[role="dialog"]');
      if (dialogs[dialogs.length - 1] !== ref.current) return;
      e.preventDefault();
      cancelRef.current();
    };
    document.addEventListener('keydown', onDocumentKeyDown);
    return () => document.removeEventListener('keydown', onDocumentKeyDown);
  }, []);

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onCancel();
      return;
    }
    if (e.key !== 'Tab' || !ref.current) return;
    const items = Array.from(ref.current.querySelectorAll<HTMLElement>(FOCUSABLE));
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="dialog-backdrop">
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        className={`dialog ${className ?? ''}`}
        style={{ width }}
        onKeyDown={onKeyDown}
      >
        <div className="dialog-titlebar">
          <span id={titleId} className="dialog-title">
            {title}
          </span>
          <button type="button" className="dialog-close" aria-label="Close" onClick={onCancel}>
            ×
          </button>
        </div>
        <div className="dialog-body">{children}</div>
        <div className="dialog-buttons">{buttons}</div>
      </div>
    </div>
  );
}
