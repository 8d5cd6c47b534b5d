import type { Command } from './commands';

/**
 * The entries of a menu (WAI-ARIA `menuitem`s with their separators and group headings), as the
 * context menus and the menu bar's drop-down menus both draw them. The menu around them moves
 * the focus; `onChoose` runs for every click, greyed-out entries included.
 */
export function MenuEntries({
  commands,
  onChoose,
}: {
  commands: readonly Command[];
  onChoose: (command: Command) => void;
}) {
  return (
    <>
      {commands.map((command) => (
        <div key={command.id} role="none">
          {command.separatorBefore && <div role="separator" className="menu-separator" />}
          {command.groupBefore && (
            <div className="menu-group" aria-hidden="true">
              {command.groupBefore}
            </div>
          )}
          <button
            type="button"
            role="menuitem"
            tabIndex={-1}
            aria-disabled={!command.enabled}
            className="menu-item"
            onClick={() => onChoose(command)}
          >
            {command.caption}
          </button>
        </div>
      ))}
    </>
  );
}
