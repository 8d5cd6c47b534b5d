// The figures of the scale sections: `Get-VM | Get-VMSnapshot` on the large host, and ten hosts
// side by side (scale.ts measures them, scaleReport.ts renders them).

/** One timed `Get-VM | Get-VMSnapshot` over the large host, three ways (scale.ts). */
export interface PowerShellTimes {
  /** The engine alone: `listVms()` and each VM's `listCheckpoints()`, in the server's process. */
  engineMs: number;
  /** `runPowerShell` in the server's process: cmdlets, objects and the table, no HTTP, no worker. */
  runMs: number;
  /**
   * `POST /api/v1/powershell` as the web console sends it (`objects: false`: the console text
   * only), from the request to the last byte of its answer.
   */
  consoleRequestMs: number;
  /** `POST /api/v1/powershell` with the output objects (a REST client's, `-ComputerName`'s). */
  requestMs: number;
  /** Bytes of the two answers. */
  answerBytes: number;
  consoleAnswerBytes: number;
}

export interface PowerShellFigures extends PowerShellTimes {
  script: string;
  /** Checkpoints the pipeline wrote (output objects of the request). */
  objects: number;
  /** Characters of console text the request answered. */
  outputChars: number;
  /** The first error record of the request, if any (a limit, a failed cmdlet). */
  error: string | null;
  samples: PowerShellTimes[];
}

/** What the child measures in its own process for one run of a script. */
export interface InProcessRun {
  engineMs: number;
  runMs: number;
  objects: number;
  error: string | null;
}

/** One of the hosts running side by side. */
export interface SideBySideHost {
  rss: number;
  heapUsed: number;
  /** From its start until it listened: loading its copy of the host. */
  startMs: number;
  /** Median time of `GET /api/v1/vms` on this host while the others idle. */
  listMs: number;
  /** The same request while every host answers one at once. */
  listAllAtOnceMs: number;
  vms: number;
}

export interface HostsFigures {
  hosts: number;
  vmsEach: number;
  checkpointsEach: number;
  /** Building the one host the others are copies of. */
  buildMs: number;
  totalRss: number;
  /** The slowest host's list time, alone and all at once. */
  worstListMs: number;
  worstListAllAtOnceMs: number;
  each: SideBySideHost[];
}

/** One host of the console's, in Chromium (medians of the runs). */
export interface ConsoleHostFigures {
  computerName: string;
  /** Click on the host in the console tree until its VM list shows whole. */
  listMs: number;
  /** Pointer down on its first VM until the tree's last checkpoint is painted. */
  selectMs: number;
  /** The checkpoint tree's request through the gateway (Resource Timing). */
  requestMs: number;
  samples: { list: number[]; select: number[]; request: number[] };
}

/** A console connected to several hosts through its gateway (consoleHosts.ts). */
export interface ConsoleFigures {
  hosts: number;
  vmsEach: number;
  checkpointsEach: number;
  templateBuildMs: number;
  /** Opening the console until every host shows in its tree. */
  openMs: number;
  each: ConsoleHostFigures[];
}
