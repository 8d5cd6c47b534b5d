import { expect, type Locator, type Page } from '@playwright/test';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The PowerShell console pane, opened from the host section of the Actions pane. */
export class PowerShellConsole {
  readonly pane: Locator;
  readonly input: Locator;
  readonly output: Locator;
  readonly completions: Locator;

  constructor(readonly page: Page) {
    this.pane = page.getByRole('region', { name: 'PowerShell' });
    this.input = this.pane.getByRole('textbox', { name: 'PowerShell command' });
    this.output = this.pane.getByRole('log', { name: 'PowerShell output' });
    this.completions = this.pane.getByRole('list', { name: 'Completions' });
  }

  async open(): Promise<void> {
    await this.page
      .getByRole('region', { name: 'Actions' })
      .getByRole('button', { name: 'PowerShell', exact: true })
      .click();
    await expect(this.input).toBeFocused();
  }

  async close(): Promise<void> {
    await this.pane.getByRole('button', { name: 'Close PowerShell' }).click();
    await expect(this.pane).toBeHidden();
  }

  /** Types a command line, presses Enter and waits until its answer is in the scrollback. */
  async run(command: string): Promise<void> {
    await this.input.fill(command);
    await this.input.press('Enter');
    await expect(this.input).toHaveValue('');
    // The prompt shows the session's location (`PS Files:\>`, `PS Files:\Logs>`): any location.
    const promptLine = this.output
      .locator('.ps-command-line')
      .filter({ hasText: new RegExp(`^PS [^\\n]*> ${escapeRegExp(command)}$`) });
    await expect(promptLine.last()).toBeVisible();
    await expect(this.output.getByLabel('Running')).toHaveCount(0);
  }

  /** The text of every error record in the scrollback (shown in red). */
  errors(): Locator {
    return this.output.locator('.ps-error');
  }
}
