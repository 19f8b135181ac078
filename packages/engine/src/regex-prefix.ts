/**
 * What the bytes after a keyword hit must look like for a match of the pattern to start at the hit
 * (an anchored hit): `pat[A-Za-z0-9]{14}\.[a-f0-9]{64}` after `pat` gives fourteen bytes of
 * `[A-Za-z0-9]`, a `.`, then sixty-four of `[a-f0-9]`. A table lookup per byte in the hit loop turns
 * away hits that cannot match before any regex runs, which matters for keywords that are common in
 * code or base64 data (`pat` in `path`, `EAA` in source maps, `ext_` in identifiers).
 *
 * A shape is a list of steps, each a byte set with a minimum and maximum count. A step whose count
 * varies is kept only when the step after it needs a byte outside its set (`[a-z0-9]{5,30}\.`):
 * then reading greedily ends the run exactly where every match must end it, so the check is exact.
 * A set that may match a multibyte character (a negated class, `.`, a case-folded `k` or `s`) holds
 * every byte from 0x80 and counts 1 to 4 bytes a character. Elsewhere the walk stops (a group, an
 * alternative, an anchor, a run whose end is not fixed, anything unusual): each step's set is a
 * superset of what the regex accepts there, so the check never turns away a match.
 *
 * The regex may begin with alternatives of literals (`EAAA…|sq0atp-…`, `(?:https|http)://…`): each
 * branch whose literal begins with the keyword gives a shape, and a hit passes when one does.
 */
export interface ShapeStep {
  readonly set: Uint8Array;
  readonly min: number;
  readonly max: number;
}
export type Shape = readonly ShapeStep[];

/** Longest run a variable step follows; a longer one is accepted unread. */
const RUN_CAP = 4096;

const DIGITS = "0123456789";
const WORD = `${DIGITS}ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_`;
const SPACE = "\t\n\v\f\r ";
const CONTROL_ESCAPES: Record<string, string> = { t: "\t", n: "\n", r: "\r", f: "\f", v: "\v" };

/** A branch of a regex: the literal it begins with, and the regex after it. */
export interface LiteralBranch {
  literal: string;
  rest: string;
}

/** The regex's branches as a literal and the regex after it, or undefined when one does not begin with a literal. */
export function literalBranches(regex: string): LiteralBranch[] | undefined {
  const body = regex.startsWith("(?i)") ? regex.slice(4) : regex;
  const branches: LiteralBranch[] = [];
  for (const branch of splitTopLevel(body)) {
    let literals = [""];
    let i = 0;
    if (branch.startsWith("(?:")) {
      const close = groupEnd(branch, 0);
      if (close < 0 || (close + 1 < branch.length && "?*+{".includes(branch[close + 1]!))) return undefined;
      const inner = splitTopLevel(branch.slice(3, close)).map((alt) => readLiteral(alt, 0));
      if (inner.some((alt) => alt.literal === "" || alt.next !== undefined)) return undefined;
      literals = inner.map((alt) => alt.literal);
      i = close + 1;
    }
    const tail = readLiteral(branch, i);
    const rest = branch.slice(tail.next ?? branch.length);
    for (const literal of literals) {
      if (literal + tail.literal === "") return undefined;
      branches.push({ literal: literal + tail.literal, rest });
    }
  }
  return branches;
}

/**
 * The shapes of the bytes after `keyword` (as the prefilter saw it: any case) for the branches of
 * `regex` whose literal begins with it; undefined when some branch could start at the hit in a way
 * this does not follow (then every hit passes).
 */
export function keywordShapes(regex: string, keyword: string, ignoreCase = false): Shape[] | undefined {
  const branches = literalBranches(regex);
  if (!branches) return undefined;
  const fold = ignoreCase || regex.startsWith("(?i)");
  const key = keyword.toLowerCase();
  const shapes: Shape[] = [];
  for (const { literal, rest } of branches) {
    const folded = literal.toLowerCase();
    if (key.startsWith(folded) && key !== folded) return undefined; // the keyword runs on into the rest
    if (!folded.startsWith(key)) continue;
    const steps: ShapeStep[] = [];
    const more = literal.slice(key.length);
    for (const ch of more) {
      if (fold && /[ks]/i.test(ch)) break; // RE2 folds k and s to multibyte letters too: positions would shift
      steps.push({ set: setOf(ch, fold), min: 1, max: 1 });
    }
    shapes.push(steps.length === more.length ? [...steps, ...readShape(rest, fold).steps] : steps);
  }
  return shapes.length > 0 ? shapes : undefined;
}

/** True when one of `shapes` fits `buffer` from `offset` (a step that runs past the end does not fit). */
export function fitsShape(buffer: Uint8Array, offset: number, shapes: readonly Shape[]): boolean {
  for (const shape of shapes) if (fitsOne(buffer, offset, shape)) return true;
  return false;
}

/** True when `shape` fits `buffer` from `offset`. */
export function fitsOne(buffer: Uint8Array, offset: number, shape: Shape): boolean {
  const n = buffer.length;
  let i = offset;
  for (const step of shape) {
    const limit = Math.min(step.max, RUN_CAP);
    let count = 0;
    while (count < limit && i < n && step.set[buffer[i]!] === 1) {
      i++;
      count++;
    }
    if (count < step.min) return false;
    if (count === RUN_CAP) return true;
  }
  return true;
}

/**
 * The steps `regex` pins down from its start, and whether they are all of it. A step of varying count
 * is exact when its set shares no byte with what may come next: the optional steps after it and the
 * first required one (`[0-9]{0,2}[ \t]{0,40}[:=]`).
 */
function readShape(regex: string, fold: boolean): { steps: ShapeStep[]; complete: boolean } {
  const steps: ShapeStep[] = [];
  let i = 0;
  while (i < regex.length) {
    const read = readStep(regex, i, fold);
    if (!read) return { steps, complete: false };
    const { atom, q } = read;
    if (q.min === q.max) {
      if (q.min > 0) steps.push({ set: atom.set, min: q.min, max: q.max });
      i = q.next;
      continue;
    }
    const ahead = firstBytes(regex, q.next, fold);
    const disjoint = ahead !== undefined && !overlaps(atom.set, ahead);
    if (q.min > 0 || disjoint) steps.push({ set: atom.set, min: q.min, max: disjoint ? q.max : q.min });
    // A last run needs only its minimum: nothing after it depends on where it ends.
    if (!disjoint) return { steps, complete: q.next >= regex.length };
    i = q.next;
  }
  return { steps, complete: true };
}

/** One atom and its count at `i`, counts in bytes (a multibyte set's run is 1 to 4 bytes a character). */
function readStep(
  regex: string,
  i: number,
  fold: boolean,
): { atom: Atom; q: { min: number; max: number; next: number } } | undefined {
  const atom = foldedToMultibyte(readAtom(regex, i, fold), fold);
  if (!atom) return undefined;
  const counted = readQuantifier(regex, atom.next);
  if (!counted) return undefined;
  return { atom, q: atom.multibyte ? { ...counted, max: counted.max * 4 } : counted };
}

/**
 * The bytes the text at `i` may start with: the sets of the optional steps there and of the first
 * required one. Undefined when the regex ends first (anything may follow) or cannot be read.
 */
function firstBytes(regex: string, i: number, fold: boolean): Uint8Array | undefined {
  const union = new Uint8Array(256);
  while (i < regex.length) {
    const read = readStep(regex, i, fold);
    if (!read) return undefined;
    for (let b = 0; b < 256; b++) if (read.atom.set[b] === 1) union[b] = 1;
    if (read.q.min > 0) return union;
    i = read.q.next;
  }
  return undefined;
}

/**
 * A rule's `follows`: what the bytes right after each of its keyword hits must look like, read as a
 * shape. Undefined when the text is not one (a group, an alternative, a run whose end the next part
 * does not fix): a rule author's mistake the matcher reports.
 */
export function followsShape(source: string): Shape | undefined {
  const fold = source.startsWith("(?i)");
  const { steps, complete } = readShape(fold ? source.slice(4) : source, fold);
  return complete ? steps : undefined;
}

/**
 * Under case folding RE2 also matches `k` as the Kelvin sign and `s` as the long s, which take two or
 * three bytes: a set holding either then counts as one that may match multibyte characters.
 */
function foldedToMultibyte(atom: Atom | undefined, fold: boolean): Atom | undefined {
  if (!atom || !fold || atom.multibyte || (atom.set[0x6b] !== 1 && atom.set[0x73] !== 1)) return atom;
  const set = atom.set.slice();
  set.fill(1, 0x80);
  return { set, next: atom.next, multibyte: true };
}

function overlaps(a: Uint8Array, b: Uint8Array): boolean {
  for (let k = 0; k < 256; k++) if (a[k] === 1 && b[k] === 1) return true;
  return false;
}

/** Plain literal characters from `i`, stopping before one a quantifier applies to; `next` is where they end (undefined: the end). */
function readLiteral(regex: string, i: number): { literal: string; next: number | undefined } {
  let literal = "";
  while (i < regex.length) {
    const ch = regex[i]!;
    let char: string | undefined;
    let width = 1;
    if (ch === "\\") {
      const escaped = escapeChars(regex[i + 1]);
      if (escaped === undefined || escaped.length > 1) break;
      char = escaped;
      width = 2;
    } else if (!"()[]|^$.*+?{}".includes(ch) && ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) < 0x80) {
      char = ch;
    }
    const after = regex[i + width];
    if (char === undefined || (after !== undefined && "?*+{".includes(after))) break;
    literal += char;
    i += width;
  }
  return { literal, next: i < regex.length ? i : undefined };
}

/** The index of the `)` closing the group that opens at `i`, or -1. */
function groupEnd(regex: string, i: number): number {
  let depth = 0;
  for (let j = i; j < regex.length; j++) {
    const ch = regex[j];
    if (ch === "\\") j++;
    else if (ch === "[") j = classEnd(regex, j) - 1;
    else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return j;
  }
  return -1;
}

/** The regex cut at each `|` outside groups and classes. */
function splitTopLevel(regex: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let j = 0; j < regex.length; j++) {
    const ch = regex[j];
    if (ch === "\\") j++;
    else if (ch === "[") j = classEnd(regex, j) - 1;
    else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "|" && depth === 0) {
      parts.push(regex.slice(from, j));
      from = j + 1;
    }
  }
  parts.push(regex.slice(from));
  return parts;
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

/** A class shorthand (`\d`, `\w`, `\s`), a control escape (`\t`, `\n`…) or an escaped punctuation literal; undefined for anything else. */
function escapeChars(ch: string | undefined): string | undefined {
  if (ch === undefined) return undefined;
  const control = CONTROL_ESCAPES[ch];
  if (control !== undefined) return control;
  if (ch === "d") return DIGITS;
  if (ch === "w") return WORD;
  if (ch === "s") return SPACE;
  const code = ch.charCodeAt(0);
  if (code < 0x80 && !/[0-9A-Za-z]/.test(ch) && code >= 0x20) return ch;
  return undefined;
}

/**
 * One position of a regex: its byte set, and whether it may match a multibyte character (a negated
 * class or `.`: all bytes from 0x80 are in the set, and one character may take up to four bytes).
 */
interface Atom {
  set: Uint8Array;
  next: number;
  multibyte?: boolean;
}

function readAtom(regex: string, i: number, fold: boolean): Atom | undefined {
  const ch = regex[i];
  if (ch === undefined) return undefined;
  if (ch === "\\") {
    const chars = escapeChars(regex[i + 1]);
    return chars === undefined ? undefined : { set: setOf(chars, fold), next: i + 2 };
  }
  if (ch === "[" && regex[i + 1] === "^") {
    const listed = readClass(regex, i + 2, fold);
    if (!listed) return undefined;
    // Any byte but the listed ASCII ones, and every byte of a multibyte character (`\n` too, should `(?s)` apply).
    const set = new Uint8Array(256);
    for (let b = 0; b < 256; b++) set[b] = b >= 0x80 || listed.set[b] === 0 ? 1 : 0;
    return { set, next: listed.next, multibyte: true };
  }
  if (ch === "[") return readClass(regex, i + 1, fold);
  if (ch === ".") return { set: new Uint8Array(256).fill(1), next: i + 1, multibyte: true };
  if ("()|^$*+?{}".includes(ch)) return undefined;
  if (ch.charCodeAt(0) >= 0x80 || ch.charCodeAt(0) < 0x20) return undefined;
  return { set: setOf(ch, fold), next: i + 1 };
}

function readClass(regex: string, i: number, fold: boolean): Atom | undefined {
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

/** The repetition after an atom: its minimum and maximum count (Infinity: open). Undefined for a lazy or possessive one. */
function readQuantifier(regex: string, i: number): { min: number; max: number; next: number } | undefined {
  const ch = regex[i];
  let q: { min: number; max: number; next: number };
  if (ch === "?") q = { min: 0, max: 1, next: i + 1 };
  else if (ch === "*") q = { min: 0, max: Infinity, next: i + 1 };
  else if (ch === "+") q = { min: 1, max: Infinity, next: i + 1 };
  else if (ch !== "{") return { min: 1, max: 1, next: i };
  else {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(regex.slice(i, i + 24));
    if (!m) return undefined;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === "" ? Infinity : Number(m[3]);
    q = { min, max, next: i + m[0].length };
  }
  return regex[q.next] === "?" || regex[q.next] === "+" ? undefined : q;
}

/** True when `regex` has a `|` outside every group and class: a match need not begin as the regex is written. */
export function hasTopLevelAlternative(regex: string): boolean {
  return splitTopLevel(regex).length > 1;
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
