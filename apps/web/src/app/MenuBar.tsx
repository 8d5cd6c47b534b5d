import { ConsoleMenuBar } from '../features/menus/ConsoleMenuBar';
import { SignedInUser } from '../features/signIn/SignedInUser';
import { ManagerIcon } from '../shared/icons';

/** Title bar and the console's menu bar (File, Action, View, Help: features/menus). */
export function MenuBar() {
  return (
    <header className="titlebar">
      <div className="titlebar-caption">
        <ManagerIcon />
        <h1>Hyper-V Manager</h1>
        <SignedInUser />
      </div>
      <ConsoleMenuBar />
    </header>
  );
}
