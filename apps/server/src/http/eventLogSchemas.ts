/** The query of `GET /event-log`. */
import { EventLevel } from '@hvm/engine';
import type { EventLogQuery, VmId } from '@hvm/engine';
import { z } from 'zod';

const levelNames = Object.values(EventLevel).join(', ');

const levelSchema = z.enum(EventLevel, {
  error: (issue) =>
    `"${String(issue.input)}" is not an event level. Specify one or more of: ${levelNames}`,
});

/** `level=Error,Warning` or `level=Error&level=Warning`. */
const levelsSchema = z
  .union([z.string().max(100), z.array(z.string().max(100)).max(3)])
  .transform((value) =>
    (Array.isArray(value) ? value : [value])
      .flatMap((part) => part.split(','))
      .map((part) => part.trim())
      .filter((part) => part !== ''),
  )
  .pipe(z.array(levelSchema));

const timeSchema = z.iso.datetime({
  offset: true,
  error: 'Give a date and time as ISO 8601, e.g. 2024-03-05T14:07:09Z.',
});

export const eventLogQuery = z
  .strictObject({
    vmId: z.string().min(1).max(200).exactOptional(),
    level: levelsSchema.exactOptional(),
    from: timeSchema.exactOptional(),
    to: timeSchema.exactOptional(),
    text: z.string().max(200, 'The text must be at most 200 characters long.').exactOptional(),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    limit: z.coerce
      .number()
      .int()
      .min(1, 'The limit must be between 1 and 1000.')
      .max(1000, 'The limit must be between 1 and 1000.')
      .default(100),
  })
  .transform(({ vmId, level, from, to, text, offset, limit }): EventLogQuery => ({
    ...(vmId === undefined ? {} : { vmId: vmId as VmId }),
    ...(level === undefined ? {} : { levels: level }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(text === undefined ? {} : { text }),
    offset,
    limit,
  }));
