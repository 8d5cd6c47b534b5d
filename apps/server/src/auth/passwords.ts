/**
 * Password hashes: scrypt with a random 16-byte salt per account, compared in constant time.
 * The parameters are stored with each hash so that they can be raised later.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { KEY_LENGTH, sharedPasswordHasher } from './passwordHasher.js';
import type { PasswordHashing, ScryptCost } from './passwordHasher.js';

export interface PasswordHash {
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
  /** base64 */
  salt: string;
  /** base64 */
  hash: string;
}

const defaultCost: ScryptCost = { N: 16384, r: 8, p: 1 };

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;

/** The key of a password, computed on the hashing thread (`passwordHasher.ts`). */
function derive(
  hasher: PasswordHashing,
  password: string,
  salt: Buffer,
  cost: ScryptCost,
): Promise<Buffer> {
  return hasher.derive(password.normalize('NFC'), salt, cost);
}

/** Says what is wrong with a new password, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`;
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`;
  }
  return null;
}

export async function hashPassword(
  password: string,
  hasher: PasswordHashing = sharedPasswordHasher(),
): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const key = await derive(hasher, password, salt, defaultCost);
  return {
    algorithm: 'scrypt',
    ...defaultCost,
    salt: salt.toString('base64'),
    hash: key.toString('base64'),
  };
}

/**
 * Whether `password` is the one of `stored`. The hash is queued before this returns its promise,
 * so a caller that checked `hasher.hasRoom()` just before knows it was accepted.
 */
export async function verifyPassword(
  password: string,
  stored: PasswordHash,
  hasher: PasswordHashing = sharedPasswordHasher(),
): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await derive(hasher, password, Buffer.from(stored.salt, 'base64'), {
    N: stored.N,
    r: stored.r,
    p: stored.p,
  });
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A hash no password has: random bytes in place of the key, at the cost of a real one. */
const decoy: PasswordHash = {
  algorithm: 'scrypt',
  ...defaultCost,
  salt: randomBytes(16).toString('base64'),
  hash: randomBytes(KEY_LENGTH).toString('base64'),
};

/** Spends the time of one verification, so that an unknown user name answers as slowly as a known one. */
export async function verifyAgainstDecoy(
  password: string,
  hasher: PasswordHashing = sharedPasswordHasher(),
): Promise<false> {
  await verifyPassword(password, decoy, hasher);
  return false;
}

/** A random password for the first Administrator: 24 characters from a 64-letter alphabet. */
export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}
