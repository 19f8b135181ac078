import RE2 from "re2";
import { hasTopLevelAlternative } from "./regex-prefix.js";

/**
 * Where the secret lies in a match, without RE2's submatch extraction, for patterns shaped like
 * `generic_secret`: the secret one character class repeated (`[^"'\s\\]{8,100}`), \`before\` ending in
 * a character outside that class (the opening quote) and \`after\` made only of characters outside it
 * (`\\?["'\`]`). Then in any match the secret is the run of class bytes that ends where the trailing
 * non-class bytes begin: scanning back from the match's end over non-class bytes, then over class bytes.
 *
 * Why: RE2 finds a match's extent with its DFA, but the capture groups with an NFA over the match whose
 * cost grows with the program; \`generic_secret\`'s context is thousands of instructions, ~75 µs per
 * match, most of the whole catalog's regex time on source code. The extent alone (no capture) costs ~2 µs.
 *
 * Returns the class as a byte table (1 = in the class), or undefined when the pattern is not of that
 * shape or anything about it is uncertain (non-ASCII in a class source, letters that case folding could
 * map outside ASCII, groups, alternatives, assertions).
 */
export function secretClassTable(def: {
  regex: string;
  before?: string;
  after?: string;
  ignoreCase?: boolean;
}): Uint8Array | undefined {
  if (def.before === undefined || def.after === undefined) return undefined;
  const ignoreCase = def.ignoreCase === true;
  const secret = atoms(def.regex);
  if (!secret || secret.length !== 1) return undefined;
  const [only] = secret;
  if (!only!.source.startsWith("[") || minimum(only!.quantifier) < 1 || !plainAscii(only!.source)) return undefined;
  const negated = only!.source.startsWith("[^");
  const table = asciiSet(only!.source, ignoreCase);
  if (!table) return undefined;
  // A negated class of ASCII members matches every non-ASCII character; a positive one none, unless case
  // folding maps a member outside ASCII (`s` to U+017F, `k` to U+212A).
  if (negated) table.fill(1, 0x80);
  else if (ignoreCase && (table[0x73] || table[0x6b])) return undefined;

  const outside = (source: string, fold: boolean): boolean => {
    if (source.startsWith("[^") || /[A-Za-z]/.test(source.replace(/\\[sd]/g, "")) || !plainAscii(source)) return false;
    const set = asciiSet(source, fold);
    return set !== undefined && set.every((member, b) => member === 0 || table[b] === 0);
  };
  const after = atoms(def.after);
  if (!after || !after.every((atom) => outside(atom.source, ignoreCase))) return undefined;
  if (hasTopLevelAlternative(def.before)) return undefined;
  const last = lastTopLevel(def.before);
  const beforeFolds = ignoreCase || def.before.includes("(?i");
  if (!last || last.quantifier !== "" || !outside(last.source, beforeFolds)) return undefined;
  return table;
}

/** The secret's span in \`window[start, end)\`, a match of a pattern with \`table\` (see \`secretClassTable\`). */
export function secretSpan(window: Uint8Array, start: number, end: number, table: Uint8Array): [number, number] {
  let last = end;
  while (last > start && table[window[last - 1]!] === 0) last--;
  let first = last;
  while (first > start && table[window[first - 1]!] === 1) first--;
  return [first, last];
}

interface Atom {
  source: string;
  quantifier: string;
}

const QUANTIFIER = /^(?:[?*+]|\{\d+(?:,\d*)?\})\??/;

/** The regex as a sequence of single-character atoms with their quantifiers; undefined if it has anything else. */
function atoms(regex: string): Atom[] | undefined {
  const out: Atom[] = [];
  let i = 0;
  while (i < regex.length) {
    const ch = regex[i]!;
    let end: number;
    if (ch === "\\") {
      const next = regex[i + 1];
      // Assertions, classes by property, quoting, hex and octal escapes: not single known characters.
      if (next === undefined || /[bBAzpPQxC0-9]/.test(next)) return undefined;
      end = i + 2;
    } else if (ch === "[") {
      end = classEnd(regex, i);
      if (end < 0) return undefined;
    } else if ("()|^$.*+?{}".includes(ch)) {
      return undefined;
    } else {
      end = i + 1;
    }
    const source = regex.slice(i, end);
    const q = QUANTIFIER.exec(regex.slice(end));
    const quantifier = q ? q[0] : "";
    out.push({ source, quantifier });
    i = end + quantifier.length;
  }
  return out;
}

/** The last element of \`regex\` at the top level when it is a single-character atom (groups are skipped over). */
function lastTopLevel(regex: string): Atom | undefined {
  let last: Atom | undefined;
  let i = 0;
  while (i < regex.length) {
    const ch = regex[i]!;
    let end: number;
    let atom = false;
    if (ch === "\\") {
      end = i + 2;
      atom = !/[bBAzpPQxC0-9]/.test(regex[i + 1] ?? "b");
    } else if (ch === "[") {
      end = classEnd(regex, i);
      if (end < 0) return undefined;
      atom = true;
    } else if (ch === "(") {
      end = groupEnd(regex, i);
      if (end < 0) return undefined;
    } else if ("|)".includes(ch)) {
      return undefined;
    } else {
      end = i + 1;
      atom = !"^$.*+?{}".includes(ch);
    }
    const q = QUANTIFIER.exec(regex.slice(end));
    const quantifier = q ? q[0] : "";
    last = atom ? { source: regex.slice(i, end), quantifier } : undefined;
    i = end + quantifier.length;
  }
  return last;
}

function classEnd(regex: string, i: number): number {
  let j = i + 1;
  if (regex[j] === "^") j++;
  if (regex[j] === "]") j++;
  while (j < regex.length && regex[j] !== "]") {
    if (regex[j] === "[") return -1; // [:alpha:] and the like
    j += regex[j] === "\\" ? 2 : 1;
  }
  return j < regex.length ? j + 1 : -1;
}

function groupEnd(regex: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < regex.length) {
    const ch = regex[j]!;
    if (ch === "\\") {
      j += 2;
      continue;
    }
    if (ch === "[") {
      j = classEnd(regex, j);
      if (j < 0) return -1;
      continue;
    }
    if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return j + 1;
    j++;
  }
  return -1;
}

/** Printable ASCII only, and no escapes that name characters by number or property. */
function plainAscii(source: string): boolean {
  return /^[\x20-\x7e]*$/.test(source) && !/\\[pPxQC0-9]/.test(source);
}

/** Which ASCII bytes the atom matches, asked of RE2 itself. */
function asciiSet(atom: string, ignoreCase: boolean): Uint8Array | undefined {
  let regex: RE2;
  try {
    regex = new RE2(`^(?:${atom})$`, ignoreCase ? "i" : "");
  } catch {
    return undefined;
  }
  const set = new Uint8Array(256);
  const byte = Buffer.alloc(1);
  for (let b = 0; b < 0x80; b++) {
    byte[0] = b;
    if (regex.test(byte)) set[b] = 1;
  }
  return set;
}

function minimum(quantifier: string): number {
  if (quantifier === "" || quantifier.startsWith("+")) return 1;
  if (quantifier.startsWith("?") || quantifier.startsWith("*")) return 0;
  return Number(/^\{(\d+)/.exec(quantifier)![1]);
}
