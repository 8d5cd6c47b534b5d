import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Command } from './commands';
import { MenuEntries } from './MenuEntries';
import './contextMenu.css';

interface ContextMenuProps {
  label: string;
  commands: Command[];
  x: number;
  y: number;
  onClose: () => void;
}

/** A pop-up menu at a point. Arrows move, Enter runs, Esc closes; a click elsewhere closes it. */
export function ContextMenu({ label, commands, x, y, onClose }: ContextMenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState({ left: x, top: y });

  useLayoutEffect(() => {
    const node = ref.current;
    if (!node) return;
    const rect = node.getBoundingClientRect();
    const left = Math.max(0, Math.min(x, window.innerWidth - rect.width - 4));
    const top = Math.max(0, Math.min(y, window.innerHeight - rect.height - 4));
    setPosition({ left, top });
    node.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [x, y]);

  useEffect(() => {
    const onPointerDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    const onBlur = () => onClose();
    document.addEventListener('mousedown', onPointerDown);
    window.addEventListener('blur', onBlur);
    window.addEventListener('resize', onBlur);
    return () => {
      document.removeEventListener('mousedown', onPointerDown);
      window.removeEventListener('blur', onBlur);
      window.removeEventListener('resize', onBlur);
    };
  }, [onClose]);

  const move = (delta: number) => {
    const items = Array.from(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    if (items.length === 0) return;
    const index = items.indexOf(document.activeElement as HTMLElement);
    const next = items[(index + delta + items.length) % items.length];
    next?.focus();
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        move(1);
        break;
      case 'ArrowUp':
        e.preventDefault();
        move(-1);
        break;
      case 'Home':
        e.preventDefault();
        ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
        break;
      case 'End': {
        e.preventDefault();
        const all = ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]');
        all?.[all.length - 1]?.focus();
        break;
      }
      case 'Escape':
      case 'Tab':
        e.preventDefault();
        e.stopPropagation();
        onClose();
        break;
    }
  };

  return (
    <div
      ref={ref}
      role="menu"
      aria-label={label}
      className="context-menu"
      style={{ left: position.left, top: position.top }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      <MenuEntries
        commands={commands}
        onChoose={(command) => {
          if (!command.enabled) return;
          onClose();
          command.run();
        }}
      />
    </div>
  );
}
