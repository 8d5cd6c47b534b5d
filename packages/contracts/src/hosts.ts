/**
 * Connect to Server: the servers in the console's left pane (GET /hosts), the answer to a probe of
 * a new server's address (POST /hosts/probe) and the body that connects to it (POST /hosts).
 */

/** How the console reaches a server now. */
export type HostConnectionState =
  'Connected' | 'Connecting' | 'Unreachable' | 'SignedOut' | 'IdentityChanged';

/** The id of the server the browser loaded the console from. */
export const LOCAL_HOST_ID = 'local';

export interface HostSummary {
  /** `local` for this server; else the connection's id, for `/hosts/{hostId}/...`. */
  id: string;
  computerName: string;
  /** `name:port` of another server; null for this one. */
  address: string | null;
  local: boolean;
  state: HostConnectionState;
  /** Why the server is not connected; null when it is. */
  reason: string | null;
  /** The account used on that server. */
  userName: string;
  /** SHA-256 of the pinned certificate; null for this server. */
  fingerprint: string | null;
}

export interface HostList {
  hosts: HostSummary[];
}

/** POST /hosts/probe: what a server shows before any credential is sent to it. */
export interface HostProbe {
  address: string;
  computerName: string;
  /** SHA-256 of its certificate, `AB:CD:...`: confirm it before connecting. */
  fingerprint: string;
}

/** POST /hosts. */
export interface ConnectServerBody {
  address: string;
  /** The fingerprint the user confirmed; the connection fails if the server shows another. */
  fingerprint: string;
  userName: string;
  password: string;
}
