import { useState, type KeyboardEvent, type ReactNode } from 'react';
import type { WindowMenuItem } from './WindowMenuBar';

const svg = { width: 16, height: 16, viewBox: '0 0 16 16', 'aria-hidden': true } as const;

/** Small drawings for the toolbar buttons (decorative: each button is named by its caption). */
const ICONS: Record<string, ReactNode> = {
  ctrlAltDelete: (
    <svg {...svg}>
      <rect x="1.5" y="4" width="13" height="8" rx="1" fill="#fff" stroke="#4a5a6a" />
      <path d="M4 7h2M7 7h2M10 7h2M4 9.5h8" stroke="#4a5a6a" />
    </svg>
  ),
  start: (
    <svg {...svg}>
      <circle cx="8" cy="8" r="6.5" fill="#2f9e44" />
      <path d="M6.3 5v6l5-3z" fill="#fff" />
    </svg>
  ),
  turnOff: (
    <svg {...svg}>
      <circle cx="8" cy="8" r="6.5" fill="#c92a2a" />
      <rect x="5.3" y="5.3" width="5.4" height="5.4" fill="#fff" />
    </svg>
  ),
  shutDown: (
    <svg {...svg}>
      <circle cx="8" cy="8" r="6.5" fill="#e8590c" />
      <path
        d="M8 4.2v3.6M5.6 5.6a3.3 3.3 0 1 0 4.8 0"
        fill="none"
        stroke="#fff"
        strokeWidth="1.3"
      />
    </svg>
  ),
  save: (
    <svg {...svg}>
      <circle cx="8" cy="8" r="6.5" fill="#1c7ed6" />
      <rect x="5" y="5" width="6" height="6" fill="none" stroke="#fff" />
    </svg>
  ),
  pause: (
    <svg {...svg}>
      <circle cx="8" cy="8" r="6.5" fill="#e0a800" />
      <path d="M6.3 5.2v5.6M9.7 5.2v5.6" stroke="#fff" strokeWidth="1.6" />
    </svg>
  ),
  resume: (
    <svg {...svg}>
      <circle cx="8" cy="8" r="6.5" fill="#2f9e44" />
      <path d="M6.3 5v6l5-3z" fill="#fff" />
    </svg>
  ),
  reset: (
    <svg {...svg}>
      <circle cx="8" cy="8" r="6.5" fill="#5c6b7a" />
      <path
        d="M11 8a3 3 0 1 1-.9-2.1M10.6 3.8v2.4H8.2"
        fill="none"
        stroke="#fff"
        strokeWidth="1.3"
      />
    </svg>
  ),
  checkpoint: (
    <svg {...svg}>
      <path d="M3 2h10v12l-5-3-5 3z" fill="#2f9e44" />
      <path d="M8 5v4M6 7h4" stroke="#fff" strokeWidth="1.3" />
    </svg>
  ),
  revert: (
    <svg {...svg}>
      <path d="M3 2h10v12l-5-3-5 3z" fill="#5c6b7a" />
      <path d="M10 6.5H6.5M8 5L6.5 6.5 8 8" fill="none" stroke="#fff" strokeWidth="1.2" />
    </svg>
  ),
};

/** "Turn Off..." names its button "Turn Off". */
function buttonName(caption: string): string {
  return caption.replace(/\.\.\.$/, '');
}

/**
 * VMConnect's toolbar: one button per Action menu entry (Ctrl+Alt+Delete, Start, Turn Off, Shut
 * Down, Save, Pause or Resume, Reset, Checkpoint, Revert; behaviour spec S57), after the WAI-ARIA
 * toolbar pattern: one tab stop, Left/Right/Home/End move between the buttons. Greyed-out buttons
 * stay focusable (`aria-disabled`) so the keyboard can reach them and read why.
 */
export function VmConnectionToolbar({ items }: { items: WindowMenuItem[] }) {
  const [current, setCurrent] = useState(0);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const buttons = Array.from(e.currentTarget.querySelectorAll<HTMLButtonElement>('button'));
    const at = buttons.indexOf(e.target as HTMLButtonElement);
    const to: Record<string, number> = {
      ArrowRight: (at + 1) % buttons.length,
      ArrowLeft: (at - 1 + buttons.length) % buttons.length,
      Home: 0,
      End: buttons.length - 1,
    };
    const next = to[e.key];
    if (next === undefined || at < 0) return;
    e.preventDefault();
    setCurrent(next);
    buttons[next]?.focus();
  };
  return (
    <div role="toolbar" aria-label="Toolbar" className="window-toolbar" onKeyDown={onKeyDown}>
      {items.map((item, index) => (
        <button
          key={item.id}
          type="button"
          className={`window-toolbar-button${item.separatorBefore ? ' separated' : ''}`}
          aria-label={buttonName(item.caption)}
          aria-disabled={!item.enabled}
          aria-keyshortcuts={item.shortcut}
          title={item.note ?? buttonName(item.caption)}
          tabIndex={index === current ? 0 : -1}
          onFocus={() => setCurrent(index)}
          onClick={() => {
            if (item.enabled) item.run();
          }}
        >
          {ICONS[item.id]}
        </button>
      ))}
    </div>
  );
}
