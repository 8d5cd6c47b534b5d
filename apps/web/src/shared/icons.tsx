/** Small 16x16 console icons, drawn inline. All are decorative (aria-hidden). */
import type { VmState } from '@hvm/engine';

const base = { width: 16, height: 16, viewBox: '0 0 16 16', 'aria-hidden': true } as const;

export function ManagerIcon() {
  return (
    <svg {...base}>
      <rect x="1" y="2" width="14" height="10" rx="1" fill="#3b6ea5" />
      <rect x="2.5" y="3.5" width="11" height="7" fill="#cfe3f7" />
      <rect x="5" y="13" width="6" height="1.5" fill="#6d6d6d" />
    </svg>
  );
}

export function HostIcon() {
  return (
    <svg {...base}>
      <rect x="3" y="1" width="10" height="14" rx="1" fill="#6d7b8d" />
      <rect x="4.5" y="3" width="7" height="1.5" fill="#dfe6ee" />
      <rect x="4.5" y="6" width="7" height="1.5" fill="#dfe6ee" />
      <circle cx="8" cy="12" r="1.2" fill="#7fd46b" />
    </svg>
  );
}

const stateColor: Partial<Record<VmState, string>> = {
  Running: '#2f9e44',
  Paused: '#e0a800',
  Saved: '#5c7cfa',
  Off: '#868e96',
};

export function VmIcon({ state }: { state: VmState }) {
  return (
    <svg {...base}>
      <rect x="1" y="2" width="14" height="10" rx="1" fill="#4a5a6a" />
      <rect x="2.3" y="3.3" width="11.4" height="7.4" fill={stateColor[state] ?? '#f59f00'} />
      <rect x="5" y="13" width="6" height="1.5" fill="#4a5a6a" />
    </svg>
  );
}

export function StandardCheckpointIcon() {
  return (
    <svg {...base}>
      <circle cx="8" cy="8" r="6.5" fill="#2b7bd6" />
      <path d="M8 4v4.3l3 1.8" stroke="#fff" strokeWidth="1.5" fill="none" />
    </svg>
  );
}

export function ProductionCheckpointIcon() {
  return (
    <svg {...base}>
      <path d="M8 1l6 2.5v4C14 11 11.5 13.8 8 15 4.5 13.8 2 11 2 7.5v-4z" fill="#2f9e44" />
      <path d="M5 8l2 2 4-4" stroke="#fff" strokeWidth="1.6" fill="none" />
    </svg>
  );
}

export function RecoveryCheckpointIcon() {
  return (
    <svg {...base}>
      <circle cx="8" cy="8" r="6.5" fill="#868e96" />
      <path d="M5 8a3 3 0 1 0 1-2.2M5 4v2h2" stroke="#fff" strokeWidth="1.4" fill="none" />
    </svg>
  );
}

export function NowIcon() {
  return (
    <svg {...base}>
      <path d="M4 2.5l9 5.5-9 5.5z" fill="#2f9e44" />
    </svg>
  );
}
