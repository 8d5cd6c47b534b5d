/**
 * A number as Windows PowerShell 5.1 prints it: whole numbers in full, other doubles with .NET
 * Framework's Double.ToString() (15 significant digits, so `1/3` is 0.333333333333333 and
 * `0.1 + 0.2` is 0.3), in exponent form below 1E-05 or from 1E+15 up.
 */
export function numberText(n: number, precision = 15): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  const [mantissa = '0', exponentText = '0'] = n.toExponential(precision - 1).split('e');
  const exponent = Number(exponentText);
  const trimmed = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
  if (exponent < -5 || exponent >= precision) {
    const sign = exponent < 0 ? '-' : '+';
    return `${trimmed}E${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(Number(`${trimmed}e${exponent}`));
}
