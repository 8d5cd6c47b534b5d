import { useQuery } from '@tanstack/react-query';
import type { Task } from '@hvm/engine';
import { tasksQuery } from '../../api/tasks';

/** The same file, however the server spelled it (case, separators, a full or relative path). */
function sameDisk(a: string, b: string): boolean {
  const norm = (p: string) => p.replace(/\\/g, '/').toLowerCase();
  const [x, y] = [norm(a), norm(b)];
  return x === y || x.endsWith(`/${y}`) || y.endsWith(`/${x}`);
}

/** The running host task on `path` (a disk of no VM), the latest if several. */
function taskOn(tasks: readonly Task[] | undefined, path: string): Task | null {
  const running = (tasks ?? []).filter(
    (t) => t.vmId === null && t.status === 'Running' && t.disk !== undefined,
  );
  return running.filter((t) => sameDisk(t.disk ?? '', path)).at(-1) ?? null;
}

/**
 * The progress of an edit of a virtual hard disk while the wizard waits for it: the host task's
 * percentage, which follows the bytes processed (Hyper-V Manager shows a progress bar while it
 * creates or edits a disk; the exact wording of its progress window is not documented, so the
 * label is the wizard's own).
 */
export function DiskTaskProgress({ path, label }: { path: string; label: string }) {
  const { data: tasks } = useQuery(tasksQuery());
  const task = taskOn(tasks, path);
  return (
    <div className="disk-task-progress" role="status">
      <span>{label}</span>
      {task === null ? (
        <progress aria-label={label} />
      ) : (
        <>
          <progress aria-label={label} max={100} value={task.percentComplete} />
          <span>{task.percentComplete}%</span>
        </>
      )}
    </div>
  );
}
