/** PowerShell's list layout: `Name : value`, names padded to the longest, a blank line between objects. */
export function renderList(objects: [string, string][][]): string {
  const blocks = objects.map((pairs) => {
    const w = Math.max(0, ...pairs.map(([k]) => k.length));
    return pairs.map(([k, v]) => `${k.padEnd(w)} : ${v}`.trimEnd()).join('\n');
  });
  return ['', blocks.join('\n\n'), '', '', ''].join('\n');
}
