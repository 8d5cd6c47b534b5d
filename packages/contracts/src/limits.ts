/**
 * Limits the engine enforces and the web app's forms check before sending, written once.
 */

/**
 * The longest automatic start delay, seconds (`Set-VM -AutomaticStartDelay`; Hyper-V Manager's
 * "Startup delay" box). 86400 (a day) is the simulator's bound; Microsoft's documentation names
 * none, so it is [I] here.
 */
export const AUTOMATIC_START_DELAY_MAX_SECONDS = 86_400;

/** The simulator's own sentence for a delay out of range (not Hyper-V's text, which is unknown). */
export const AUTOMATIC_START_DELAY_MESSAGE = `The startup delay must be a whole number of seconds between 0 and ${AUTOMATIC_START_DELAY_MAX_SECONDS}.`;

export function isValidAutomaticStartDelay(seconds: number): boolean {
  return Number.isInteger(seconds) && seconds >= 0 && seconds <= AUTOMATIC_START_DELAY_MAX_SECONDS;
}
