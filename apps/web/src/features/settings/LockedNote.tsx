import type { ReactNode } from 'react';

/** The blue "i" note under a page whose settings Hyper-V changes only while the VM is Off. */
export function LockedNote({ children }: { children: ReactNode }) {
  return (
    <p className="explain locked-reason">
      <span aria-hidden="true" className="info-dot">
        i
      </span>
      {children}
    </p>
  );
}
