import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GuestImageBuildError, ensureGuestImage, type GuestImageName } from './guestImage.js';

const dir = mkdtempSync(path.join(tmpdir(), 'hvm-guest-image-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ensureGuestImage', () => {
  it('refuses a name that is not one of the images', async () => {
    await expect(ensureGuestImage('windows-server-2016-sql' as GuestImageName)).rejects.toThrow(
      'Unknown guest image windows-server-2016-sql',
    );
  });

  it("rejects with the build script's own words when it cannot build", async () => {
    const notAFolder = path.join(dir, 'a-file');
    writeFileSync(notAFolder, '');
    const failure = ensureGuestImage('tiny-linux', { dir: path.join(notAFolder, 'images') });
    await expect(failure).rejects.toBeInstanceOf(GuestImageBuildError);
    await expect(failure).rejects.toThrow(/^The guest image build failed: /);
  });
});
