/**
 * The Backup (volume shadow copy) integration service of a QEMU guest: what the guest agent's
 * fsfreeze gives. A Production or quiesced Recovery checkpoint switches the disk while the guest's
 * file systems are frozen, as VSS in a Windows guest holds its writers still.
 */
import type { QgaClient } from '@hvm/qemu';
import type { ProductionFallbackReason } from '../types.js';

const FREEZE_TIMEOUT_MS = 60_000;

/** Freezes the guest's file systems; on failure thaws whatever was frozen and says false. */
export async function freezeFileSystems(agent: QgaClient | undefined): Promise<boolean> {
  if (agent === undefined) return false;
  try {
    await agent.execute('guest-fsfreeze-freeze', undefined, { timeoutMs: FREEZE_TIMEOUT_MS });
    return true;
  } catch {
    await thawFileSystems(agent).catch(() => undefined);
    return false;
  }
}

export async function thawFileSystems(agent: QgaClient): Promise<void> {
  await agent.execute('guest-fsfreeze-thaw', undefined, { timeoutMs: FREEZE_TIMEOUT_MS });
}

/**
 * Freezes the guest's file systems through the agent; says why not when it cannot: no agent in the
 * image, no answer, or the freeze failed (as when a VSS writer fails; thawed again).
 */
export async function freezeOrWhyNot(
  imageHasAgent: boolean,
  agent: QgaClient | undefined,
  agentTimeoutMs: number,
): Promise<ProductionFallbackReason | null> {
  const blocker: ProductionFallbackReason | null = !imageHasAgent
    ? 'no-integration-services'
    : agent === undefined || !(await agent.ping(agentTimeoutMs))
      ? 'backup-daemon-stopped'
      : null;
  return blocker ?? ((await freezeFileSystems(agent)) ? null : 'vss-writer-failed');
}
