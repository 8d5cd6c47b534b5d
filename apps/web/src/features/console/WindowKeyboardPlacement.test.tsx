import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { DialogHost } from '../../app/DialogHost';
import { aGuestConsole, aVm, host } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import { useVmConnectionStore } from './vmConnectionStore';
import { KEYBOARD_STEP, MIN_WINDOW, stepWindowBox } from './useWindowPlacement';

const TITLE = 'Web Server on HV-HOST-01 - Virtual Machine Connection';
const viewport = { width: 1280, height: 800 };
const box = { left: 100, top: 100, width: 720, height: 500 };

describe('moving and sizing a window by keyboard (Windows: Alt+Space, Move or Size)', () => {
  it('Move: each arrow moves the window one step; the title bar stays on the page', () => {
    expect(stepWindowBox('move', 'ArrowRight', box, viewport)).toEqual({
      ...box,
      left: 100 + KEYBOARD_STEP,
    });
    expect(stepWindowBox('move', 'ArrowUp', { ...box, top: 0 }, viewport)?.top).toBe(0);
    expect(stepWindowBox('move', 'Enter', box, viewport)).toBeNull();
  });

  it('Size: Left/Right move the right edge, Up/Down the bottom edge, never below the smallest window', () => {
    expect(stepWindowBox('size', 'ArrowRight', box, viewport)?.width).toBe(720 + KEYBOARD_STEP);
    expect(stepWindowBox('size', 'ArrowDown', box, viewport)?.height).toBe(500 + KEYBOARD_STEP);
    const smallest = { ...box, ...MIN_WINDOW };
    expect(stepWindowBox('size', 'ArrowLeft', smallest, viewport)?.width).toBe(MIN_WINDOW.width);
    expect(stepWindowBox('size', 'ArrowUp', smallest, viewport)?.height).toBe(MIN_WINDOW.height);
  });

  it('Alt+Space opens the window menu; Move, two arrows and Enter move the VMConnect window; Esc after Size puts it back', async () => {
    const vm = aVm({ state: 'Off' });
    fakeServer({
      'GET /host': host,
      'GET /vms': [vm],
      [`GET /vms/${vm.id}/console`]: aGuestConsole(vm, { running: false, uptimeMs: 0 }),
    });
    renderWithClient(<DialogHost />);
    const user = userEvent.setup();
    act(() => {
      useVmConnectionStore.getState().openConnection(vm.id);
    });
    const window = await screen.findByRole('dialog', { name: TITLE }, { timeout: 10_000 });
    const left = () => parseInt(window.style.left, 10);
    const before = left();
    await waitFor(() =>
      expect(within(window).getByRole('group', { name: 'Guest screen' })).toHaveFocus(),
    );

    await user.keyboard('{Alt>} {/Alt}');
    const menu = within(window).getByRole('menu', { name: 'System' });
    expect(within(menu).getByRole('menuitem', { name: 'Restore' })).toHaveAttribute(
      'aria-disabled',
      'true',
    );
    expect(within(menu).getByRole('menuitem', { name: 'Move' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(screen.queryByRole('menu', { name: 'System' })).toBeNull();
    expect(screen.getByRole('status')).toHaveTextContent('Moving the window');
    await user.keyboard('{ArrowRight}{ArrowRight}{Enter}');
    expect(left()).toBe(before + 2 * KEYBOARD_STEP);

    const widthBefore = window.style.width;
    await user.keyboard('{Alt>} {/Alt}');
    await user.keyboard('s');
    expect(screen.getByRole('status')).toHaveTextContent('Sizing the window');
    await user.keyboard('{ArrowRight}');
    expect(window.style.width).not.toBe(widthBefore);
    await user.keyboard('{Escape}');
    expect(window.style.width).toBe(widthBefore);
    expect(left()).toBe(before + 2 * KEYBOARD_STEP);
    // Esc ended sizing and did not close the window.
    expect(screen.getByRole('dialog', { name: TITLE })).toBeInTheDocument();
    expect(screen.queryByRole('status')).toBeNull();
  });
});
