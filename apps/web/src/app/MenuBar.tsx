import { SignedInUser } from '../features/signIn/SignedInUser';
import { ManagerIcon } from '../shared/icons';

/** Title bar and the console's menu line (File, Action, View, Help). */
export function MenuBar() {
  return (
    <header className="titlebar">
      <div className="titlebar-caption">
        <ManagerIcon />
        <h1>Hyper-V Manager</h1>
        <SignedInUser />
      </div>
      <div className="menubar" aria-label="Menu bar">
        {['File', 'Action', 'View', 'Help'].map((item) => (
          <span key={item} className="menubar-item">
            {item}
          </span>
        ))}
      </div>
    </header>
  );
}
