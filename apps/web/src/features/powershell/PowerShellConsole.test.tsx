import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PowerShellResult } from '../../api/powershell';
import { aVm, host } from '../../test/fixtures';
import { fakeServer, renderWithClient } from '../../test/render';
import type { RecordedRequest } from '../../test/render';
import { ActionsPane } from '../actions/ActionsPane';
import { PowerShellConsole } from './PowerShellConsole';
import { PowerShellPane } from './PowerShellPane';
import { HISTORY_STORAGE_KEY, resetPowerShellStore, usePowerShellStore } from './powerShellStore';

const notRecognized =
  "Get-Foo : The term 'Get-Foo' is not recognized as the name of a cmdlet, function, script file, or operable program.\n" +
  '    + FullyQualifiedErrorId : CommandNotFoundException\n';

function result(output: string, overrides: Partial<PowerShellResult> = {}): PowerShellResult {
  return { output, objects: [], errors: [], hadTerminatingError: false, ...overrides };
}

/** Answers `POST /powershell` by script. */
function scripts(answers: Record<string, PowerShellResult>) {
  return (request: RecordedRequest) => {
    const { script } = request.body as { script: string };
    const answer = answers[script];
    return answer === undefined ? { body: result('') } : { body: answer };
  };
}

function completionsRoute(line: string, completions: string[]): Record<string, unknown> {
  const query = new URLSearchParams({ line, cursor: String(line.length) });
  return { [`GET /powershell/completions?${query.toString()}`]: { completions } };
}

function renderConsole(routes: Record<string, unknown> = {}) {
  const server = fakeServer(routes);
  const rendered = renderWithClient(<PowerShellConsole />);
  const input = screen.getByRole('textbox', { name: 'PowerShell command' });
  return { ...rendered, server, input, user: userEvent.setup() };
}

function log(): HTMLElement {
  return screen.getByRole('log', { name: 'PowerShell output' });
}

beforeEach(() => {
  resetPowerShellStore();
});

describe('PowerShell console', () => {
  it('runs the line on Enter and shows the prompt line and the output', async () => {
    const { input, user, server } = renderConsole({
      'POST /powershell': scripts({
        'Get-VM': result('\nName State\n---- -----\nWeb Server Off\n\n'),
      }),
    });
    expect(screen.getByRole('region', { name: 'PowerShell' })).toContainElement(input);
    expect(input).toHaveFocus();
    await user.type(input, 'Get-VM{Enter}');
    expect(input).toHaveValue('');
    await within(log()).findByText(/Web Server Off/);
    expect(within(log()).getByText('PS Files:\\> Get-VM')).toBeInTheDocument();
    const post = server.requests.find((r) => r.method === 'POST');
    expect(post?.path).toBe('/powershell');
    expect((post?.body as { script: string }).script).toBe('Get-VM');
    // The console shows the text: it asks the server to leave the output objects out.
    expect(post?.body).toMatchObject({ objects: false });
  });

  it("after Set-Location the prompt shows the new location, as PowerShell's prompt function does; earlier lines keep theirs", async () => {
    // about_Prompts: the default prompt is "PS " + the current location + ">".
    const { input, user } = renderConsole({
      'POST /powershell': scripts({
        'Set-Location Logs': result('', { location: 'Files:\\Logs' }),
        'Get-Location': result('\nPath\n----\nFiles:\\Logs\n\n', { location: 'Files:\\Logs' }),
      }),
    });
    expect(screen.getByText('PS Files:\\>')).toBeInTheDocument();
    await user.type(input, 'Set-Location Logs{Enter}');
    await waitFor(() => expect(screen.getByText('PS Files:\\Logs>')).toBeInTheDocument());
    await user.type(input, 'Get-Location{Enter}');
    await within(log()).findByText('PS Files:\\Logs> Get-Location');
    expect(within(log()).getByText('PS Files:\\> Set-Location Logs')).toBeInTheDocument();
  });

  it('runs a line entered while a command runs once that command has finished (type-ahead), not dropping it', async () => {
    const { input, user, server } = renderConsole({
      'POST /powershell': scripts({
        'Get-VM': result('\nName State\n---- -----\nWeb Server Off\n\n'),
      }),
    });
    const answer = server.fetchMock.getMockImplementation();
    if (answer === undefined) throw new Error('no fake server');
    let release = (): void => undefined;
    server.fetchMock.mockImplementationOnce(
      (...args) =>
        new Promise((resolve) => {
          release = () => resolve(answer(...args));
        }),
    );
    await user.type(input, 'Start-VM -Name Web{Enter}');
    await user.type(input, 'Get-VM{Enter}');
    expect(input).toHaveValue('');
    expect(within(log()).queryByText('PS Files:\\> Get-VM')).not.toBeInTheDocument();
    release();
    await within(log()).findByText(/Web Server Off/);
    const scriptsRun = server.requests
      .filter((r) => r.method === 'POST')
      .map((r) => (r.body as { script: string }).script);
    expect(scriptsRun).toEqual(['Start-VM -Name Web', 'Get-VM']);
  });

  it('shows error records in red, apart from the normal output', async () => {
    const { input, user } = renderConsole({
      'POST /powershell': scripts({
        "'before'; Get-Foo": result(`before\n${notRecognized}`, {
          errors: [
            {
              message: "The term 'Get-Foo' is not recognized",
              categoryInfo: 'ObjectNotFound: (Get-Foo:String) [], CommandNotFoundException',
              fullyQualifiedErrorId: 'CommandNotFoundException',
              text: notRecognized,
            },
          ],
          hadTerminatingError: true,
        }),
      }),
    });
    await user.type(input, "'before'; Get-Foo{Enter}");
    const error = await within(log()).findByText(/The term 'Get-Foo' is not recognized/);
    expect(error).toHaveClass('ps-error');
    expect(within(log()).getByText(/^before\s*$/)).not.toHaveClass('ps-error');
  });

  it('shows warning and verbose lines in yellow, as PowerShell does', async () => {
    const { input, user } = renderConsole({
      'POST /powershell': scripts({
        "Write-Warning 'low disk'; 'after'": result('WARNING: low disk\nafter\n', {
          messages: [{ stream: 'warning', text: 'WARNING: low disk\n' }],
        }),
      }),
    });
    await user.type(input, "Write-Warning 'low disk'; 'after'{Enter}");
    expect(await within(log()).findByText(/WARNING: low disk/)).toHaveClass('ps-warning');
    expect(within(log()).getByText(/^after\s*$/)).not.toHaveClass('ps-warning');
  });

  it('shows a request the server refused in red', async () => {
    const { input, user } = renderConsole({
      'POST /powershell': () => ({
        status: 422,
        body: { error: { code: 'INVALID_ARGUMENT', message: 'The script must be shorter.' } },
      }),
    });
    await user.type(input, 'Get-VM{Enter}');
    expect(await within(log()).findByText(/The script must be shorter\./)).toHaveClass('ps-error');
  });

  it('walks the history with Up and Down, back to the line being typed, and keeps it', async () => {
    const { input, user } = renderConsole({ 'POST /powershell': scripts({}) });
    await user.type(input, 'Get-VM{Enter}');
    await user.type(input, 'Get-VMSnapshot -VMName X{Enter}');
    await waitFor(() => expect(within(log()).getAllByText(/^PS Files:\\>/)).toHaveLength(2));
    await user.type(input, 'Get-Da');
    await user.keyboard('{ArrowUp}');
    expect(input).toHaveValue('Get-VMSnapshot -VMName X');
    await user.keyboard('{ArrowUp}');
    expect(input).toHaveValue('Get-VM');
    await user.keyboard('{ArrowUp}');
    expect(input).toHaveValue('Get-VM');
    await user.keyboard('{ArrowDown}');
    expect(input).toHaveValue('Get-VMSnapshot -VMName X');
    await user.keyboard('{ArrowDown}');
    expect(input).toHaveValue('Get-Da');
    const stored = JSON.parse(localStorage.getItem(HISTORY_STORAGE_KEY) ?? '{}') as {
      state?: { history?: string[] };
    };
    expect(stored.state?.history).toEqual(['Get-VM', 'Get-VMSnapshot -VMName X']);
  });

  it('reads the history back from localStorage', async () => {
    localStorage.setItem(
      HISTORY_STORAGE_KEY,
      JSON.stringify({ state: { history: ['Get-VM -Name Old'] }, version: 1 }),
    );
    await usePowerShellStore.persist.rehydrate();
    const { input, user } = renderConsole();
    await user.keyboard('{ArrowUp}');
    expect(input).toHaveValue('Get-VM -Name Old');
  });

  it('clears the line with Esc', async () => {
    const { input, user } = renderConsole();
    await user.type(input, 'Get-VM -Na');
    await user.keyboard('{Escape}');
    expect(input).toHaveValue('');
  });

  it('completes the one match with Tab', async () => {
    const { input, user } = renderConsole(completionsRoute('Set-VM -Check', ['-CheckpointType']));
    await user.type(input, 'Set-VM -Check');
    await user.keyboard('{Tab}');
    await waitFor(() => expect(input).toHaveValue('Set-VM -CheckpointType'));
    expect(input).toHaveFocus();
    expect(screen.queryByRole('list', { name: 'Completions' })).not.toBeInTheDocument();
  });

  it('shows several matches below the prompt and completes their common prefix', async () => {
    const { input, user } = renderConsole(
      completionsRoute('get-vms', ['Get-VMSnapshot', 'Get-VMSwitch']),
    );
    await user.type(input, 'get-vms');
    await user.keyboard('{Tab}');
    const list = await screen.findByRole('list', { name: 'Completions' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Get-VMSnapshot', 'Get-VMSwitch']);
    expect(input).toHaveValue('Get-VMS');
    await user.type(input, 'n');
    expect(screen.queryByRole('list', { name: 'Completions' })).not.toBeInTheDocument();
  });

  it('refreshes the VM, checkpoint, task and host caches after a run', async () => {
    const { input, user, queryClient } = renderConsole({ 'POST /powershell': scripts({}) });
    const vm = aVm();
    queryClient.setQueryData(['vms'], [vm]);
    queryClient.setQueryData(['vms', vm.id, 'checkpoints'], { checkpoints: [] });
    queryClient.setQueryData(['tasks'], []);
    queryClient.setQueryData(['host'], host);
    await user.type(input, 'Checkpoint-VM -Name X{Enter}');
    await waitFor(() => {
      for (const key of [['vms'], ['vms', vm.id, 'checkpoints'], ['tasks'], ['host']]) {
        expect(queryClient.getQueryState(key)?.isInvalidated, JSON.stringify(key)).toBe(true);
      }
    });
  });

  it('clears the scrollback with cls without asking the server', async () => {
    const { input, user, server } = renderConsole({ 'POST /powershell': scripts({}) });
    await user.type(input, 'Get-VM{Enter}');
    await within(log()).findByText('PS Files:\\> Get-VM');
    await user.type(input, 'cls{Enter}');
    expect(within(log()).queryByText(/PS Files:/)).not.toBeInTheDocument();
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

describe('opening the console', () => {
  it('opens from the host section of the Actions pane and closes', async () => {
    fakeServer({ 'GET /host': host, 'GET /vms': [] });
    renderWithClient(
      <>
        <ActionsPane />
        <PowerShellPane />
      </>,
    );
    const user = userEvent.setup();
    const section = await screen.findByRole('region', { name: 'HV-HOST-01' });
    expect(screen.queryByRole('region', { name: 'PowerShell' })).not.toBeInTheDocument();
    await user.click(within(section).getByRole('button', { name: 'PowerShell' }));
    const pane = screen.getByRole('region', { name: 'PowerShell' });
    expect(within(pane).getByRole('textbox', { name: 'PowerShell command' })).toHaveFocus();
    await user.click(within(section).getByRole('button', { name: 'Refresh' }));
    await user.click(within(section).getByRole('button', { name: 'PowerShell' }));
    expect(within(pane).getByRole('textbox', { name: 'PowerShell command' })).toHaveFocus();
    await user.click(within(pane).getByRole('button', { name: 'Close PowerShell' }));
    expect(screen.queryByRole('region', { name: 'PowerShell' })).not.toBeInTheDocument();
  });
});

describe('the console session', () => {
  it("sends the page's session with every command, so a job one command starts is received by the next", async () => {
    const jobTable =
      '\nId Name PSJobTypeName State   HasMoreData Location  Command\n-- ---- ------------- -----   ----------- --------  -------\n1  Job1               Running True        localhost Start-VM -Name Web -AsJob\n\n';
    const { input, user, server } = renderConsole({
      'POST /powershell': scripts({
        'Start-VM -Name Web -AsJob': result(jobTable),
        'Receive-Job -Id 1 -Wait': result('WARNING: The virtual machine is already running.\n'),
      }),
    });
    await user.type(input, 'Start-VM -Name Web -AsJob{Enter}');
    await within(log()).findByText(/Job1 +Running/);
    await user.type(input, 'Receive-Job -Id 1 -Wait{Enter}');
    await within(log()).findByText(/WARNING: The virtual machine is already running\./);
    const sessions = server.requests
      .filter((r) => r.method === 'POST' && r.path === '/powershell')
      .map((r) => (r.body as { sessionId?: string }).sessionId);
    expect(sessions).toHaveLength(2);
    expect(sessions[0]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(sessions[1]).toBe(sessions[0]);
  });
});
