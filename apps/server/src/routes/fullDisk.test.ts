import { memoryFileStore, type FileStore } from '@hvm/engine';
import { createTestHost } from '@hvm/engine/testing';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import type { ApiErrorBody } from '../http/errors.js';

/** A store whose disk turns full or read-only on demand: every write then fails with that error. */
function failingStore(): { store: FileStore; fail: { code: string | null } } {
  const inner = memoryFileStore();
  const fail: { code: string | null } = { code: null };
  const refuse = (): void => {
    if (fail.code !== null)
      throw Object.assign(new Error(`${fail.code}: write refused`), { code: fail.code });
  };
  const store: FileStore = {
    ...inner,
    writeFileAtomic: async (path, data) => {
      refuse();
      await inner.writeFileAtomic(path, data);
    },
    open: async (path, mode) => {
      if (mode !== 'r') refuse();
      return inner.open(path, mode);
    },
  };
  return { store, fail };
}

describe('a full or read-only data folder', () => {
  it.each([
    ['ENOSPC', 507, 'INSUFFICIENT_STORAGE', /not enough space on the disk/],
    ['EROFS', 503, 'STORAGE_READ_ONLY', /write protected/],
  ])(
    '%s: creating a checkpoint answers %i %s in the JSON error shape; the tree is unchanged',
    async (code, status, apiCode, message) => {
      const { store, fail } = failingStore();
      const { host } = await createTestHost({ store });
      const vm = await host.createVm({ name: 'web01', guestImage: null, diskSizeBytes: 1024 ** 3 });
      const app = createApp(host, { logError: () => undefined });
      fail.code = code;
      const response = await request(app).post(`/api/v1/vms/${vm.id}/checkpoints`).send({});
      fail.code = null;
      expect(response.status).toBe(status);
      const body = response.body as ApiErrorBody;
      expect(body.error.code).toBe(apiCode);
      expect(body.error.message).toMatch(message);
      expect(host.listCheckpoints(vm.id).checkpoints).toEqual([]);
      expect((await host.checkHost()).ok).toBe(true);
    },
  );
});
