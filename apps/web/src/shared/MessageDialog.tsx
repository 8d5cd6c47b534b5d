import type { ReactNode } from 'react';
import { Dialog } from './Dialog';

interface MessageDialogProps {
  title: string;
  children: ReactNode;
  onClose: () => void;
  icon?: 'error' | 'info';
}

/** A message box with one OK button. */
export function MessageDialog({ title, children, onClose, icon = 'info' }: MessageDialogProps) {
  return (
    <Dialog
      title={title}
      onCancel={onClose}
      width={460}
      buttons={
        <button type="button" className="default-button" data-autofocus onClick={onClose}>
          OK
        </button>
      }
    >
      <div className="message-body">
        <span className={`message-icon message-icon-${icon}`} aria-hidden="true">
          {icon === 'error' ? '✖' : 'i'}
        </span>
        <div className="message-text">{children}</div>
      </div>
    </Dialog>
  );
}
