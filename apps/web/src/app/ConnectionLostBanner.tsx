import { useHostConnection } from '../stores/hostConnectionStore';

/**
 * Shown while the server's event stream is down: what the window shows may be out of date until
 * it is back, and then everything is read again (useHostEvents). The sentence is this console's
 * own: Hyper-V Manager's text for a host it can no longer reach was not found in a source.
 */
export function ConnectionLostBanner() {
  const lost = useHostConnection((s) => s.lost);
  if (!lost) return null;
  return (
    <div role="alert" className="connection-banner">
      The connection to the host was lost. Trying to reconnect; the virtual machines shown may be
      out of date.
    </div>
  );
}
