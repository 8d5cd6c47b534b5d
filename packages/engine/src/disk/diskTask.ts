/**
 * The edits of a virtual hard disk of no VM (New-VHD, Convert-VHD, Optimize-VHD, Resize-VHD,
 * Merge-VHD) run as host tasks, as Hyper-V runs them as jobs of its image management service
 * (Msvm_ImageManagementService: CreateVirtualHardDisk, ConvertVirtualHardDisk, CompactVirtualHardDisk,
 * ResizeVirtualHardDisk and MergeVirtualHardDisk each return a job with PercentComplete, Microsoft's
 * WMI reference). The percentage follows the bytes processed, as a checkpoint's merge does
 * (`checkpoint/progress.ts`); the request waits for the task and answers the disk as it is then.
 * The task names are this host's: the jobs' captions are not documented.
 */
import { nowIso, type HostContext } from '../host/hostContext.js';
import { userMessage, dataFolderOf } from '../storage/fileSystemError.js';
import { newRunningTask, taskErrorCode } from '../tasks/taskRunner.js';
import type { TaskErrorCode } from '../types.js';

export const DISK_TASK_NAMES = {
  create: 'Creating virtual hard disk',
  convert: 'Converting virtual hard disk',
  compact: 'Compacting virtual hard disk',
  expand: 'Expanding virtual hard disk',
  merge: 'Merging virtual hard disk',
} as const;
export type DiskTaskKind = keyof typeof DISK_TASK_NAMES;

/** Reports the share of the bytes processed, 0..1; the task shows it in whole percents, rising. */
export type ReportBytes = (fraction: number) => void;

/**
 * Runs `work` as a host task on `disk`: announced as it starts, at every whole percent of the
 * bytes it processed, and as it ends (Completed at 100 %, or Failed with Windows' words).
 */
export async function runDiskTask<T>(
  ctx: HostContext,
  kind: DiskTaskKind,
  disk: string,
  work: (report: ReportBytes) => Promise<T>,
): Promise<T> {
  const { task, changed } = newRunningTask(ctx, { vmId: null, disk, name: DISK_TASK_NAMES[kind] });
  ctx.tasks.set(task.id, task);
  changed({});
  const report: ReportBytes = (fraction) => {
    const percent = Math.floor(Math.max(0, Math.min(1, fraction)) * 100);
    if (percent > task.percentComplete && percent < 100) changed({ percentComplete: percent });
  };
  const done = (async () => {
    try {
      const result = await work(report);
      changed({ status: 'Completed', percentComplete: 100, finishedAt: nowIso(ctx) });
      return result;
    } catch (error) {
      changed({
        status: 'Failed',
        finishedAt: nowIso(ctx),
        error: {
          code: diskTaskErrorCode(error),
          message: userMessage(error, dataFolderOf(ctx.dataLocation)),
        },
      });
      throw error;
    }
  })();
  ctx.inFlight.add(done);
  void done.then(
    () => ctx.inFlight.delete(done),
    () => ctx.inFlight.delete(done),
  );
  return done;
}

/** The engine's or the file operation's code, else DISK_EDIT_FAILED. */
function diskTaskErrorCode(error: unknown): TaskErrorCode {
  const code = taskErrorCode(error, 'merge');
  return code === 'MERGE_FAILED' ? 'DISK_EDIT_FAILED' : code;
}

/** Combines the progress of steps by their weights (bytes): step `i` reports its own 0..1. */
export function weightedSteps(weights: readonly number[], report: ReportBytes) {
  const total = weights.reduce((sum, w) => sum + Math.max(0, w), 0);
  let before = 0;
  return (index: number): ReportBytes => {
    before = weights.slice(0, index).reduce((sum, w) => sum + Math.max(0, w), 0);
    const weight = Math.max(0, weights[index] ?? 0);
    return (fraction) => {
      if (total <= 0) report((index + fraction) / Math.max(1, weights.length));
      else report((before + weight * fraction) / total);
    };
  };
}
