/**
 * The machine-readable lines tiny-linux prints on its serial console (ttyS0), beside the human
 * boot text. These lines are this project's own protocol, not Hyper-V's.
 */
export type GuestSerialLine =
  | { kind: 'boot'; bootId: string; agent: boolean }
  | { kind: 'ledger-check'; ok: true; committed: number; tornTail: boolean }
  | { kind: 'ledger-check'; ok: false; reason: string }
  | { kind: 'ready' }
  | {
      kind: 'ledger';
      committed: number;
      inflight: number;
      bootId: string;
      uptimeSeconds: number;
    }
  | { kind: 'poweroff' };

const BOOT_ID = /^[0-9a-f]{1,32}$/;

/** `key=value` fields after the marker; undefined when a field is malformed. */
function fields(rest: string): Map<string, string> | undefined {
  const map = new Map<string, string>();
  for (const part of rest.split(' ').filter((p) => p !== '')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    map.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return map;
}

function count(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}

/**
 * Parses one serial line (a trailing CR or spaces are ignored). Returns undefined for boot text
 * and for anything that is not a well-formed HVM- line.
 */
export function parseGuestSerialLine(line: string): GuestSerialLine | undefined {
  const text = line.trim();
  const space = text.indexOf(' ');
  const marker = space < 0 ? text : text.slice(0, space);
  const rest = space < 0 ? '' : text.slice(space + 1);
  switch (marker) {
    case 'HVM-READY':
      return rest === '' ? { kind: 'ready' } : undefined;
    case 'HVM-POWEROFF':
      return rest === '' ? { kind: 'poweroff' } : undefined;
    case 'HVM-BOOT': {
      const f = fields(rest);
      const bootId = f?.get('id');
      const agent = f?.get('agent');
      if (bootId === undefined || !BOOT_ID.test(bootId)) return undefined;
      if (agent !== '0' && agent !== '1') return undefined;
      return { kind: 'boot', bootId, agent: agent === '1' };
    }
    case 'HVM-LEDGER-CHECK': {
      if (rest.startsWith('fail ')) {
        const reason = rest.slice('fail '.length).trim();
        return reason === '' ? undefined : { kind: 'ledger-check', ok: false, reason };
      }
      if (!rest.startsWith('ok ')) return undefined;
      const f = fields(rest.slice('ok '.length));
      const committed = count(f?.get('committed'));
      const torn = f?.get('torn') ?? '0';
      if (committed === undefined || (torn !== '0' && torn !== '1')) return undefined;
      return { kind: 'ledger-check', ok: true, committed, tornTail: torn === '1' };
    }
    case 'HVM-LEDGER': {
      const f = fields(rest);
      const committed = count(f?.get('committed'));
      const inflight = count(f?.get('inflight'));
      const bootId = f?.get('boot');
      const uptimeSeconds = count(f?.get('uptime'));
      if (committed === undefined || inflight === undefined || uptimeSeconds === undefined) {
        return undefined;
      }
      if (bootId === undefined || !BOOT_ID.test(bootId)) return undefined;
      return { kind: 'ledger', committed, inflight, bootId, uptimeSeconds };
    }
    default:
      return undefined;
  }
}
