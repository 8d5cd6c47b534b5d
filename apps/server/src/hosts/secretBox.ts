/**
 * Encryption at rest of what a gateway keeps for its connections (the host tokens other servers
 * issued): AES-256-GCM with a key of this server's own, made at first use in
 * `<data folder>/Security/gateway.key` (32 random bytes, mode 0600). No password is ever stored.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { securityFolderName, writeFileAtomically } from '../auth/accountStore.js';

export interface SealedSecret {
  iv: string;
  tag: string;
  data: string;
}

export interface SecretBox {
  seal(plain: string): SealedSecret;
  open(sealed: SealedSecret): string;
}

export const gatewayKeyFileName = 'gateway.key';

export async function loadSecretBox(dataDir: string): Promise<SecretBox> {
  const path = join(dataDir, securityFolderName, gatewayKeyFileName);
  let key: Buffer;
  try {
    key = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    key = randomBytes(32);
    await writeFileAtomically(path, `${key.toString('base64')}\n`);
  }
  if (key.length !== 32) throw new Error(`${gatewayKeyFileName} does not hold a 256-bit key.`);
  return {
    seal: (plain) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return {
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        data: data.toString('base64'),
      };
    },
    open: (sealed) => {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([
        decipher.update(Buffer.from(sealed.data, 'base64')),
        decipher.final(),
      ]).toString('utf8');
    },
  };
}
