/** States a VM passes through between two steady states: one rule, shared with the web app. */
export { isTransitional } from '@hvm/contracts';
