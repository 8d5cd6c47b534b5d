import { useSyncExternalStore } from 'react';

/**
 * One shared one-second clock for live figures (the Uptime cells). Only components that read it
 * re-render on a tick; the timer runs while at least one of them is mounted.
 */
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === null) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}

const noSubscribe = () => () => undefined;
const read = () => now;

/** The current time, ticking every second while `active`; frozen (no re-renders) otherwise. */
export function useClock(active: boolean): number {
  return useSyncExternalStore(active ? subscribe : noSubscribe, read);
}
