/** Bodies of Connect to Server (the shapes are in @hvm/contracts' hosts.ts). */
import { z } from 'zod';

const address = z
  .string()
  .min(1, 'Type the name or address of the server.')
  .max(260, 'The server name is too long.');

export const probeBody = z.strictObject({ address });

export const connectServerBody = z.strictObject({
  address,
  fingerprint: z
    .string()
    .regex(/^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/, 'Confirm the certificate fingerprint first.'),
  userName: z.string().min(1, 'Type a user name.').max(256, 'The user name is too long.'),
  password: z.string().min(1, 'Type a password.').max(1024, 'The password is too long.'),
});
