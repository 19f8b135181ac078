/**
 * The bytes a regex's matches must begin with, position by position, as far as that is fixed:
 * `pat[A-Za-z0-9]{14}\.` gives `p`, `a`, `t`, fourteen times `[A-Za-z0-9]`, then `.`. A keyword hit
 * where every match starts (an anchored hit) whose following bytes fall outside these sets cannot
 * match: a table lookup per byte in the hit loop turns it away before any regex runs, which matters
 * for keywords that are common in code or base64 data (`pat`, `EAA`).
 *
 * Only ASCII sets are kept, so a position is a byte (a negated class or `.` may match a multibyte
 * character, which would shift every later position): the walk stops at the first element it cannot
 * pin to one byte (a group, an alternative, an optional or variable repetition past its minimum,
 * an anchor, a negated class, anything unusual). Each set is a superset of what the regex accepts
 * there, so the check never turns away a match.
 */
export const MAX_PREFIX = 32;

export type BytePrefix = readonly Uint8Array[];

const DIGITS = "0123456789";
const WORD = `${DIGITS}ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_`;
const SPACE = "\t\n\v\f\r ";

export function fixedPrefix(regex: string, ignoreCase = false): BytePrefix {
  if (hasTopLevelAlternative(regex)) return [];
  let i = 0;
  let fold = ignoreCase;
  if (regex.startsWith("(?i)")) {
    fold = true;
    i = 4;
  }
  const sets: Uint8Array[] = [];
  while (i < regex.length && sets.length < MAX_PREFIX) {
    const atom = readAtom(regex, i, fold);
    if (!atom) break;
    // Case-insensitively, RE2 also matches \`ſ\` (U+017F) for s and the Kelvin sign (U+212A) for k:
    // several bytes for one position.
    if (fold && (atom.set[0x6b] || atom.set[0x73])) break;
    i = atom.next;
    const q = readQuantifier(regex, i);
    if (!q) break;
    for (let k = 0; k < q.min && sets.length < MAX_PREFIX; k++) sets.push(atom.set);
    // After a variable repetition, later elements have no fixed position.
    if (q.variable) break;
    i = q.next;
  }
  return sets;
}

/** True when \`buffer\` from \`offset\` has each prefix position's byte in its set (and is long enough). */
export function startsWithPrefix(buffer: Uint8Array, offset: number, prefix: BytePrefix): boolean {
  if (offset + prefix.length > buffer.length) return false;
  for (let k = 0; k < prefix.length; k++) if (prefix[k]![buffer[offset + k]!] === 0) return false;
  return true;
}

function setOf(chars: string, fold: boolean, into = new Uint8Array(256)): Uint8Array {
  for (const ch of chars) {
    const code = ch.charCodeAt(0);
    into[code] = 1;
    if (fold) {
      into[ch.toLowerCase().charCodeAt(0)] = 1;
      into[ch.toUpperCase().charCodeAt(0)] = 1;
    }
  }
  return into;
}

/** A class shorthand (`\d`, `\w`, `\s`) or an escaped punctuation literal; undefined for anything else. */
function escapeChars(ch: string | undefined): string | undefined {
  if (ch === undefined) return undefined;
  if (ch === "d") return DIGITS;
  if (ch === "w") return WORD;
  if (ch === "s") return SPACE;
  const code = ch.charCodeAt(0);
  if (code < 0x80 && !/[0-9A-Za-z]/.test(ch) && code >= 0x20) return ch;
  return undefined;
}

function readAtom(regex: string, i: number, fold: boolean): { set: Uint8Array; next: number } | undefined {
  const ch = regex[i]!;
  if (ch === "\\") {
    const chars = escapeChars(regex[i + 1]);
    return chars === undefined ? undefined : { set: setOf(chars, fold), next: i + 2 };
  }
  if (ch === "[") return readClass(regex, i + 1, fold);
  if ("()|^$.*+?{}".includes(ch)) return undefined;
  if (ch.charCodeAt(0) >= 0x80 || ch.charCodeAt(0) < 0x20) return undefined;
  return { set: setOf(ch, fold), next: i + 1 };
}

function readClass(regex: string, i: number, fold: boolean): { set: Uint8Array; next: number } | undefined {
  if (regex[i] === "^") return undefined;
  const set = new Uint8Array(256);
  let first = true;
  while (i < regex.length) {
    let ch = regex[i]!;
    if (ch === "]" && !first) return { set, next: i + 1 };
    first = false;
    if (ch === "[") return undefined; // [:alpha:] and the like
    let chars: string;
    if (ch === "\\") {
      const escaped = escapeChars(regex[i + 1]);
      if (escaped === undefined) return undefined;
      i += 2;
      if (escaped.length > 1) {
        setOf(escaped, fold, set);
        continue;
      }
      ch = escaped;
      chars = escaped;
    } else {
      if (ch.charCodeAt(0) >= 0x80) return undefined;
      i += 1;
      chars = ch;
    }
    // A range `a-z` (a `-` before `]` is a literal).
    if (regex[i] === "-" && regex[i + 1] !== undefined && regex[i + 1] !== "]") {
      let to = regex[i + 1]!;
      let width = 2;
      if (to === "\\") {
        const escaped = escapeChars(regex[i + 2]);
        if (escaped === undefined || escaped.length > 1) return undefined;
        to = escaped;
        width = 3;
      }
      const from = ch.charCodeAt(0);
      const end = to.charCodeAt(0);
      if (end >= 0x80 || end < from) return undefined;
      let range = "";
      for (let c = from; c <= end; c++) range += String.fromCharCode(c);
      setOf(range, fold, set);
      i += width;
      continue;
    }
    setOf(chars, fold, set);
  }
  return undefined;
}

/** The repetition after an atom: its minimum count, and whether more may follow. Undefined: stop here. */
function readQuantifier(regex: string, i: number): { min: number; variable: boolean; next: number } | undefined {
  const ch = regex[i];
  if (ch === "?" || ch === "*") return undefined;
  if (ch === "+") return { min: 1, variable: true, next: i + 1 };
  if (ch !== "{") return { min: 1, variable: false, next: i };
  const m = /^\{(\d+)(,(\d*))?\}/.exec(regex.slice(i));
  if (!m) return undefined;
  const min = Number(m[1]);
  const variable = m[2] !== undefined && m[3] !== m[1];
  return { min, variable, next: i + m[0].length };
}

/** True when \`regex\` has a \`|\` outside every group and class: a match need not begin as the regex is written. */
export function hasTopLevelAlternative(regex: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < regex.length; i++) {
    const ch = regex[i];
    if (ch === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (ch === "]") inClass = false;
      continue;
    }
    if (ch === "[") {
      inClass = true;
      // A \`]\` first in a class (after an optional \`^\`) is a literal.
      if (regex[i + 1] === "^") i++;
      if (regex[i + 1] === "]") i++;
    } else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "|" && depth === 0) return true;
  }
  return false;
}

/** Punctuation from rarest to most common in source text: the byte a window is searched for first. */
const RARITY = "@$#%&~!^|`?+*;<>=,\"':/-_. ";

/**
 * A punctuation byte that every match contains (a literal outside groups, classes and optional
 * repetitions), the rarest one by \`RARITY\`, or -1. A window without it holds no match: one native
 * byte search says so before RE2 runs (\`@\` in \`https://user:password@host\`).
 */
export function requiredByte(regex: string): number {
  if (hasTopLevelAlternative(regex)) return -1;
  let best = -1;
  let depth = 0;
  for (let i = 0; i < regex.length; i++) {
    const ch = regex[i]!;
    let literal: string | undefined;
    if (ch === "\\") {
      const next = regex[i + 1];
      i++;
      if (next !== undefined && RARITY.includes(next) && next !== " ") literal = next;
    } else if (ch === "[") {
      // Skip the class: a `]` first (after an optional `^`) is a literal, escapes hide the rest.
      let j = i + 1;
      if (regex[j] === "^") j++;
      if (regex[j] === "]") j++;
      while (j < regex.length && regex[j] !== "]") j += regex[j] === "\\" ? 2 : 1;
      i = j;
      continue;
    } else if (ch === "{") {
      const repetition = /^\{\d+(,\d*)?\}/.exec(regex.slice(i));
      if (repetition) i += repetition[0].length - 1;
      continue;
    } else if (ch === "(") {
      depth++;
      continue;
    } else if (ch === ")") {
      depth--;
      continue;
    } else if (RARITY.includes(ch) && !"?+*|^$.".includes(ch) && ch !== " ") {
      literal = ch;
    }
    if (literal === undefined || depth !== 0) continue;
    const after = regex[i + 1];
    const optional = after === "?" || after === "*" || (after === "{" && /^\{0[,}]/.test(regex.slice(i + 1)));
    if (optional) continue;
    if (best < 0 || RARITY.indexOf(literal) < RARITY.indexOf(String.fromCharCode(best))) best = literal.charCodeAt(0);
  }
  return best;
}

/**
 * The regex with every bounded repetition range opened: `x{m,n}` (n > m) becomes `x{m,}`. Its
 * language is a superset of the regex's, so where it finds no match the regex finds none either.
 *
 * Why: RE2's DFA tracks a bounded count as copies of the repeated part, one per count, and counts
 * started at different places multiply: `generic_secret`'s context (an identifier of up to 40
 * characters, then a word of 1 to 24, case-insensitive) made RE2 build new DFA states for nearly
 * every byte of a window, ~40 µs per 200-byte window, and the states never fit its cache. Opened,
 * the same test is a DFA of a few dozen states: ~0.5 µs. Used as a probe before the exact regex
 * (see `matcher.ts`), it answers "no match here" for most windows at that cost.
 *
 * Escapes (`\{`, `\Q…\E`, `\x{…}`, `\p{…}`) and classes (`[{]`) are copied untouched; fixed counts
 * (`{n}`) and open ranges (`{m,}`) are kept.
 */
export function openRepetitions(regex: string): string {
  let out = "";
  let i = 0;
  const n = regex.length;
  while (i < n) {
    const ch = regex[i]!;
    if (ch === "\\") {
      const next = regex[i + 1];
      let stop = i + 2;
      if (next === "Q") {
        const end = regex.indexOf("\\E", i + 2);
        stop = end < 0 ? n : end + 2;
      } else if ((next === "p" || next === "P" || next === "x") && regex[i + 2] === "{") {
        const end = regex.indexOf("}", i + 2);
        stop = end < 0 ? n : end + 1;
      }
      out += regex.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === "[") {
      const stop = classEnd(regex, i);
      out += regex.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === "{") {
      const range = /^\{(\d+),(\d+)\}/.exec(regex.slice(i, i + 24));
      if (range && Number(range[2]) > Number(range[1])) {
        out += `{${range[1]},}`;
        i += range[0].length;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return out;
}

/** The index just past the class that opens at `i` (`[`): a `]` first (after `^`) is a literal; `[:alpha:]`, escapes. */
function classEnd(regex: string, i: number): number {
  const n = regex.length;
  let j = i + 1;
  if (regex[j] === "^") j++;
  if (regex[j] === "]") j++;
  while (j < n && regex[j] !== "]") {
    if (regex[j] === "[" && regex[j + 1] === ":") {
      const end = regex.indexOf(":]", j + 2);
      j = end < 0 ? n : end + 2;
    } else if (regex[j] === "\\") {
      const next = regex[j + 1];
      if ((next === "p" || next === "P" || next === "x") && regex[j + 2] === "{") {
        const end = regex.indexOf("}", j + 2);
        j = end < 0 ? n : end + 1;
      } else {
        j += 2;
      }
    } else {
      j++;
    }
  }
  return Math.min(n, j + 1);
}
