import { randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileStore } from '@hvm/engine';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAuthTestApp, signIn } from '../testing/authTestApp.js';
import { listen } from '../testing/signInOverHttp.js';
import type { ListeningApp } from '../testing/signInOverHttp.js';
import { HashingQueueFull, KEY_LENGTH, PasswordHasher } from './passwordHasher.js';
import { Role } from './roles.js';

const cost = { N: 16384, r: 8, p: 1 };
const hashers: PasswordHasher[] = [];
const servers: ListeningApp[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) server.close();
  await Promise.all(hashers.splice(0).map((hasher) => hasher.close()));
});

function newHasher(maxQueued: number): PasswordHasher {
  const hasher = new PasswordHasher({ maxQueued });
  hashers.push(hasher);
  return hasher;
}

/** File-system work on libuv's thread pool: write, flush, read back and remove 1 MiB. */
async function diskWork(folder: string): Promise<void> {
  const path = join(folder, `work-${randomBytes(4).toString('hex')}.bin`);
  const data = randomBytes(1024 * 1024);
  const handle = await fs.open(path, 'w');
  await handle.writeFile(data);
  await handle.sync();
  await handle.close();
  expect((await fs.readFile(path)).equals(data)).toBe(true);
  await fs.rm(path);
}

describe('the password hashing thread', () => {
  it('derives the same key as scrypt', async () => {
    const hasher = newHasher(4);
    const salt = randomBytes(16);
    const key = await hasher.derive('Pa$$w0rd', salt, cost);
    expect(key.equals(scryptSync('Pa$$w0rd', salt, KEY_LENGTH, cost))).toBe(true);
    expect(hasher.stats()).toEqual({ running: 0, queued: 0, started: 1, completed: 1 });
  });

  it('holds at most maxQueued hashes behind the running one and refuses more at once, with a Retry-After', async () => {
    const hasher = newHasher(2);
    const salt = randomBytes(16);
    const accepted = [1, 2, 3].map((n) => hasher.derive(`password ${n}`, salt, cost));
    expect(hasher.stats()).toMatchObject({ running: 1, queued: 2 });
    expect(hasher.hasRoom()).toBe(false);
    const refused = hasher.derive('one more', salt, cost);
    await expect(refused).rejects.toBeInstanceOf(HashingQueueFull);
    await expect(refused).rejects.toMatchObject({
      retryAfterSeconds: expect.any(Number) as unknown,
    });
    expect(hasher.retryAfterSeconds()).toBeGreaterThanOrEqual(1);
    await Promise.all(accepted);
    expect(hasher.hasRoom()).toBe(true);
    expect(hasher.stats()).toEqual({ running: 0, queued: 0, started: 3, completed: 3 });
  });

  it('a hash that fails (an invalid cost) fails alone; the next one is computed', async () => {
    const hasher = newHasher(4);
    const salt = randomBytes(16);
    const bad = hasher.derive('x', salt, { N: 3, r: 8, p: 1 });
    const good = hasher.derive('x', salt, cost);
    await expect(bad).rejects.toThrow();
    expect((await good).length).toBe(KEY_LENGTH);
  });

  it('close fails the hashes still waiting', async () => {
    const hasher = newHasher(4);
    const salt = randomBytes(16);
    const outcomes = [1, 2, 3].map((n) =>
      hasher.derive(`password ${n}`, salt, cost).then(
        () => 'derived',
        (error: Error) => error.message,
      ),
    );
    await hasher.close();
    expect(await Promise.all(outcomes)).toEqual(
      Array.from({ length: 3 }, () => 'The password hasher was closed.'),
    );
  });

  it('with the hashing queue full, file-system work finishes while hashes are still queued', async () => {
    const hasher = newHasher(32);
    const salt = randomBytes(16);
    const backlog = Array.from({ length: 33 }, (_, n) => hasher.derive(`guess ${n}`, salt, cost));
    expect(hasher.hasRoom()).toBe(false);
    const folder = mkdtempSync(join(tmpdir(), 'hvm-hashing-'));
    for (let round = 0; round < 5; round += 1) await diskWork(folder);
    // Had the hashes shared libuv's pool with the file system, the files would have waited for
    // the whole backlog.
    expect(hasher.stats().queued).toBeGreaterThan(0);
    await Promise.all(backlog);
    expect(hasher.stats().completed).toBe(33);
  });
});

describe('sign-in floods and the host’s disk work', () => {
  it('600 anonymous sign-ins at once: a checkpoint through the app finishes while hashes are still queued; the overflow gets 429 with Retry-After', async () => {
    const dataFolder = mkdtempSync(join(tmpdir(), 'hvm-flood-'));
    const hasher = newHasher(40);
    const admin = { name: 'Administrator', role: Role.Administrator, password: 'Pa$$w0rd-admin' };
    const { app, host } = await createAuthTestApp([admin], {
      app: { trustProxy: 'loopback' },
      auth: { passwordHasher: hasher },
      store: nodeFileStore(dataFolder),
    });
    const { agent, csrfToken } = await signIn(app, 'Administrator', admin.password);
    const vm = await host.createVm({
      name: 'DISK-WORK',
      memoryStartupMB: 512,
      diskSizeBytes: 64 * 1024 * 1024,
    });
    const server = await listen(app);
    servers.push(server);
    // A botnet: every attempt from its own address, for its own user name.
    const flood = Array.from({ length: 600 }, (_, n) =>
      server.signIn(`nobody${n}`, 'wrong', {
        'x-forwarded-for': `10.${(n >> 8) & 255}.${n & 255}.1`,
      }),
    );
    await vi.waitFor(() => expect(hasher.stats().queued).toBeGreaterThanOrEqual(30), {
      timeout: 30_000,
    });
    const created = await agent
      .post(`/api/v1/vms/${vm.id}/checkpoints`)
      .set('X-CSRF-Token', csrfToken)
      .send({ name: 'During the flood' });
    expect(created.status).toBe(201);
    expect(hasher.stats().queued).toBeGreaterThan(0);
    await diskWork(dataFolder);
    expect(hasher.stats().queued).toBeGreaterThan(0);

    const answers = await Promise.all(flood);
    const refused = answers.filter((answer) => answer.status === 429);
    const checked = answers.filter((answer) => answer.status === 401);
    expect(refused.length + checked.length).toBe(600);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) {
      expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(answer.body.error?.message).toMatch(
        /^Too many sign-in attempts are being checked at once\. Try again in \d+ seconds?\.$/,
      );
    }
    expect(host.listCheckpoints(vm.id).checkpoints.map((c) => c.name)).toEqual([
      'During the flood',
    ]);
  }, 120_000);
});
