import { queryOptions } from '@tanstack/react-query';
import { request } from './client';

/** A PowerShell error record as the server sends it. */
export interface PowerShellErrorRecord {
  message: string;
  categoryInfo: string;
  fullyQualifiedErrorId: string;
  /** The record as the console prints it; it is also part of `output`. */
  text: string;
}

/** `POST /powershell`: what the console shows after a script. */
export interface PowerShellResult {
  output: string;
  objects: unknown[];
  errors: PowerShellErrorRecord[];
  hadTerminatingError: boolean;
}

export const powerShellKeys = {
  completions: (line: string, cursor: number) =>
    ['powershell', 'completions', line, cursor] as const,
};

export function runPowerShell(script: string, width?: number): Promise<PowerShellResult> {
  return request<PowerShellResult>('/powershell', {
    method: 'POST',
    body: width === undefined ? { script } : { script, width },
  });
}

/** Tab completion of cmdlet and parameter names at `cursor`. */
export const powerShellCompletionsQuery = (line: string, cursor: number) =>
  queryOptions({
    queryKey: powerShellKeys.completions(line, cursor),
    queryFn: async ({ signal }) => {
      const query = new URLSearchParams({ line, cursor: String(cursor) });
      const answer = await request<{ completions: string[] }>(
        `/powershell/completions?${query.toString()}`,
        { signal },
      );
      return answer.completions;
    },
    staleTime: Infinity,
  });
