import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { Dialog } from './Dialog';

describe('Dialog', () => {
  it('Esc cancels even after the focus left the dialog (a pressed button was disabled while it worked)', async () => {
    const onCancel = vi.fn();
    render(
      <Dialog title="Export Virtual Machine" onCancel={onCancel} buttons={<button>Export</button>}>
        <p>body</p>
      </Dialog>,
    );
    (document.activeElement as HTMLElement | null)?.blur();
    expect(document.activeElement).toBe(document.body);
    await userEvent.setup().keyboard('{Escape}');
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it('Esc closes only the innermost of nested dialogs', async () => {
    const outer = vi.fn();
    const inner = vi.fn();
    const { rerender } = render(
      <Dialog title="Settings" onCancel={outer} buttons={<button>OK</button>}>
        <p>page</p>
      </Dialog>,
    );
    // Browse... opens the folder picker inside the Settings dialog.
    rerender(
      <Dialog title="Settings" onCancel={outer} buttons={<button>OK</button>}>
        <Dialog title="Select Folder" onCancel={inner} buttons={<button>Select Folder</button>}>
          <p>folders</p>
        </Dialog>
      </Dialog>,
    );
    const user = userEvent.setup();
    await user.keyboard('{Escape}');
    expect(inner).toHaveBeenCalledTimes(1);
    (document.activeElement as HTMLElement | null)?.blur();
    await user.keyboard('{Escape}');
    expect(inner).toHaveBeenCalledTimes(2);
    expect(outer).not.toHaveBeenCalled();
    expect(screen.getAllByRole('dialog')).toHaveLength(2);
  });
});
