/**
 * The host's identity for host-to-host connections: a self-signed TLS certificate that each server
 * makes at its first start, kept in `<data folder>/Security` (the private key's file is its owner's
 * only, mode 0600). A gateway pins the certificate's SHA-256 fingerprint when an administrator
 * confirms it in Connect to Server, and sends no credential to a host that shows another one.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { writeFileAtomically } from '../auth/accountStore.js';
import { securityFolderName } from '../auth/accountStore.js';

export interface HostIdentity {
  /** PEM of the private key. */
  key: string;
  /** PEM of the self-signed certificate. */
  certificate: string;
  /** SHA-256 of the certificate, as `AB:CD:...` (what `X509Certificate.fingerprint256` gives). */
  fingerprint: string;
}

export const identityKeyFileName = 'host-identity.key';
export const identityCertificateFileName = 'host-identity.crt';

/** The fingerprint of a PEM certificate, in the form shown for confirmation. */
export function fingerprintOf(certificatePem: string): string {
  return new X509Certificate(certificatePem).fingerprint256;
}

/** Whether two fingerprints are the same (case and separators aside). */
export function sameFingerprint(a: string, b: string): boolean {
  const normal = (value: string): string => value.replace(/[^0-9a-f]/gi, '').toUpperCase();
  return normal(a) !== '' && normal(a) === normal(b);
}

async function readIfPresent(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The identity in `dataDir`, made (an EC P-256 key, valid for 20 years) when there is none yet. */
export async function loadOrCreateIdentity(
  dataDir: string,
  computerName: string,
): Promise<HostIdentity> {
  const folder = join(dataDir, securityFolderName);
  const keyPath = join(folder, identityKeyFileName);
  const certificatePath = join(folder, identityCertificateFileName);
  const [key, certificate] = await Promise.all([
    readIfPresent(keyPath),
    readIfPresent(certificatePath),
  ]);
  if (key !== null && certificate !== null) {
    return { key, certificate, fingerprint: fingerprintOf(certificate) };
  }
  const now = new Date();
  const made = await generate([{ name: 'commonName', value: computerName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: new Date(now.getTime() + 20 * 365 * 24 * 3_600_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
    ],
  });
  // The key first: a certificate without its key would be replaced at the next start anyway.
  await writeFileAtomically(keyPath, made.private);
  await writeFileAtomically(certificatePath, made.cert);
  return { key: made.private, certificate: made.cert, fingerprint: fingerprintOf(made.cert) };
}
