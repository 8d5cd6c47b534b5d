/** The bodies of the PowerShell run routes (`/powershell/runs/{runId}/...`). */
import { z } from 'zod';

/** A run id: the client's own (to stop its run while the request is open) or the server's. */
export const runIdSchema = z.uuid('The run ID must be a UUID.');

/** The answer to a prompt (HostPromptAnswer): a choice's index, a line per field, or Ctrl+C. */
export const powerShellAnswerBody = z.strictObject({
  answer: z.union([
    z.strictObject({ choice: z.int().min(0).max(100) }),
    z.strictObject({ text: z.array(z.string().max(100_000)).max(100) }),
    z.strictObject({ cancelled: z.literal(true) }),
  ]),
});
