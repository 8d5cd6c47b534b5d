import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILE_MODE } from '@hvm/filestore';
import { securityFolderName } from '../auth/accountStore.js';
import { hostTokensFileName, hostTokenStore, MAX_TOKENS_PER_ACCOUNT } from './hostTokens.js';

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'hvm-tokens-'));
}

describe('host tokens', () => {
  it('finds an issued token, keeps only its hash, and forgets it when revoked', async () => {
    const dataDir = folder();
    const store = hostTokenStore(dataDir);
    const token = await store.issue('alice', '2024-03-05T14:07:09.000Z');
    expect(store.find(token)?.accountName).toBe('alice');
    const file = join(dataDir, securityFolderName, hostTokensFileName);
    expect(readFileSync(file, 'utf8')).not.toContain(token.split('.')[1]);
    expect(statSync(file).mode & 0o777).toBe(FILE_MODE);
    // Another server start reads the same tokens.
    expect(hostTokenStore(dataDir).find(token)?.accountName).toBe('alice');
    expect(await store.revoke(token)).toBe(true);
    expect(store.find(token)).toBeUndefined();
  });

  it('refuses a token with the right id and another secret, and malformed tokens', async () => {
    const store = hostTokenStore(folder());
    const token = await store.issue('alice', '');
    const [id] = token.split('.');
    expect(store.find(`${id ?? ''}.${'A'.repeat(43)}`)).toBeUndefined();
    expect(store.find('')).toBeUndefined();
    expect(store.find(`${token}x`)).toBeUndefined();
  });

  it(`keeps at most ${MAX_TOKENS_PER_ACCOUNT} tokens per account, dropping the oldest`, async () => {
    const store = hostTokenStore(folder());
    const first = await store.issue('alice', '');
    for (let i = 0; i < MAX_TOKENS_PER_ACCOUNT; i += 1) await store.issue('alice', '');
    expect(store.find(first)).toBeUndefined();
  });
});
