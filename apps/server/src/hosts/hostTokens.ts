/**
 * Host tokens: what this server issues to a gateway (another server of this product that manages
 * it) when a user signs in there through Connect to Server. The gateway keeps the token, never the
 * password, and sends it as `Authorization: Bearer`. Each token acts as the account it was issued
 * to, with that account's role and grants as they are at each request; it stops working when the
 * account is removed or its password changes, or when it is revoked. Only the SHA-256 of each
 * token is stored, in `<data folder>/Security/host-tokens.json` (mode 0600).
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { securityFolderName, writeFileAtomically } from '../auth/accountStore.js';
import { sameSecret } from '../auth/sessions.js';

export interface HostTokenRecord {
  id: string;
  accountName: string;
  /** The account's `passwordChangedAt` when the token was issued. */
  passwordChangedAt: string;
  /** SHA-256 (hex) of the secret part. */
  hash: string;
  issuedAt: string;
}

interface HostTokensFile {
  version: 1;
  tokens: HostTokenRecord[];
}

export const hostTokensFileName = 'host-tokens.json';
/** Tokens kept per account; issuing one more drops the oldest. */
export const MAX_TOKENS_PER_ACCOUNT = 32;
/** Tokens kept in all. */
export const MAX_TOKENS = 1_000;

const tokenPattern = /^hvt_([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/;

function hashOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export interface HostTokenStore {
  issue(accountName: string, passwordChangedAt: string): Promise<string>;
  /** The record of a presented token, when it is one this server issued and still keeps. */
  find(token: string): HostTokenRecord | undefined;
  revoke(token: string): Promise<boolean>;
}

function readTokens(path: string): HostTokenRecord[] {
  try {
    const file = JSON.parse(readFileSync(path, 'utf8')) as Partial<HostTokensFile>;
    return file.version === 1 && Array.isArray(file.tokens) ? file.tokens : [];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export function hostTokenStore(dataDir: string): HostTokenStore {
  const path = join(dataDir, securityFolderName, hostTokensFileName);
  let tokens = readTokens(path);
  let writing = Promise.resolve();
  const save = (): Promise<void> => {
    const text = `${JSON.stringify({ version: 1, tokens } satisfies HostTokensFile, null, 2)}\n`;
    writing = writing.then(() => writeFileAtomically(path, text));
    return writing;
  };
  const parse = (token: string): { id: string; secret: string } | undefined => {
    const match = tokenPattern.exec(token);
    return match?.[1] === undefined || match[2] === undefined
      ? undefined
      : { id: match[1], secret: match[2] };
  };
  return {
    issue: async (accountName, passwordChangedAt) => {
      const id = randomBytes(8).toString('hex');
      const secret = randomBytes(32).toString('base64url');
      const own = tokens.filter((record) => record.accountName === accountName);
      const dropped = new Set(
        own.slice(0, Math.max(0, own.length - MAX_TOKENS_PER_ACCOUNT + 1)).map((r) => r.id),
      );
      tokens = tokens.filter((record) => !dropped.has(record.id)).slice(-(MAX_TOKENS - 1));
      tokens.push({
        id,
        accountName,
        passwordChangedAt,
        hash: hashOf(secret),
        issuedAt: new Date().toISOString(),
      });
      await save();
      return `hvt_${id}.${secret}`;
    },
    find: (token) => {
      const parts = parse(token);
      if (parts === undefined) return undefined;
      const record = tokens.find((candidate) => candidate.id === parts.id);
      return record !== undefined && sameSecret(hashOf(parts.secret), record.hash)
        ? record
        : undefined;
    },
    revoke: async (token) => {
      const parts = parse(token);
      if (parts === undefined) return false;
      const before = tokens.length;
      tokens = tokens.filter(
        (record) => record.id !== parts.id || !sameSecret(hashOf(parts.secret), record.hash),
      );
      if (tokens.length === before) return false;
      await save();
      return true;
    },
  };
}
