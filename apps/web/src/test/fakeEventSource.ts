/**
 * Test fixture: the browser's EventSource as a server's stream drives it (the serial console's),
 * and the media query xterm.js asks for, which jsdom lacks. `stubConsoleBrowser()` installs both.
 */
import { act } from '@testing-library/react';
import { vi } from 'vitest';

export class FakeEventSource {
  static opened: FakeEventSource[] = [];
  closed = false;
  /** EventSource.CONNECTING (0), OPEN (1) or CLOSED (2: the browser gave up). */
  readyState = 0;
  private readonly listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data = '') {
    if (type === 'open') this.readyState = 1;
    act(() => {
      for (const listener of this.listeners.get(type) ?? [])
        listener(new MessageEvent(type, { data }));
    });
  }
  /** The browser gives up on the stream (an error answer): it will not reconnect by itself. */
  fail() {
    this.readyState = 2;
    this.emit('error');
  }
  /** An `output` or `backlog` event: the guest's bytes in base64, as the server sends them. */
  print(type: 'backlog' | 'output', text: string) {
    const bytes = new TextEncoder().encode(text);
    this.emit(type, btoa(String.fromCharCode(...bytes)));
  }
}

/** The last stream opened. */
export function lastStream(): FakeEventSource {
  const source = FakeEventSource.opened.at(-1);
  if (source === undefined) throw new Error('no serial console stream');
  return source;
}

export function stubConsoleBrowser(): void {
  FakeEventSource.opened = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  // jsdom has no media queries; xterm.js asks one for the device pixel ratio.
  vi.stubGlobal('matchMedia', (query: string): Partial<MediaQueryList> => ({
    matches: false,
    media: query,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  }));
}
