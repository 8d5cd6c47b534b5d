/**
 * The guest's serial console (COM1, ttyS0) as the host reads it: the most recent output up to a
 * bound, complete lines to listeners, and waits for a line. A guest can print without end; only
 * `maxBytes` of it are kept and a line is cut at `maxLineBytes`.
 */
export class SerialConsole {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private partial = '';
  private readonly listeners = new Set<(line: string) => void>();
  private readonly outputListeners = new Set<(chunk: Buffer) => void>();

  constructor(
    private readonly maxBytes = 256 * 1024,
    private readonly maxLineBytes = 4096,
  ) {}

  /** Feeds what the guest printed. */
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    while (this.bytes > this.maxBytes && this.chunks.length > 1) {
      const dropped = this.chunks.shift();
      this.bytes -= dropped?.length ?? 0;
    }
    for (const listener of this.outputListeners) listener(chunk);
    const text = this.partial + chunk.toString('latin1');
    const lines = text.split('\n');
    this.partial = (lines.pop() ?? '').slice(-this.maxLineBytes);
    for (const line of lines) {
      const clean = line.replace(/\r$/, '').slice(0, this.maxLineBytes);
      for (const listener of this.listeners) listener(clean);
    }
  }

  /** The most recent output (at most `maxBytes`). */
  text(): string {
    return Buffer.concat(this.chunks).subarray(-this.maxBytes).toString('latin1');
  }

  onLine(listener: (line: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every chunk the guest prints from now on, as it prints it (a terminal's view of the console). */
  onOutput(listener: (chunk: Buffer) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  /** Resolves with the first line from now on that matches `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const stop = this.onLine((line) => {
        if (!pattern.test(line)) return;
        clearTimeout(timer);
        stop();
        resolve(line);
      });
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`the console printed no line matching ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
    });
  }
}
