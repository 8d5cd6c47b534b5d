import type { Demo } from './demoContext.js';
import { powershellStory } from './powershellStory.js';
import { productionCheckpoint } from './productionCheckpoint.js';
import { productionFallback } from './productionFallback.js';
import { recoveryCheckpoint } from './recoveryCheckpoint.js';
import { standardCheckpoint } from './standardCheckpoint.js';
import { treeWork } from './treeWork.js';

/** Every demo, in the order `npm run demo` runs them. */
export const DEMOS: readonly Demo[] = [
  standardCheckpoint,
  productionCheckpoint,
  productionFallback,
  recoveryCheckpoint,
  treeWork,
  powershellStory,
];
