import { ErrorCode } from '@hvm/engine';
import { createTestHost } from '@hvm/engine/testing';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { statusForCode, type ApiErrorBody } from '../http/errors.js';

describe('a disk file that cannot be read', () => {
  it('Inspect Disk answers 422 CORRUPT_DISK naming the file, and logs no server error', async () => {
    const { host, store } = await createTestHost();
    await store.writeFileAtomic(
      'Virtual Hard Disks/broken.vhdx',
      new TextEncoder().encode('not a disk'),
    );
    const logged: unknown[] = [];
    const app = createApp(host, { logError: (error) => logged.push(error) });
    const response = await request(app)
      .get('/api/v1/disks/inspect')
      .query({ path: 'Virtual Hard Disks/broken.vhdx' });
    expect(response.status).toBe(422);
    const body = response.body as ApiErrorBody;
    expect(body.error.code).toBe('CORRUPT_DISK');
    expect(body.error.message).toContain('broken.vhdx');
    expect(logged).toEqual([]);
  });

  it('a power action cut short by another (CANCELLED) is a conflict, not a server error', () => {
    expect(statusForCode(ErrorCode.Cancelled)).toBe(409);
  });
});
