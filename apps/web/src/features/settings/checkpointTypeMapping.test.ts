import { describe, expect, it } from 'vitest';
import type { CheckpointType } from '@hvm/engine';
import { fromCheckpointType, toCheckpointType } from './checkpointTypeMapping';

describe('Checkpoints page ↔ CheckpointType (behaviour spec §1.2)', () => {
  it('Enable checkpoints cleared saves Disabled, whatever the radio says', () => {
    expect(toCheckpointType({ enabled: false, mode: 'Production', fallbackToStandard: true })).toBe(
      'Disabled',
    );
    expect(toCheckpointType({ enabled: false, mode: 'Standard', fallbackToStandard: false })).toBe(
      'Disabled',
    );
  });

  it('Production with the fallback box checked saves Production', () => {
    expect(toCheckpointType({ enabled: true, mode: 'Production', fallbackToStandard: true })).toBe(
      'Production',
    );
  });

  it('Production with the fallback box cleared saves ProductionOnly', () => {
    expect(toCheckpointType({ enabled: true, mode: 'Production', fallbackToStandard: false })).toBe(
      'ProductionOnly',
    );
  });

  it('Standard saves Standard, the fallback box does not matter', () => {
    expect(toCheckpointType({ enabled: true, mode: 'Standard', fallbackToStandard: false })).toBe(
      'Standard',
    );
  });

  it.each<CheckpointType>(['Disabled', 'Production', 'ProductionOnly', 'Standard'])(
    'loading %s and saving again gives the same value',
    (type) => {
      expect(toCheckpointType(fromCheckpointType(type))).toBe(type);
    },
  );

  it('loads ProductionOnly as Production with the box cleared', () => {
    expect(fromCheckpointType('ProductionOnly')).toEqual({
      enabled: true,
      mode: 'Production',
      fallbackToStandard: false,
    });
  });
});
