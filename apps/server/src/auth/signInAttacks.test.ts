/**
 * Sign-in as an attacker tries it: many requests at once over real connections, forged client
 * addresses behind a trusted proxy, and look-alike spellings of a locked account's name.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createAuthTestApp } from '../testing/authTestApp.js';
import { listen as listenOnPort } from '../testing/signInOverHttp.js';
import type { ListeningApp } from '../testing/signInOverHttp.js';
import { Role } from './roles.js';

const admin = { name: 'Administrator', role: Role.Administrator, password: 'Pa$$w0rd-admin' };

const servers: ListeningApp[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function listen(app: Express): Promise<ListeningApp> {
  const server = await listenOnPort(app);
  servers.push(server);
  return server;
}

const verified = (logs: string[]): number =>
  logs.filter((line) => line.startsWith('Sign-in failed')).length;

describe('sign-in under a flood of attempts at once', () => {
  it('60 wrong passwords sent at once for one account: at most 5 are checked, the rest get 429 with Retry-After', async () => {
    const { app, logs } = await createAuthTestApp([admin]);
    const { signIn } = await listen(app);
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => signIn('Administrator', `guess ${i}`)),
    );
    expect(verified(logs)).toBeLessThanOrEqual(5);
    expect(answers.filter((a) => a.status === 401).length).toBeLessThanOrEqual(5);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(55);
    for (const answer of refused) {
      expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(answer.body.error?.code).toBe('TOO_MANY_REQUESTS');
    }
    expect(answers.every((a) => a.status === 401 || a.status === 429)).toBe(true);
    expect(answers.some((a) => a.setCookie !== null)).toBe(false);
  });

  it('60 wrong passwords for one account from 60 forged addresses: still at most 5 are checked', async () => {
    const { app, logs } = await createAuthTestApp([admin], { app: { trustProxy: 'loopback' } });
    const { signIn } = await listen(app);
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        signIn('Administrator', `guess ${i}`, { 'x-forwarded-for': `203.0.113.${i + 1}` }),
      ),
    );
    expect(verified(logs)).toBeLessThanOrEqual(5);
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(55);
  });
});

describe('a locked account under look-alike names', () => {
  const spellings = {
    'full-width letters': 'Ａｄｍｉｎｉｓｔｒａｔｏｒ',
    'another case': 'aDMINISTRATOR',
    'a soft hyphen inside': 'Admin\u00ADistrator',
    'a zero-width space inside': 'Admin\u200Bistrator',
    'a zero-width joiner inside': 'Admin\u200Distrator',
    'a trailing NUL': 'Administrator\u0000',
    'a byte order mark in front': '\uFEFFAdministrator',
    'full-width with a soft hyphen': 'Ａｄｍｉｎ\u00ADｉｓｔｒａｔｏｒ',
  };

  it.each(Object.entries(spellings))(
    'after 5 failures, the right password under %s does not sign in',
    async (_, spelling) => {
      const { app } = await createAuthTestApp([admin]);
      const { signIn } = await listen(app);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        expect((await signIn('Administrator', `guess ${attempt}`)).status).toBe(401);
      }
      const answer = await signIn(spelling, admin.password);
      expect([401, 429]).toContain(answer.status);
      expect(answer.setCookie).toBeNull();
      // And the plain spelling is still locked.
      expect((await signIn('Administrator', admin.password)).status).toBe(429);
    },
  );

  it('failures under look-alike spellings count for the account they sign in to', async () => {
    const { app } = await createAuthTestApp([admin]);
    const { signIn } = await listen(app);
    for (const spelling of [
      'administrator',
      'ADMINISTRATOR',
      'Ａｄｍｉｎｉｓｔｒａｔｏｒ',
      'AdMiNiStRaToR',
      'ａｄｍｉｎｉｓｔｒａｔｏｒ',
    ]) {
      expect((await signIn(spelling, 'wrong password')).status).toBe(401);
    }
    expect((await signIn('Administrator', admin.password)).status).toBe(429);
  });
});
