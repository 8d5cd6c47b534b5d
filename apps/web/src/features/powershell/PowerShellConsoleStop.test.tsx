import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PowerShellPrompt, PowerShellRunAnswer } from '../../api/powershell';
import { fakeServer, renderWithClient } from '../../test/render';
import type { RecordedRequest } from '../../test/render';
import { PowerShellConsole } from './PowerShellConsole';
import { resetPowerShellStore } from './powerShellStore';
import { newRunId } from './usePowerShellRun';

const runId = '7d444840-9dc0-11d1-b245-5ffdce74fad2';

function end(output: string, status: 'completed' | 'stopped' = 'completed'): PowerShellRunAnswer {
  return { status, runId, output, objects: [], errors: [], hadTerminatingError: false };
}

const confirm: PowerShellPrompt = {
  kind: 'choice',
  caption: 'Confirm',
  message: 'Are you sure you want to perform this action?',
  choices: [
    { label: '&Yes', help: 'Continue with only the next step of the operation.' },
    { label: 'Yes to &All', help: 'Continue with all the steps of the operation.' },
    { label: '&No', help: 'Skip this operation and proceed with the next operation.' },
    { label: 'No to A&ll', help: 'Skip this operation and all subsequent operations.' },
    { label: '&Suspend', help: 'Pause the current pipeline and return to the command prompt.' },
  ],
  defaultChoice: 0,
};

function log(): HTMLElement {
  return screen.getByRole('log', { name: 'PowerShell output' });
}

function renderConsole(routes: Record<string, unknown>) {
  const server = fakeServer(routes);
  renderWithClient(<PowerShellConsole />);
  const input = screen.getByRole('textbox', { name: 'PowerShell command' });
  return { server, input, user: userEvent.setup() };
}

/** Holds the answer to the next `POST /powershell` until `release` is called. */
function holdNextRun(server: ReturnType<typeof fakeServer>) {
  let release: (answer: PowerShellRunAnswer) => void = () => undefined;
  server.fetchMock.mockImplementationOnce((_input, init) => {
    server.requests.push({
      method: 'POST',
      path: '/powershell',
      body: JSON.parse(typeof init?.body === 'string' ? init.body : 'null') as unknown,
    });
    return new Promise<Response>((resolve) => {
      release = (answer) => resolve(new Response(JSON.stringify(answer), { status: 200 }));
    });
  });
  return { release: (answer: PowerShellRunAnswer) => release(answer) };
}

beforeEach(() => {
  resetPowerShellStore();
  vi.spyOn(crypto, 'randomUUID').mockReturnValue(runId);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Ctrl+C and prompts in the PowerShell console', () => {
  it('Ctrl+C stops the running command through the stop route; the output so far stays and the prompt comes back', async () => {
    let held: ReturnType<typeof holdNextRun> | null = null;
    const { server, input, user } = renderConsole({
      [`POST /powershell/runs/${runId}/stop`]: () => {
        held?.release(end('started\n', 'stopped'));
        return { body: { runId, status: 'stopped' } };
      },
    });
    held = holdNextRun(server);
    await user.type(input, "'started'; Get-VM | ForEach-Object {{ $_ }{Enter}");
    expect(within(log()).getByLabelText('Running')).toBeInTheDocument();
    await user.type(input, 'Get-VM{Enter}'); // typed ahead: dropped by Ctrl+C
    await user.keyboard('{Control>}c{/Control}');
    await within(log()).findByText(/^started\s*$/);
    await waitFor(() => expect(within(log()).queryByLabelText('Running')).toBeNull());
    expect(screen.getByText('PS Files:\\>')).toBeInTheDocument();
    const run = server.requests.find((r) => r.path === '/powershell');
    expect(run?.body).toMatchObject({ runId, interactive: true });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /powershell',
      `POST /powershell/runs/${runId}/stop`,
    ]);
  });

  it('asks a confirmation as the console does: ? lists the help, N answers No', async () => {
    const { server, input, user } = renderConsole({
      'POST /powershell': {
        status: 'prompt',
        runId,
        prompt: confirm,
        output: 'before\n',
      } satisfies PowerShellRunAnswer,
      [`POST /powershell/runs/${runId}/answer`]: (request: RecordedRequest) => ({
        body: end(`answered ${JSON.stringify((request.body as { answer: unknown }).answer)}\n`),
      }),
    });
    await user.type(input, 'Remove-VM -Name Web{Enter}');
    // The console's own line (two spaces between choices); queries see white space collapsed.
    const label =
      '[Y] Yes [A] Yes to All [N] No [L] No to All [S] Suspend [?] Help (default is "Y"):';
    expect(await screen.findByText(label)).toBeInTheDocument();
    expect(within(log()).getByText(/before\s+Confirm\s+Are you sure/)).toBeInTheDocument();
    await user.type(input, '?{Enter}');
    await within(log()).findByText(/L - Skip this operation and all subsequent operations\./);
    expect(server.requests.filter((r) => r.path.includes('/answer'))).toEqual([]);
    await user.type(input, 'n{Enter}');
    await within(log()).findByText(/answered \{"choice":2\}/);
    expect(screen.getByText('PS Files:\\>')).toBeInTheDocument();
  });

  it('reads a line per field of a text prompt', async () => {
    const { input, user, server } = renderConsole({
      'POST /powershell': {
        status: 'prompt',
        runId,
        prompt: {
          kind: 'text',
          caption: 'cmdlet Checkpoint-VM at command pipeline position 1',
          message: 'Supply values for the following parameters:',
          fields: ['Name[0]', 'Name[1]'],
        },
        output: '',
      } satisfies PowerShellRunAnswer,
      [`POST /powershell/runs/${runId}/answer`]: end('done\n'),
    });
    await user.type(input, 'Checkpoint-VM{Enter}');
    await screen.findByText('Name[0]:');
    await user.type(input, 'Web{Enter}');
    await screen.findByText('Name[1]:');
    await user.type(input, 'Db{Enter}');
    await within(log()).findByText(/done/);
    const answer = server.requests.find((r) => r.path.endsWith('/answer'));
    expect(answer?.body).toEqual({ answer: { text: ['Web', 'Db'] } });
  });

  it('Ctrl+C at a prompt answers it as cancelled', async () => {
    const { input, user, server } = renderConsole({
      'POST /powershell': { status: 'prompt', runId, prompt: confirm, output: '' },
      [`POST /powershell/runs/${runId}/answer`]: end('', 'stopped'),
    });
    await user.type(input, 'Remove-VM -Name Web{Enter}');
    await screen.findByText(/\[Y\] Yes/);
    await user.keyboard('{Control>}c{/Control}');
    await waitFor(() => expect(screen.getByText('PS Files:\\>')).toBeInTheDocument());
    const answer = server.requests.find((r) => r.path.endsWith('/answer'));
    expect(answer?.body).toEqual({ answer: { cancelled: true } });
  });
});

describe('run ids', () => {
  it('are version 4 UUIDs even where crypto.randomUUID is missing (plain HTTP)', () => {
    vi.spyOn(crypto, 'randomUUID').mockRestore();
    const original = crypto.randomUUID.bind(crypto);
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      const id = newRunId();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(newRunId()).not.toBe(id);
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: original, configurable: true });
    }
  });
});
