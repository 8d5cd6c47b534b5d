import type { CheckpointType } from '@hvm/engine';

/** What the Checkpoints page shows: the check box, the radio choice and the fallback box. */
export interface CheckpointChoice {
  enabled: boolean;
  mode: 'Production' | 'Standard';
  fallbackToStandard: boolean;
}

/**
 * Hyper-V Manager's mapping (behaviour spec §1.2): Enable cleared → Disabled; Production with the
 * fallback box → Production; Production without it → ProductionOnly; Standard → Standard.
 */
export function toCheckpointType(choice: CheckpointChoice): CheckpointType {
  if (!choice.enabled) return 'Disabled';
  if (choice.mode === 'Standard') return 'Standard';
  return choice.fallbackToStandard ? 'Production' : 'ProductionOnly';
}

/** The reverse, for loading the page. Disabled shows Hyper-V's defaults under a cleared box. */
export function fromCheckpointType(type: CheckpointType): CheckpointChoice {
  switch (type) {
    case 'Disabled':
      return { enabled: false, mode: 'Production', fallbackToStandard: true };
    case 'Production':
      return { enabled: true, mode: 'Production', fallbackToStandard: true };
    case 'ProductionOnly':
      return { enabled: true, mode: 'Production', fallbackToStandard: false };
    case 'Standard':
      return { enabled: true, mode: 'Standard', fallbackToStandard: true };
  }
}
