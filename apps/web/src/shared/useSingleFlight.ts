import { useCallback, useRef, useState } from 'react';

/**
 * One operation per click: `start(work)` runs `work` unless the promise of an earlier one is still
 * running, and `busy` is true from the click until it settles. The guard is a ref, so a second
 * click that arrives before React renders again (a fast double click) is dropped too, not only the
 * ones after the buttons show as disabled. Work that returns no promise holds no guard.
 *
 * `pending` adds a request the caller tracks itself (a mutation's `isPending`) to `busy`.
 */
export function useSingleFlight(pending = false): {
  busy: boolean;
  start: (work: () => unknown) => void;
} {
  const running = useRef(false);
  const [busy, setBusy] = useState(false);

  const start = useCallback((work: () => unknown) => {
    if (running.current) return;
    const result = work();
    if (!(result instanceof Promise)) return;
    running.current = true;
    setBusy(true);
    const finish = () => {
      running.current = false;
      setBusy(false);
    };
    // The caller shows the error (a mutation's `error`); here only the guard ends.
    result.then(finish, finish);
  }, []);

  return { busy: busy || pending, start };
}
