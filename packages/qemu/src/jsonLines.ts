/**
 * Splits a byte stream into JSON messages, one per line, as QMP and the guest agent send them.
 * A line longer than `maxLineBytes` is a protocol violation: the peer is not trusted to bound its
 * own output (a guest controls what its agent says).
 */
export class LineTooLongError extends Error {
  constructor(maxLineBytes: number) {
    super(`a message longer than ${maxLineBytes} bytes was received`);
    this.name = 'LineTooLongError';
  }
}

export class JsonLineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Feeds bytes; returns the complete lines they finish (without the newline). */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline < 0) break;
      const part = chunk.subarray(start, newline);
      if (this.pendingBytes + part.length > this.maxLineBytes)
        throw new LineTooLongError(this.maxLineBytes);
      this.pending.push(part);
      lines.push(Buffer.concat(this.pending).toString('utf8'));
      this.pending = [];
      this.pendingBytes = 0;
      start = newline + 1;
    }
    const rest = chunk.subarray(start);
    if (rest.length > 0) {
      if (this.pendingBytes + rest.length > this.maxLineBytes)
        throw new LineTooLongError(this.maxLineBytes);
      this.pending.push(Buffer.from(rest));
      this.pendingBytes += rest.length;
    }
    return lines;
  }

  /** Forgets a partial line (the guest agent's resynchronisation does this). */
  reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/** Parses one line as a JSON object; anything else is `undefined`. */
export function parseJsonObject(line: string): Record<string, unknown> | undefined {
  const text = line.trim();
  if (text === '') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
