import { invalidArgument } from '../errors.js';

/** `<VM name> - (M/D/YYYY - h:mm:ss AM)`, the name Hyper-V Manager gives a new checkpoint. */
export function defaultCheckpointName(vmName: string, at: Date): string {
  const hours = at.getHours();
  const h = hours % 12 === 0 ? 12 : hours % 12;
  const two = (n: number): string => String(n).padStart(2, '0');
  const date = `${at.getMonth() + 1}/${at.getDate()}/${at.getFullYear()}`;
  const time = `${h}:${two(at.getMinutes())}:${two(at.getSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
  return `${vmName} - (${date} - ${time})`;
}

/** `Automatic Checkpoint - <VM name> - (M/D/YYYY - h:mm:ss AM)` (behaviour spec §3). */
export function automaticCheckpointName(vmName: string, at: Date): string {
  return `Automatic Checkpoint - ${defaultCheckpointName(vmName, at)}`;
}

/** Names are 1-100 characters and not only white space (Hyper-V Manager's Rename rule). */
export function validateName(field: string, raw: unknown, object: string): string {
  if (typeof raw !== 'string') throw invalidArgument(field, `The ${object} name must be text.`);
  const name = raw.trim();
  if (name === '') throw invalidArgument(field, `The ${object} name cannot be empty.`);
  if (name.length > 100)
    throw invalidArgument(field, `The ${object} name cannot be longer than 100 characters.`);
  return name;
}
