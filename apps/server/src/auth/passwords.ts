/**
 * Password hashes: scrypt with a random 16-byte salt per account, compared in constant time.
 * The parameters are stored with each hash so that they can be raised later.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';

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

const defaultCost = { N: 16384, r: 8, p: 1 } as const;
const keyLength = 64;

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      keyLength,
      { ...options, maxmem: 64 * 1024 * 1024 },
      (error, key) => {
        if (error) reject(error);
        else resolve(key);
      },
    );
  });
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

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, defaultCost);
  return {
    algorithm: 'scrypt',
    ...defaultCost,
    salt: salt.toString('base64'),
    hash: key.toString('base64'),
  };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  const expected = Buffer.from(stored.hash, 'base64');
  const actual = await derive(password, Buffer.from(stored.salt, 'base64'), {
    N: stored.N,
    r: stored.r,
    p: stored.p,
  });
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

let decoy: Promise<PasswordHash> | undefined;

/** Spends the time of one verification, so that an unknown user name answers as slowly as a known one. */
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoy ??= hashPassword(randomBytes(18).toString('base64'));
  await verifyPassword(password, await decoy);
  return false;
}

/** A random password for the first Administrator: 24 characters from a 64-letter alphabet. */
export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}
