/** A MAC address as QEMU writes it (`00:15:5d:01:02:03`), from Hyper-V's form (`00155D010203`). */
export function qemuMacAddress(macAddress: string): string {
  const digits = macAddress.replaceAll(/[-:]/g, '').toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(digits)) throw new Error(`the MAC address '${macAddress}'`);
  return digits.replaceAll(/(..)(?!$)/g, '$1:');
}
