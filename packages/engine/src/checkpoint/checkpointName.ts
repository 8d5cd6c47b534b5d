import { invalidArgument } from '../errors.js';
import { forbiddenNameCharacter, forbiddenNameCharacterMessage } from '../names/nameRule.js';

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

/**
 * `<VM name> - Backup - (M/D/YYYY - h:mm:ss AM)`: a recovery checkpoint (one a backup takes) is
 * named like the others, with "Backup" between the VM name and the time. [B] The form comes from
 * the product's issue 17, which quotes it as Hyper-V's; we found no Microsoft page or public
 * transcript that shows a recovery checkpoint's name, so the exact wording is not verified.
 */
export function recoveryCheckpointName(vmName: string, at: Date): string {
  return defaultCheckpointName(`${vmName} - Backup`, at);
}

/**
 * Names are 1-100 characters and not only white space (Hyper-V Manager's Rename rule, behaviour
 * spec §4.5), and hold no control or invisible character (`names/nameRule.ts`). `current` is the
 * name the object has now: keeping it is always allowed, so that a name that an older version let
 * in (the data folder is loaded as it is) does not block saving the object's other settings.
 */
export function validateName(
  field: string,
  raw: unknown,
  object: string,
  current?: string,
): string {
  if (typeof raw !== 'string') throw invalidArgument(field, `The ${object} name must be text.`);
  const name = raw.trim();
  if (name === '') throw invalidArgument(field, `The ${object} name cannot be empty.`);
  if (name.length > 100)
    throw invalidArgument(field, `The ${object} name cannot be longer than 100 characters.`);
  if (name !== current) {
    const problem = forbiddenNameCharacter(name);
    if (problem !== null)
      throw invalidArgument(field, forbiddenNameCharacterMessage(object, problem));
  }
  return name;
}
