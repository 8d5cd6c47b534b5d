/**
 * How many sign-ins are checked at once: per client address, per account and in all. The hasher
 * here finishes its hashes only when the test says, so that "at once" is exact, not a race.
 */
import type { Express } from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAuthTestApp } from '../testing/authTestApp.js';
import type { TestAccount } from '../testing/authTestApp.js';
import { gatedHasher } from '../testing/gatedHasher.js';
import type { GatedHasher } from '../testing/gatedHasher.js';
import { listen as listenOnPort } from '../testing/signInOverHttp.js';
import type { ListeningApp, SignInAnswer } from '../testing/signInOverHttp.js';
import type { LoginRateLimits } from './loginRateLimiter.js';
import { HashingQueueFull } from './passwordHasher.js';
import { Role } from './roles.js';

const admin = { name: 'Administrator', role: Role.Administrator, password: 'Pa$$w0rd-admin' };
const reader = (n: number): TestAccount => ({
  name: `reader${n}`,
  role: Role.Reader,
  password: `Pa$$w0rd-reader-${n}`,
});

const servers: ListeningApp[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function appWith(
  hasher: GatedHasher,
  accounts: TestAccount[] = [admin],
  loginRateLimits?: LoginRateLimits,
): Promise<{ app: Express; server: ListeningApp; logs: string[] }> {
  const { app, logs } = await createAuthTestApp(accounts, {
    app: { trustProxy: 'loopback' },
    auth: { passwordHasher: hasher, ...(loginRateLimits === undefined ? {} : { loginRateLimits }) },
  });
  const server = await listenOnPort(app);
  servers.push(server);
  return { app, server, logs };
}

/** Sends all at once; resolves when `settled` of them answered (the others wait on the hasher). */
async function sendAtOnce(
  hasher: GatedHasher,
  attempts: (() => Promise<SignInAnswer>)[],
  checked: number,
): Promise<{ refused: SignInAnswer[]; all: Promise<SignInAnswer[]> }> {
  const answered: SignInAnswer[] = [];
  const all = Promise.all(
    attempts.map(async (attempt) => {
      const answer = await attempt();
      answered.push(answer);
      return answer;
    }),
  );
  await vi.waitFor(
    () => {
      expect(answered).toHaveLength(attempts.length - checked);
      expect(hasher.pending).toBe(checked);
    },
    { timeout: 20_000 },
  );
  return { refused: [...answered], all };
}

const busyMessage = 'Too many sign-in attempts are being checked at once. Try again in 1 second.';

function expectBusy(answers: SignInAnswer[], seconds = 1): void {
  for (const answer of answers) {
    expect(answer.status).toBe(429);
    expect(answer.retryAfter).toBe(String(seconds));
    expect(answer.body.error?.code).toBe('TOO_MANY_REQUESTS');
    expect(answer.setCookie).toBeNull();
  }
}

describe('sign-ins checked at once', () => {
  it('from one address: at most 2; the others are refused at once with 429 and Retry-After: 1', async () => {
    const hasher = gatedHasher();
    const accounts = Array.from({ length: 10 }, (_, n) => reader(n));
    const { server } = await appWith(hasher, [admin, ...accounts]);
    const { refused, all } = await sendAtOnce(
      hasher,
      accounts.map((account) => () => server.signIn(account.name, account.password)),
      2,
    );
    expectBusy(refused);
    expect(refused[0]?.body.error?.message).toBe(busyMessage);
    hasher.release();
    const answers = await all;
    expect(answers.filter((a) => a.status === 200)).toHaveLength(2);
    // The slots are free again.
    const next = accounts[9] ?? reader(9);
    const again = server.signIn(next.name, next.password);
    await vi.waitFor(() => expect(hasher.pending).toBe(1));
    hasher.release();
    expect((await again).status).toBe(200);
  });
});

const forged = (n: number): Record<string, string> => ({ 'x-forwarded-for': `198.51.100.${n}` });

/** One sign-in, its hash released as soon as it is queued. */
async function signInReleased(
  server: ListeningApp,
  hasher: GatedHasher,
  userName: string,
  password: string,
): Promise<SignInAnswer> {
  const answer = server.signIn(userName, password);
  await vi.waitFor(() => expect(hasher.pending).toBe(1), { timeout: 20_000 });
  hasher.release();
  return answer;
}

describe('sign-in attempts and the failure count', () => {
  it('for one account from 10 addresses: at most 2', async () => {
    const hasher = gatedHasher();
    const { server } = await appWith(hasher);
    const { refused, all } = await sendAtOnce(
      hasher,
      Array.from(
        { length: 10 },
        (_, n) => () => server.signIn('Administrator', 'wrong', forged(n)),
      ),
      2,
    );
    expectBusy(refused);
    hasher.release();
    expect((await all).filter((a) => a.status === 401)).toHaveLength(2);
  });

  it('in all: no more than the hashing queue holds; the others get its Retry-After and are not counted', async () => {
    const hasher = gatedHasher(3);
    const accounts = Array.from({ length: 10 }, (_, n) => reader(n));
    const { server } = await appWith(hasher, [admin, ...accounts]);
    const { refused, all } = await sendAtOnce(
      hasher,
      accounts.map((account, n) => () => server.signIn(account.name, 'wrong', forged(n))),
      3,
    );
    expectBusy(refused, 7);
    expect(refused[0]?.body.error?.message).toBe(
      'Too many sign-in attempts are being checked at once. Try again in 7 seconds.',
    );
    // While the queue is full, even the right password is refused, and not counted as a failure.
    for (let attempt = 0; attempt < 8; attempt += 1) {
      expectBusy([await server.signIn('Administrator', admin.password, forged(99))], 7);
    }
    hasher.release();
    expect((await all).filter((a) => a.status === 401)).toHaveLength(3);
    expect((await signInReleased(server, hasher, 'Administrator', admin.password)).status).toBe(
      200,
    );
  });

  it('every attempt counts before its password is checked: 60 at once with no limit on attempts at once, 5 are checked', async () => {
    const hasher = gatedHasher();
    const window = 15 * 60 * 1000;
    const { server, logs } = await appWith(hasher, [admin], {
      perAccount: { maxFailures: 5, windowMs: window, maxConcurrent: 100 },
      perAddress: { maxFailures: 100, windowMs: window, maxConcurrent: 100 },
    });
    const { refused, all } = await sendAtOnce(
      hasher,
      Array.from({ length: 60 }, (_, n) => () => server.signIn('Administrator', `guess ${n}`)),
      5,
    );
    for (const answer of refused) {
      expect(answer.status).toBe(429);
      expect(answer.retryAfter).toBe(String(15 * 60));
      expect(answer.body.error?.message).toBe(
        'There have been too many unsuccessful sign-in attempts. Try again in 15 minutes.',
      );
    }
    hasher.release();
    expect((await all).filter((a) => a.status === 401)).toHaveLength(5);
    expect(logs.filter((line) => line.startsWith('Sign-in failed'))).toHaveLength(5);
  });

  it('a successful sign-in gives its attempt back: successes never lock an address', async () => {
    const hasher = gatedHasher();
    const window = 15 * 60 * 1000;
    const { server } = await appWith(hasher, [admin], {
      perAccount: { maxFailures: 100, windowMs: window },
      perAddress: { maxFailures: 3, windowMs: window },
    });
    for (const password of ['wrong 1', 'wrong 2']) {
      expect((await signInReleased(server, hasher, 'Administrator', password)).status).toBe(401);
    }
    for (let round = 0; round < 4; round += 1) {
      expect((await signInReleased(server, hasher, 'Administrator', admin.password)).status).toBe(
        200,
      );
    }
    expect((await signInReleased(server, hasher, 'Administrator', 'wrong 3')).status).toBe(401);
    const locked = await server.signIn('Administrator', admin.password);
    expect(locked.status).toBe(429);
    expect(hasher.pending).toBe(0);
  });
});

describe('a hash the queue refuses after all', () => {
  it('answers 429 with the queue’s Retry-After and gives the attempt back', async () => {
    const real = gatedHasher();
    let refuse = true;
    const hasher: GatedHasher = {
      ...real,
      get pending() {
        return real.pending;
      },
      // Room was reported, then the queue refused (another caller took the place).
      derive: (password, salt, cost) =>
        refuse ? Promise.reject(new HashingQueueFull(3)) : real.derive(password, salt, cost),
    };
    const { server } = await appWith(hasher);
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const answer = await server.signIn('Administrator', 'wrong');
      expect(answer.status).toBe(429);
      expect(answer.retryAfter).toBe('3');
    }
    refuse = false;
    expect((await signInReleased(server, hasher, 'Administrator', admin.password)).status).toBe(
      200,
    );
  });
});
