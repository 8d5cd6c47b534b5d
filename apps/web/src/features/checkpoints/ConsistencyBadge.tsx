import type { Checkpoint, Consistency } from '@hvm/engine';
import './checkpoints.css';

const CAPTIONS: Record<Consistency, string> = {
  Complete: 'Complete',
  ApplicationConsistent: 'App-consistent',
  FileSystemConsistent: 'FS-consistent',
  CrashConsistent: 'Crash-consistent',
};

export const CONSISTENCY_MEANINGS: Record<Consistency, string> = {
  Complete: 'Complete: disks, memory and device state; applying it resumes the guest exactly',
  ApplicationConsistent:
    'Application-consistent: the application flushed and closed its data through VSS',
  FileSystemConsistent:
    'File-system consistent: file systems were flushed; the application recovers on its next start',
  CrashConsistent: 'Crash-consistent: the disks as a power cut would leave them',
};

/** What the guest application's checker found on the checkpoint's frozen disks. */
export function ConsistencyBadge({ checkpoint }: { checkpoint: Checkpoint }) {
  const consistency = checkpoint.consistency;
  if (consistency === null) return null;
  const description = `${CONSISTENCY_MEANINGS[consistency]}.${checkpoint.consistencyDetail ? ` ${checkpoint.consistencyDetail}` : ''}`;
  return (
    <span
      className={`consistency-badge consistency-${consistency.toLowerCase()}`}
      title={description}
      aria-label={description}
      data-testid={`consistency-${checkpoint.id}`}
    >
      {CAPTIONS[consistency]}
    </span>
  );
}
