/**
 * Virtual Machine Connection of a guest that runs under QEMU: its serial console (COM1, the
 * guest's ttyS0) as a terminal shows it. Hyper-V's VMConnect shows the guest's screen; a QEMU
 * guest of this host has a serial console instead (README, "Real guests").
 */

/** Who watches a VM's serial console: it gets what the guest prints, as the guest prints it. */
export interface SerialConsoleViewer {
  /** Bytes as the guest wrote them (text with the terminal's escape sequences). */
  output(bytes: Uint8Array): void;
}

/** One viewer's connection to a VM's serial console. */
export interface SerialConsoleConnection {
  /**
   * The most recent output when the viewer connected (at most `SERIAL_CONSOLE_BACKLOG_BYTES`),
   * so that a new viewer's screen shows what the guest printed before; what follows comes to
   * `output`.
   */
  readonly backlog: Uint8Array;
  /** Ends the connection: nothing more comes to the viewer. Calling it again does nothing. */
  disconnect(): void;
}

/** The most recent output a VM's serial console keeps for viewers that connect later. */
export const SERIAL_CONSOLE_BACKLOG_BYTES = 64 * 1024;

/** The most viewers one VM's serial console has at once. */
export const SERIAL_CONSOLE_MAX_VIEWERS = 16;

/** The most bytes typed in one call (a paste is cut by the viewer into calls of this size). */
export const SERIAL_CONSOLE_MAX_INPUT_BYTES = 4096;
