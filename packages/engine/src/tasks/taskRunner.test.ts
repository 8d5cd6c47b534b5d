import { describe, expect, it } from 'vitest';
import { EngineError, ErrorCode } from '../errors.js';
import { contextOf } from '../host/hostRegistry.js';
import { FileSystemError } from '../storage/fileSystemError.js';
import { buildVm, createTestHost } from '../testing/index.js';
import type { Task } from '../types.js';
import { runTask, taskErrorCode } from './taskRunner.js';

describe('the task runner', () => {
  it('creates, advances (only forward) and completes a task, announcing each step', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'WEB' });
    const ctx = contextOf(host);
    const seen: Task[] = [];
    host.subscribe((event) => {
      if (event.type === 'task-changed') seen.push(event.task);
    });
    const { task, done } = runTask(ctx, {
      kind: 'export',
      vm: ctx.vms.get(vm.id) ?? (undefined as never),
      work: (progress) => {
        progress.advance(40);
        progress.advance(30);
        progress.advance(100);
        return Promise.resolve();
      },
      describeFailure: () => 'never',
    });
    await done;
    expect(task.name).toBe('Exporting virtual machine');
    expect(seen.map((t) => [t.status, t.percentComplete])).toEqual([
      ['Running', 0],
      ['Running', 40],
      ['Completed', 100],
    ]);
    expect(host.getTask(task.id)).toMatchObject({ status: 'Completed', error: null });
  });

  it('fails a task with a typed code and the message users may read', async () => {
    const { host } = await createTestHost();
    const vm = await buildVm(host, { name: 'WEB' });
    const ctx = contextOf(host);
    const { task, done } = runTask(ctx, {
      kind: 'merge',
      vm: ctx.vms.get(vm.id) ?? (undefined as never),
      work: () => Promise.reject(new FileSystemError('ENOSPC', '0x80070070', null, 'full')),
      describeFailure: (error) => `said: ${(error as Error).message}`,
    });
    await done;
    expect(host.getTask(task.id)).toMatchObject({
      status: 'Failed',
      error: { code: 'ENOSPC', message: 'said: full' },
    });
  });

  it('says why a task failed from what failed, never from a guess at its shape', () => {
    const cancelled = new EngineError(ErrorCode.Cancelled, 'stopped');
    expect(taskErrorCode(cancelled, 'merge')).toBe('CANCELLED');
    const readOnly = Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
    expect(taskErrorCode(readOnly, 'export')).toBe('EROFS');
    // A code Windows has no words for, or none at all: the task kind's own.
    const crossDevice = Object.assign(new Error('EXDEV'), { code: 'EXDEV' });
    expect(taskErrorCode(crossDevice, 'export')).toBe('EXPORT_FAILED');
    expect(taskErrorCode(Object.assign(new Error('x'), { code: 'CORRUPT' }), 'merge')).toBe(
      'MERGE_FAILED',
    );
    expect(taskErrorCode('not an error', 'merge')).toBe('MERGE_FAILED');
  });
});
