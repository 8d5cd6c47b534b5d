import { useUiStore } from '../stores/uiStore';
import { MessageDialog } from './MessageDialog';

/** Help: what checkpoints are and how the commands of this console treat them. */
export function HelpDialog() {
  const close = useUiStore((s) => s.closeDialog);
  return (
    <MessageDialog title="Hyper-V Manager Help" onClose={close} icon="info">
      <p>
        A <strong>checkpoint</strong> captures a virtual machine at a point in time. Its disks stop
        changing: everything written afterwards goes to a new differencing disk (<code>.avhdx</code>
        ) whose parent is the frozen disk.
      </p>
      <ul className="help-list">
        <li>
          <strong>Production</strong> checkpoints ask the guest to flush its data (Volume Shadow
          Copy) and hold no memory; applying one leaves the virtual machine off.
        </li>
        <li>
          <strong>Standard</strong> checkpoints also save the memory of a running virtual machine;
          applying one resumes it exactly where it was.
        </li>
        <li>
          <strong>Recovery</strong> checkpoints are made by backup software and cannot be applied.
        </li>
        <li>
          <strong>Apply</strong> discards the current state (<em>Now</em>) unless you take a
          checkpoint first. <strong>Revert</strong> applies the checkpoint Now derives from.
        </li>
        <li>
          <strong>Delete Checkpoint</strong> merges the checkpoint&apos;s differencing disk into its
          child (or into Now), or removes it when nothing depends on it. Delete Checkpoint Subtree
          also removes every checkpoint below it.
        </li>
      </ul>
      <p>
        Keyboard: the context-menu key or Shift+F10 opens a menu, Enter opens (Connect... on a
        virtual machine, Settings... on a checkpoint), F2 renames, Del deletes, Esc closes.
      </p>
    </MessageDialog>
  );
}
