/**
 * What a run is given to reach the other servers `-ComputerName` names (RunOptions.remoteComputers),
 * and what one command there answers. These types import nothing, so that the run's options and
 * services can name them without depending on the cmdlets that use them (remoteComputers.ts).
 */
/** An error record of the other server, as it reported it (its ErrorRecord). */
export interface RemoteErrorRecord {
  message: string;
  categoryInfo: string;
  fullyQualifiedErrorId: string;
}

/**
 * The type names of a run's output objects, in runs: `[name, count]` pairs in the order of the
 * objects (null for a value that is not an object: a string, a number), so that 100,000
 * checkpoints name their type once.
 */
export type RemoteObjectTypes = readonly (readonly [string | null, number])[];

export type RemoteOutcome =
  /** No connection of that name, or the connection cannot be used now (Unreachable, SignedOut). */
  | { reached: false }
  | {
      reached: true;
      /** The other server's own name (its objects' ComputerName). */
      computerName: string;
      /** The output objects, as property bags. */
      objects: unknown[];
      /** The type names of `objects` (absent: every one a property bag). */
      objectTypes?: RemoteObjectTypes;
      errors: RemoteErrorRecord[];
    };

export interface RemoteComputers {
  /** Runs `script` (one command) on the server named `computerName`, as the run's user there. */
  invoke(computerName: string, script: string): Promise<RemoteOutcome>;
}
