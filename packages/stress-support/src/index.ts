export { Random, caseSeed } from './random.js';
