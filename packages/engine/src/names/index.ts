export {
  forbiddenNameCharacter,
  forbiddenNameCharacterMessage,
  nameKey,
  sameName,
} from './nameRule.js';
export type { ForbiddenNameCharacter } from './nameRule.js';
