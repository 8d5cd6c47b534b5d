/**
 * The Settings dialog's left list: the Hardware and Management groups, each item with its one-line
 * summary under it. The whole list is one tab stop, as a Windows list is: Tab reaches the selected
 * item, Up and Down move to the previous and next item (across the groups), Home and End to the
 * first and last; moving selects the item and shows its page.
 */
import { useId, useRef, type KeyboardEvent } from 'react';
import type { SettingsPageGroup } from './settingsPageTypes';

export function SettingsNavList({
  groups,
  selected,
  onSelect,
}: {
  groups: readonly SettingsPageGroup[];
  selected: string;
  onSelect: (id: string) => void;
}) {
  const list = useRef<HTMLDivElement>(null);
  const baseId = useId();
  const ids = groups.flatMap((group) => group.pages.map((page) => page.id));

  const go = (id: string | undefined) => {
    if (id === undefined) return;
    onSelect(id);
    list.current?.querySelector<HTMLElement>(`[data-page-id="${CSS.escape(id)}"]`)?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = ids.indexOf(selected);
    const target: Record<string, string | undefined> = {
      ArrowDown: ids[Math.min(ids.length - 1, at + 1)],
      ArrowUp: ids[Math.max(0, at - 1)],
      Home: ids[0],
      End: ids[ids.length - 1],
    };
    if (!(event.key in target)) return;
    event.preventDefault();
    go(target[event.key]);
  };

  return (
    <div className="settings-nav" ref={list} onKeyDown={onKeyDown}>
      {groups.map((group) => (
        <div key={group.title} className="settings-group">
          <div className="settings-group-title" id={`group-${group.title}`}>
            {group.title}
          </div>
          <div role="tablist" aria-labelledby={`group-${group.title}`} aria-orientation="vertical">
            {group.pages.map((page) => {
              const summaryId = `${baseId}-summary-${ids.indexOf(page.id)}`;
              return (
                <button
                  key={page.id}
                  type="button"
                  role="tab"
                  data-page-id={page.id}
                  aria-selected={selected === page.id}
                  aria-label={page.caption}
                  aria-describedby={page.summary ? summaryId : undefined}
                  tabIndex={selected === page.id ? 0 : -1}
                  // The dialog opens with the focus on the selected item of the list.
                  data-autofocus={selected === page.id ? true : undefined}
                  className={page.indent === 1 ? 'settings-tab indented' : 'settings-tab'}
                  onClick={() => onSelect(page.id)}
                >
                  <span className="settings-tab-caption">{page.caption}</span>
                  {page.summary && (
                    <span id={summaryId} className="settings-tab-summary">
                      <bdi>{page.summary}</bdi>
                    </span>
                  )}
                </button>
              );
            })}
          </div>
        </div>
      ))}
    </div>
  );
}
