import { useMutation, useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../../api/client';
import { hostKeys } from '../../api/host';
import { runPowerShell } from '../../api/powershell';
import { taskKeys } from '../../api/tasks';
import { vmKeys } from '../../api/vms';
import { usePowerShellStore } from './powerShellStore';

interface RunInput {
  command: string;
  width: number | undefined;
}

/**
 * Runs a command line and writes the answer into the scrollback. Afterwards the VM, checkpoint
 * (under `['vms']`), task and host caches are refreshed; the server's events update them as well.
 */
export function usePowerShellRun() {
  const queryClient = useQueryClient();
  const begin = usePowerShellStore((s) => s.begin);
  const finish = usePowerShellStore((s) => s.finish);
  return useMutation({
    mutationFn: async ({ command, width }: RunInput) => {
      const id = begin(command);
      try {
        const result = await runPowerShell(command, width);
        finish(id, { output: result.output, errors: result.errors });
        return result;
      } catch (error) {
        finish(id, { output: '', errors: [], failure: errorMessage(error) });
        throw error;
      }
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: vmKeys.all }),
        queryClient.invalidateQueries({ queryKey: taskKeys.all }),
        queryClient.invalidateQueries({ queryKey: hostKeys.host }),
      ]),
  });
}
