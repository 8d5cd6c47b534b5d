/**
 * One rule for the names people give virtual machines, checkpoints and accounts, and one way to
 * compare them, used everywhere a name is checked or looked up: Get-VM -Name (`findVmsByName`,
 * every VM of the name: VMs are known by ID, so names need not be unique), a Checkpoint Operator's grants, account lookup at sign-in and the sign-in
 * limiter's account key. A name that looks like another must either be refused or compare equal
 * to it, so that no spelling of a name reaches something its plain spelling does not.
 */

/**
 * Characters a new name may not contain: they are invisible or change how the text around them is
 * shown, so two names that look the same could differ, or a name could show something else than
 * it is.
 * - `Cc` control characters (NUL, TAB, CR, LF, DEL, C1 controls),
 * - `Cf` format characters: the soft hyphen U+00AD, zero-width space/non-joiner/joiner
 *   U+200B-U+200D, the bidi controls U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069,
 *   U+2060-U+2064, the byte order mark U+FEFF, and the rest of the category,
 * - `Default_Ignorable_Code_Point`: the code points Unicode says a renderer shows as nothing
 *   (UAX #44, DerivedCoreProperties), which adds U+034F, the Hangul fillers U+115F, U+1160,
 *   U+3164, U+FFA0, the variation selectors U+FE00-U+FE0F and U+E0100-U+E01EF, the Mongolian free
 *   variation selectors, and the tag characters,
 * - `Cs` a lone UTF-16 surrogate (no character at all), and the line and paragraph separators
 *   U+2028, U+2029 (`Zl`, `Zp`), which break a name shown on one line.
 * This refuses emoji written with a variation selector or a zero-width joiner too: they cannot be
 * told apart from the same emoji without it.
 */
const forbiddenCharacter = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

export interface ForbiddenNameCharacter {
  /** `U+00AD` */
  codePoint: string;
  /** 1-based position of the character in the name, counted in characters (code points). */
  position: number;
}

/** The first character of `name` that a new name may not contain, or null when there is none. */
export function forbiddenNameCharacter(name: string): ForbiddenNameCharacter | null {
  let position = 0;
  for (const character of name) {
    position += 1;
    if (forbiddenCharacter.test(character)) {
      const code = character.codePointAt(0) ?? 0;
      return { codePoint: `U+${code.toString(16).toUpperCase().padStart(4, '0')}`, position };
    }
  }
  return null;
}

/**
 * The sentence that refuses a name with such a character, in the style of the engine's other name
 * messages ("The checkpoint name cannot be empty."). Hyper-V's own text for this case is unknown:
 * we found no source that shows what Hyper-V Manager or Set-VM answers for a control or invisible
 * character, so this sentence is ours and says which character it is and where.
 */
export function forbiddenNameCharacterMessage(
  object: string,
  problem: ForbiddenNameCharacter,
): string {
  return `The ${object} name cannot contain control characters or invisible formatting characters (${problem.codePoint} at position ${problem.position}).`;
}

/**
 * The key two names are compared by: Unicode NFKC (so that full-width letters, ligatures and other
 * compatibility forms compare as the letters they stand for), then case-insensitive.
 *
 * Case: PowerShell matches Get-VM's `-Name` like its `-like` operator, and "by default, string
 * comparisons are case-insensitive" (Microsoft docs, about_Comparison_Operators); that Windows
 * user names are case-insensitive is widely held [B in the behaviour spec's tags], we found no
 * Microsoft page that says it in so many words.
 * The case fold here is full (upper case, then lower case), so that Greek final sigma and the
 * German sharp s (ß, SS) compare equal too; the NFKC step is our choice against look-alike names,
 * not documented Hyper-V behaviour.
 */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

/** Whether two names are the same name (see `nameKey`). */
export function sameName(a: string, b: string): boolean {
  return a === b || nameKey(a) === nameKey(b);
}
