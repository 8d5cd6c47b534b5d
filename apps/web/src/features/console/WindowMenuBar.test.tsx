import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { WindowMenuBar, type WindowMenu } from './WindowMenuBar';

function menus(run: (id: string) => void): WindowMenu[] {
  const item = (id: string, enabled = true) => ({ id, caption: id, enabled, run: () => run(id) });
  return [
    { caption: 'File', items: [item('Settings...'), item('Exit')] },
    { caption: 'Action', items: [item('Start', false), item('Checkpoint'), item('Revert...')] },
    { caption: 'Help', items: [item('Help Topics')] },
  ];
}

function renderBar() {
  const ran: string[] = [];
  const afterChoose = vi.fn();
  render(
    <WindowMenuBar label="Test" menus={menus((id) => ran.push(id))} onAfterChoose={afterChoose} />,
  );
  return { ran, afterChoose, user: userEvent.setup(), bar: screen.getByRole('menubar') };
}

describe('a window menu bar (WAI-ARIA menubar)', () => {
  it('is one tab stop; Left/Right, Home and End move along the bar and wrap', async () => {
    const { user, bar } = renderBar();
    const top = within(bar).getAllByRole('menuitem');
    expect(top.map((t) => t.tabIndex)).toEqual([0, -1, -1]);
    await user.tab();
    expect(top[0]).toHaveFocus();
    await user.keyboard('{ArrowLeft}');
    expect(top[2]).toHaveFocus();
    await user.keyboard('{ArrowRight}');
    expect(top[0]).toHaveFocus();
    await user.keyboard('{End}');
    expect(top[2]).toHaveFocus();
    await user.keyboard('{Home}');
    expect(top[0]).toHaveFocus();
  });

  it('Up opens a menu on its last item; Right moves to the next menu, open, on its first item', async () => {
    const { user, bar } = renderBar();
    await user.tab();
    await user.keyboard('{ArrowUp}');
    expect(screen.getByRole('menuitem', { name: 'Exit' })).toHaveFocus();
    await user.keyboard('{ArrowRight}');
    const action = screen.getByRole('menu', { name: 'Action' });
    expect(within(action).getByRole('menuitem', { name: 'Start' })).toHaveFocus();
    expect(within(bar).getByRole('menuitem', { name: 'Action' })).toHaveAttribute(
      'aria-expanded',
      'true',
    );
    expect(screen.queryByRole('menu', { name: 'File' })).not.toBeInTheDocument();
  });

  it('Enter runs an enabled item (after moving the focus out), not a greyed-out one', async () => {
    const { user, ran, afterChoose } = renderBar();
    await user.tab();
    await user.keyboard('{ArrowRight}{Enter}');
    await user.keyboard('{Enter}');
    expect(ran).toEqual([]);
    expect(screen.getByRole('menu', { name: 'Action' })).toBeInTheDocument();
    await user.keyboard('{ArrowDown}{Enter}');
    expect(ran).toEqual(['Checkpoint']);
    expect(afterChoose).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
  });

  it('a click elsewhere closes the open menu', async () => {
    const { user, bar } = renderBar();
    await user.click(within(bar).getByRole('menuitem', { name: 'Help' }));
    expect(screen.getByRole('menu', { name: 'Help' })).toBeInTheDocument();
    await user.click(document.body);
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
  });
});
