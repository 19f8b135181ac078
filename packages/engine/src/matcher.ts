import { isUtf8 } from "node:buffer";
import { shannonEntropy } from "./entropy.js";
import type { Finding, PairedSecret, SecretSpan } from "./finding.js";
import { DEFAULT_FINGERPRINT_KEY, fingerprintSecret } from "./fingerprint.js";
import { inlineAllowMarker, hasInlineAllow } from "./inline-allow.js";
import { quoteRegex, type ExplainedCandidate, type Rejection } from "./explain.js";
import { DEFAULT_AFTER, DEFAULT_BEFORE, type PatternDefinition } from "./pattern.js";
import { isPlaceholder, placeholderTest } from "./placeholder.js";
import { TYPED_NOT_RANDOM } from "./rule-data.js";
import { KeywordPrefilter, MIN_KEYWORD_LENGTH } from "./prefilter/keyword-prefilter.js";
import { compileRegex, type CompiledRegex } from "./regex.js";
import {
  fitsOne,
  fitsShape,
  followsShape,
  hasTopLevelAlternative,
  keywordShapes,
  literalBranches,
  openRepetitions,
  type LiteralBranch,
  requiredByte,
  type Shape,
} from "./regex-prefix.js";
import { SecretValue } from "./secret-value.js";
import { secretClassTable, secretSpan } from "./secret-span.js";
import { base64Keywords, base64SegmentAround, type Base64Segment } from "./base64.js";
import type { Derivation, MemoWindow, ScanMemo } from "./scan-memo.js";

/** A problem with a pattern, found when patterns compile: never thrown mid-scan. */
export interface PatternProblem {
  patternId: string;
  field: string;
  reason: string;
}

export interface MatcherOptions {
  /** Pattern ids to leave out. */
  disabled?: readonly string[];
  /** Exact secret values that are never reported. */
  allowValues?: readonly string[];
  /** Regexes (RE2) that, matching a secret, suppress it. */
  allowRegexes?: readonly string[];
  /** Honour `vigil:allow` (and gitleaks'/detect-secrets') markers. Default true. */
  inlineAllow?: boolean;
  /** Key for fingerprints. */
  fingerprintKey?: string | Uint8Array;
  /**
   * Compile each pattern's regexes at its first keyword hit instead of up front.
   * Most patterns never hit in a given scan, so start-up is much faster; use it
   * for patterns already known to compile (the tested catalog, validated custom
   * patterns). A pattern that then fails is skipped and listed in `matcher.problems`.
   */
  lazyCompile?: boolean;
}

export interface Matcher {
  readonly patterns: readonly PatternDefinition[];
  /** Problems found after creation (lazily compiled patterns that failed); such patterns are skipped. */
  readonly problems: readonly PatternProblem[];
  /** Scans bytes and returns findings in content order. Never throws on content. */
  scan(content: Uint8Array): Finding[];
  /**
   * Scans like `scan` (the same findings) and returns a memo of what it saw. Given how `content` was
   * built from a content already scanned this way (`derivation`), only its inserted bytes and the
   * junctions between its parts are read by the prefilter, and a regex window lying inside one
   * copied part with the same extent as in the base takes the base's result instead of running again.
   */
  scanWithMemo(content: Uint8Array, derivation?: Derivation): { findings: Finding[]; memo: ScanMemo };
  /**
   * Scans like `scan` (the same findings) and also returns the candidates that a pattern's regex
   * matched but that are not reported, each with the reason (checksum, placeholder, entropy, context,
   * pair, inline marker, allowlist): what `vigil scan --explain` prints. Slower than `scan`: use it on
   * request only. Candidates that overlap a finding are left out (that text is reported).
   */
  explain(content: Uint8Array): { findings: Finding[]; explained: ExplainedCandidate[] };
}

export interface MatcherResult {
  matcher: Matcher;
  problems: PatternProblem[];
}

interface PatternRegexes {
  full: CompiledRegex;
  /**
   * \`full\` with its bounded repetitions opened (\`openRepetitions\`), no capture: it matches wherever
   * \`full\` does, at a fraction of the cost for some regexes, so a window (or the rest of one) where it
   * finds nothing is left before \`full\` runs. Compiled at the pattern's \`PROBE_AFTER_WINDOWS\`th window
   * (undefined until then): most patterns see a handful of windows in a scan, and a compile costs ~0.5 ms
   * in every worker. Null when it does not compile (then \`full\` decides alone).
   */
  probe: CompiledRegex | null | undefined;
  /** Windows that reached the probe's place so far (see \`probe\`). */
  windows: number;
  /**
   * For patterns where the secret's span follows from the match's extent (\`secretClassTable\`): \`full\`
   * without the capture group, and the secret's byte class. Its matches are \`full\`'s, found without
   * RE2's submatch extraction; the span is read off the bytes (\`secretSpan\`).
   */
  locate: { regex: CompiledRegex; table: Uint8Array } | null;
  /** `full` with the sticky flag, for anchored hits; compiled at the first one. */
  sticky?: CompiledRegex | null;
  gate: CompiledRegex | undefined;
  mustMatch: CompiledRegex[];
  mustNotMatch: CompiledRegex[];
}

interface CompiledPattern {
  def: PatternDefinition;
  index: number;
  /** Undefined until compiled (lazily, at the first keyword hit, when asked for); null when compiling failed. */
  regexes: PatternRegexes | null | undefined;
  windowBefore: number;
  windowAfter: number;
  /** Index of the pattern this one pairs with, or -1. */
  pairIndex: number;
  /** A byte every match contains, or -1 (see \`requiredByte\`); derived at the first window. */
  required: number | undefined;
  quotedAssignment: boolean;
  /** What must follow each keyword hit (`PatternDefinition.follows`), or null. */
  follows: Shape | null;
}

interface Candidate {
  pattern: CompiledPattern;
  start: number;
  end: number;
  secret: string;
  base64?: { start: number; end: number };
}

const DEFAULT_WINDOW = { before: 64, after: 256 };

function isAlnum(byte: number | undefined): boolean {
  if (byte === undefined) return false;
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}

/** Compiles patterns once into a matcher. Invalid patterns are left out and reported, never thrown. */
export function createMatcher(definitions: readonly PatternDefinition[], options: MatcherOptions = {}): MatcherResult {
  const problems: PatternProblem[] = [];
  const disabled = new Set(options.disabled ?? []);
  const seen = new Set<string>();
  const compiled: CompiledPattern[] = [];

  for (const def of definitions) {
    if (seen.has(def.id)) {
      problems.push({ patternId: def.id, field: "id", reason: "duplicate pattern id" });
      continue;
    }
    seen.add(def.id);
    if (disabled.has(def.id)) continue;
    const pattern = compilePattern(def, compiled.length, problems, options.lazyCompile === true);
    if (pattern) compiled.push(pattern);
  }

  const byId = new Map(compiled.map((p) => [p.def.id, p]));
  for (const pattern of compiled) {
    if (!pattern.def.pair) continue;
    const other = byId.get(pattern.def.pair.with);
    if (other) {
      pattern.pairIndex = other.index;
    } else if (!definitions.some((d) => d.id === pattern.def.pair?.with)) {
      problems.push({
        patternId: pattern.def.id,
        field: "pair.with",
        reason: `no pattern with id "${pattern.def.pair.with}"`,
      });
    }
  }

  const allowRegexes: CompiledRegex[] = [];
  for (const [i, source] of (options.allowRegexes ?? []).entries()) {
    const result = compileRegex(source);
    if (result.ok) allowRegexes.push(result.regex);
    else problems.push({ patternId: "allowlist", field: `regexes[${i}]`, reason: result.reason });
  }

  return {
    matcher: new CompiledMatcher(compiled, {
      allowValues: new Set(options.allowValues ?? []),
      allowRegexes,
      inlineAllow: options.inlineAllow ?? true,
      fingerprintKey: options.fingerprintKey ?? DEFAULT_FINGERPRINT_KEY,
    }),
    problems,
  };
}

function compilePattern(
  def: PatternDefinition,
  index: number,
  problems: PatternProblem[],
  lazy: boolean,
): CompiledPattern | undefined {
  const problem = (field: string, reason: string): undefined => {
    problems.push({ patternId: def.id, field, reason });
    return undefined;
  };
  if (!/^[a-z0-9][a-z0-9_.-]*$/.test(def.id))
    return problem("id", "must be lowercase letters, digits, '_', '-' or '.'");
  if (def.regex.length === 0) return problem("regex", "is empty");
  for (const keyword of def.keywords) {
    if (Buffer.byteLength(keyword) < MIN_KEYWORD_LENGTH) {
      return problem("keywords", `"${keyword}" is shorter than ${MIN_KEYWORD_LENGTH} bytes`);
    }
  }
  let follows: Shape | null = null;
  if (def.follows !== undefined) {
    follows = followsShape(def.follows) ?? null;
    if (!follows)
      return problem(
        "follows",
        "is not a run of literals and classes with counts whose ends are fixed (no groups or alternatives, and a run of varying length must be followed by a byte outside its set)",
      );
  }
  const window = def.window ?? DEFAULT_WINDOW;
  const pattern: CompiledPattern = {
    def,
    index,
    regexes: undefined,
    windowBefore: window.before,
    windowAfter: window.after,
    pairIndex: -1,
    required: undefined,
    quotedAssignment: def.quotedAssignment === true,
    follows,
  };
  if (!lazy) {
    pattern.regexes = compilePatternRegexes(def, problems);
    if (!pattern.regexes) return undefined;
  }
  return pattern;
}

/**
 * Compiles a pattern's regexes; on failure records the problem (id and field) and returns null.
 * \`checkParts\`: compile \`regex\`, \`before\` and \`after\` on their own first, so that a part that only
 * works spliced into the others (\`before: ")("\`) is refused. Lazily compiled patterns are known to
 * compile (see \`lazyCompile\`): there the parts are compiled alone only to name the field of a failure,
 * three RE2 programs fewer per pattern a scan meets.
 */
function compilePatternRegexes(
  def: PatternDefinition,
  problems: PatternProblem[],
  checkParts = true,
): PatternRegexes | null {
  const problem = (field: string, reason: string): null => {
    problems.push({ patternId: def.id, field, reason });
    return null;
  };
  const partProblem = (): null | undefined => {
    for (const field of ["regex", "before", "after"] as const) {
      const source = def[field];
      if (source === undefined) continue;
      const alone = compileRegex(source);
      if (!alone.ok) return problem(field, alone.reason);
    }
    return undefined;
  };
  if (checkParts && partProblem() === null) return null;
  const flags = def.ignoreCase ? "gdi" : "gd";
  const source = `(?:${def.before ?? DEFAULT_BEFORE})(?<vigil_secret>${def.regex})(?:${def.after ?? DEFAULT_AFTER})`;
  const full = compileRegex(source, flags);
  const table = secretClassTable(def);
  const located = table
    ? compileRegex(`(?:${def.before ?? DEFAULT_BEFORE})(?:${def.regex})(?:${def.after ?? DEFAULT_AFTER})`, def.ignoreCase ? "gi" : "g")
    : undefined;
  const locate = table && located?.ok ? { regex: located.regex, table } : null;
  if (!full.ok) {
    if (!checkParts && partProblem() === null) return null;
    return problem("regex", full.reason);
  }
  let gate: CompiledRegex | undefined;
  if (def.gate !== undefined) {
    const compiled = compileRegex(def.gate);
    if (!compiled.ok) return problem("gate", compiled.reason);
    gate = compiled.regex;
  }
  const lists: Record<"mustMatch" | "mustNotMatch", CompiledRegex[]> = { mustMatch: [], mustNotMatch: [] };
  for (const field of ["mustMatch", "mustNotMatch"] as const) {
    for (const [i, src] of (def[field] ?? []).entries()) {
      const result = compileRegex(src);
      if (!result.ok) return problem(`${field}[${i}]`, result.reason);
      lists[field].push(result.regex);
    }
  }
  return { full: full.regex, probe: undefined, windows: 0, locate, gate, ...lists };
}

/** Windows a pattern sees before its probe is compiled (see \`PatternRegexes.probe\`). */
const PROBE_AFTER_WINDOWS = 8;

function compileProbe(def: PatternDefinition): CompiledRegex | null {
  const opened = compileRegex(
    openRepetitions(`(?:${def.before ?? DEFAULT_BEFORE})(?:${def.regex})(?:${def.after ?? DEFAULT_AFTER})`),
    def.ignoreCase ? "gi" : "g",
  );
  return opened.ok ? opened.regex : null;
}

interface KeywordUse {
  pattern: number;
  /** The keyword's bytes when the pattern matches them case-sensitively: hits in another case are skipped. */
  exact: Buffer | null;
  /** The keyword starts the secret and the default delimiter applies: a hit inside a word cannot match. */
  boundary: boolean;
  /**
   * Every match starts at a hit of this keyword (`boundary`, no top-level alternative, no gate): the
   * regex is tried at the hit only (sticky), not searched for across a window around it.
   */
  anchored: boolean;
  keyword: string;
  /** What the bytes after an anchored hit must look like (see \`keywordShapes\`); null: anything. Derived at the first hit. */
  shapes: Shape[] | null | undefined;
}

/**
 * True when a match may start at the keyword, and only at a non-alphanumeric byte: the regex (or one of
 * its branches of literals, `EAAA…|sq0atp-…`, `(?:https|http)://…`) begins with the keyword, and the
 * default delimiter applies. `covering`: the pattern's {@link keywordBranches}.
 */
function startsSecretAtBoundary(keyword: string, def: PatternDefinition, covering: LiteralBranch[] | null): boolean {
  if (def.before !== undefined && def.before !== DEFAULT_BEFORE) return false;
  const escaped = escapeLiteral(keyword);
  const regex = def.ignoreCase ? def.regex.toLowerCase() : def.regex;
  const [plain, esc] = def.ignoreCase ? [keyword.toLowerCase(), escaped.toLowerCase()] : [keyword, escaped];
  if (regex.startsWith(plain) || regex.startsWith(esc)) return true;
  const folded = keyword.toLowerCase();
  return covering !== null && covering.some((branch) => branch.literal.toLowerCase().startsWith(folded));
}

/**
 * The regex's branches of literals when each begins with one of the pattern's keywords (every match
 * starts at a hit), else null.
 */
function keywordBranches(def: PatternDefinition): LiteralBranch[] | null {
  const branches = literalBranches(def.regex);
  if (!branches) return null;
  const keywords = def.keywords.map((k) => k.toLowerCase());
  return branches.every((branch) => keywords.some((k) => branch.literal.toLowerCase().startsWith(k))) ? branches : null;
}

function escapeLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, (ch) => `\\${ch}`);
}

/**
 * A keyword written with capitals that appears verbatim in a case-sensitive
 * regex (`EAA` in `EAA[A-Za-z0-9]+`) must match in that case: `eaa` in base64
 * data then costs no regex run.
 */
function isLiteralCaseSensitive(keyword: string, def: PatternDefinition): boolean {
  if (def.ignoreCase || def.regex.includes("(?i)") || !/[A-Za-z]/.test(keyword)) return false;
  return def.regex.includes(keyword) || def.regex.includes(escapeLiteral(keyword));
}

function hasBytesAt(buffer: Uint8Array, offset: number, bytes: Uint8Array): boolean {
  if (offset + bytes.length > buffer.length) return false;
  for (let i = 0; i < bytes.length; i++) if (buffer[offset + i] !== bytes[i]) return false;
  return true;
}

/** What an explaining scan collects besides findings (see \`Matcher.explain\`). */
interface Trace {
  /** Candidates that \`#acceptable\` turned away. */
  rejected: Candidate[];
  /** Acceptable candidates dropped later (pair missing, inline marker), with the reason. */
  dropped: Array<{ candidate: Candidate; rejection: Rejection }>;
}

interface ScanSettings {
  allowValues: Set<string>;
  allowRegexes: CompiledRegex[];
  inlineAllow: boolean;
  fingerprintKey: string | Uint8Array;
}

class CompiledMatcher implements Matcher {
  readonly patterns: readonly PatternDefinition[];
  readonly problems: PatternProblem[] = [];
  readonly #compiled: CompiledPattern[];
  readonly #prefilter: KeywordPrefilter;
  /** For each keyword, the patterns that listed it, with the exact bytes when the pattern needs that case. */
  readonly #keywordPatterns: KeywordUse[][];
  readonly #keywordLengths: number[];
  readonly #maxKeywordLength: number;
  /** Keywords that are base64 encodings of a pattern's keyword: a hit means "decode around here". */
  readonly #keywordIsBase64: boolean[];
  /** Patterns with no keyword: their regex runs over whole content. */
  readonly #fullScan: CompiledPattern[];
  readonly #base64Patterns: CompiledPattern[];
  readonly #settings: ScanSettings;
  /** Some pattern pairs with another (set once: \`#pair\` runs per content). */
  readonly #hasPairs: boolean;
  /** Set only while \`explain\` runs: the scan then records what it turns away. */
  #trace: Trace | undefined;
  /** For \`explain\`: each pattern's regex with the default delimiters instead of its context (null: none). */
  readonly #bareRegexes = new Map<number, CompiledRegex | null>();
  /** For \`explain\`: each pattern's \`before\` up to the format's end, and the format then \`after\` (null: none). */
  readonly #contextRegexes = new Map<number, { before: CompiledRegex | null; after: CompiledRegex | null }>();

  constructor(compiled: CompiledPattern[], settings: ScanSettings) {
    this.#compiled = compiled;
    this.#settings = settings;
    this.patterns = compiled.map((p) => p.def);
    const keywordIndex = new Map<string, number>();
    this.#keywordPatterns = [];
    this.#keywordIsBase64 = [];
    // Per pattern, its keywordBranches (parsed once, not per keyword).
    const branchesOf = new Map<number, LiteralBranch[] | null>();
    const addKeyword = (keyword: string, pattern: CompiledPattern, isBase64: boolean): void => {
      const folded = keyword.toLowerCase();
      let index = keywordIndex.get(folded);
      if (index === undefined) {
        index = keywordIndex.size;
        keywordIndex.set(folded, index);
        this.#keywordPatterns.push([]);
        this.#keywordIsBase64.push(isBase64);
      }
      // A keyword shared by a plain and a base64 use is treated as both.
      if (!isBase64) this.#keywordIsBase64[index] = false;
      const list = this.#keywordPatterns[index]!;
      if (!list.some((entry) => entry.pattern === pattern.index)) {
        let covering = branchesOf.get(pattern.index);
        if (covering === undefined) branchesOf.set(pattern.index, (covering = keywordBranches(pattern.def)));
        const boundary = !isBase64 && startsSecretAtBoundary(keyword, pattern.def, covering);
        list.push({
          pattern: pattern.index,
          exact: isBase64 || !isLiteralCaseSensitive(keyword, pattern.def) ? null : Buffer.from(keyword),
          boundary,
          anchored:
            boundary &&
            pattern.def.gate === undefined &&
            (!hasTopLevelAlternative(pattern.def.regex) || covering !== null),
          keyword,
          shapes: undefined,
        });
      }
    };
    for (const pattern of compiled) {
      for (const keyword of pattern.def.keywords) addKeyword(keyword, pattern, false);
    }
    for (const pattern of compiled) {
      if (!pattern.def.base64) continue;
      for (const keyword of pattern.def.keywords) {
        for (const encoded of base64Keywords(keyword)) addKeyword(encoded, pattern, true);
      }
    }
    const keywords = [...keywordIndex.keys()];
    this.#keywordLengths = keywords.map((k) => Buffer.byteLength(k));
    this.#maxKeywordLength = Math.max(MIN_KEYWORD_LENGTH, ...this.#keywordLengths);
    this.#prefilter = new KeywordPrefilter(keywords);
    this.#fullScan = compiled.filter((p) => p.def.keywords.length === 0);
    this.#base64Patterns = compiled.filter((p) => p.def.base64);
    this.#hasPairs = compiled.some((p) => p.pairIndex >= 0);
  }

  scan(content: Uint8Array): Finding[] {
    return this.#scan(content, undefined, undefined);
  }

  scanWithMemo(content: Uint8Array, derivation?: Derivation): { findings: Finding[]; memo: ScanMemo } {
    const memo: Memo = { length: content.byteLength, hits: EMPTY_HITS, windows: new Map() };
    const usable =
      derivation && isMemo(derivation.base) && partsCover(derivation.parts, content.byteLength, derivation.base.length);
    const findings = this.#scan(content, memo, usable ? derivation : undefined);
    return { findings, memo };
  }

  explain(content: Uint8Array): { findings: Finding[]; explained: ExplainedCandidate[] } {
    const trace: Trace = { rejected: [], dropped: [] };
    let findings: Finding[];
    this.#trace = trace;
    try {
      findings = this.#scan(content, undefined, undefined);
    } finally {
      this.#trace = undefined;
    }
    const buffer = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    const entries: Array<{ candidate: Candidate; rejection: Rejection }> = [];
    for (const candidate of trace.rejected) entries.push({ candidate, rejection: this.#rejection(candidate) });
    for (const entry of trace.dropped) entries.push(entry);
    for (const entry of this.#contextAbsent(buffer, trace)) entries.push(entry);
    // Text that is reported (under this type or another) needs no explanation. Findings come in start
    // order; with the running maximum of their ends, "some finding starting before \`end\` ends after
    // \`start\`" is one binary search.
    const starts = findings.map((f) => f.startOffset);
    const maxEnds: number[] = [];
    for (const f of findings) maxEnds.push(Math.max(maxEnds[maxEnds.length - 1] ?? 0, f.endOffset));
    const span = (c: Candidate): [number, number] => (c.base64 ? [c.base64.start, c.base64.end] : [c.start, c.end]);
    const overlapsFinding = (c: Candidate): boolean => {
      const [start, end] = span(c);
      let lo = 0;
      let hi = starts.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (starts[mid]! < end) lo = mid + 1;
        else hi = mid;
      }
      return lo > 0 && maxEnds[lo - 1]! > start;
    };
    entries.sort((a, b) => {
      const [as, ae] = span(a.candidate);
      const [bs, be] = span(b.candidate);
      return as - bs || be - ae || a.candidate.pattern.index - b.candidate.pattern.index;
    });
    // One entry per pattern and place: a rejected match is searched again from its next byte, which
    // may find the same text, or a part of it, once more.
    const kept: Array<{ candidate: Candidate; rejection: Rejection }> = [];
    const lastEnd = new Map<number, number>();
    for (const entry of entries) {
      if (overlapsFinding(entry.candidate)) continue;
      const [start, end] = span(entry.candidate);
      const index = entry.candidate.pattern.index;
      if (start < (lastEnd.get(index) ?? -1)) continue;
      lastEnd.set(index, end);
      kept.push(entry);
    }
    const lines = new LineIndex(buffer);
    const explained = kept.map(({ candidate, rejection }): ExplainedCandidate => {
      const def = candidate.pattern.def;
      const [start, end] = span(candidate);
      return {
        secretType: def.id,
        secretTypeDisplayName: def.name,
        provider: def.provider,
        category: def.category,
        confidence: def.confidence,
        secret: new SecretValue(candidate.secret),
        isBase64Encoded: candidate.base64 !== undefined,
        ...lines.span(start, end),
        ...rejection,
      };
    });
    return { findings, explained };
  }

  /** Why \`#acceptable\` turned a candidate away: its checks again, in its order, the first that fails. */
  #rejection(candidate: Candidate): Rejection {
    const { def } = candidate.pattern;
    const { mustMatch, mustNotMatch } = candidate.pattern.regexes!;
    const secret = candidate.secret;
    if (this.#settings.allowValues.has(secret))
      return {
        reason: "allowlist_value",
        message: "the config's allowlist.values lists this exact value",
        detail: {},
      };
    for (const [i, regex] of mustMatch.entries()) {
      if (test(regex, secret)) continue;
      const source = def.mustMatch?.[i] ?? regex.source;
      return {
        reason: "must_match_failed",
        message: `it lacks what every ${def.name} has: it must match ${quoteRegex(source)}`,
        detail: { regex: source },
      };
    }
    for (const [i, regex] of mustNotMatch.entries()) {
      if (!test(regex, secret)) continue;
      const source = def.mustNotMatch?.[i] ?? regex.source;
      regex.lastIndex = 0;
      const text = regex.exec(secret)?.[0] ?? "";
      if (source === TYPED_NOT_RANDOM)
        return {
          reason: "placeholder",
          message: `it looks typed, not generated: it contains the sequence "${text}" (an alphabet, a counting sequence or a keyboard row)`,
          detail: { test: "sequential", text },
        };
      return {
        reason: "must_not_match",
        message: `it has a form the rule excludes: "${text}" matches ${quoteRegex(source)}`,
        detail: { regex: source, text },
      };
    }
    if (def.minEntropy !== undefined) {
      const entropy = shannonEntropy(secret);
      if (entropy < def.minEntropy) {
        const measured = Math.floor(entropy * 100) / 100;
        return {
          reason: "low_entropy",
          message: `its entropy is ${measured.toFixed(2)} bits per character, below the rule's minimum of ${def.minEntropy} (generated secrets score higher)`,
          detail: { entropy: measured, required: def.minEntropy },
        };
      }
    }
    if (!def.allowPlaceholderLike) {
      const placeholder = placeholderTest(secret);
      if (placeholder)
        return {
          reason: "placeholder",
          message: `it looks like a placeholder or example value: ${placeholder.description}`,
          detail: { test: placeholder.test, text: placeholder.text },
        };
    }
    for (const regex of this.#settings.allowRegexes) {
      if (!test(regex, secret)) continue;
      return {
        reason: "allowlist_regex",
        message: `the config's allowlist.regexes entry ${quoteRegex(regex.source)} matches it`,
        detail: { regex: regex.source },
      };
    }
    const validation = def.validation;
    if (validation?.kind === "checksum")
      return {
        reason: "checksum_failed",
        message: `${validation.check} does not match: every real ${def.name} passes it, so this string is not one (a made-up, truncated or mistyped value)`,
        detail: { check: validation.check },
      };
    const check = validation?.check ?? "the rule's structural check";
    return {
      reason: "validator_rejected",
      message: `${check} rejected it: it does not have the structure of this type (${def.name})`,
      detail: { check },
    };
  }

  /**
   * Strings that have a pattern's format but lack the context its \`before\`/\`after\` require (the
   * provider's name in an assignment, a URL around it): the format alone, with the default
   * delimiters, over the windows around the pattern's keywords. Only those the pattern would accept
   * otherwise, for provider and custom patterns (a generic value format matches most words), and
   * not where the pattern itself matched.
   */
  #contextAbsent(buffer: Buffer, trace: Trace): Array<{ candidate: Candidate; rejection: Rejection }> {
    const n = buffer.length;
    const contextual = this.#compiled.filter(
      (p) =>
        p.def.category !== "generic" &&
        p.def.keywords.length > 0 &&
        ((p.def.before !== undefined && p.def.before !== DEFAULT_BEFORE) ||
          (p.def.after !== undefined && p.def.after !== DEFAULT_AFTER)),
    );
    if (contextual.length === 0 || n === 0) return [];
    const wanted = new Set(contextual.map((p) => p.index));
    const windows = new Map<number, number[]>();
    const { pairs, count } = this.#prefilter.hits(buffer);
    for (let h = 0; h < count; h += 2) {
      const keyword = pairs[h]!;
      if (this.#keywordIsBase64[keyword]) continue;
      const offset = pairs[h + 1]!;
      const length = this.#keywordLengths[keyword]!;
      for (const use of this.#keywordPatterns[keyword]!) {
        if (!wanted.has(use.pattern)) continue;
        const pattern = this.#compiled[use.pattern]!;
        let list = windows.get(use.pattern);
        if (!list) windows.set(use.pattern, (list = []));
        list.push(Math.max(0, offset - pattern.windowBefore), Math.min(n, offset + length + pattern.windowAfter));
      }
    }
    if (windows.size === 0) return [];
    // Where each pattern itself matched (rejected or dropped; accepted ones are findings or overlap one).
    const matched = new Map<CompiledPattern, Candidate[]>();
    for (const c of [...trace.rejected, ...trace.dropped.map((d) => d.candidate)]) {
      if (c.base64) continue;
      let list = matched.get(c.pattern);
      if (!list) matched.set(c.pattern, (list = []));
      list.push(c);
    }
    const input = regexInput(buffer);
    const out: Array<{ candidate: Candidate; rejection: Rejection }> = [];
    for (const [index, list] of windows) {
      const pattern = this.#compiled[index]!;
      if (pattern.regexes === undefined) pattern.regexes = compilePatternRegexes(pattern.def, this.problems, false);
      if (pattern.regexes === null) continue;
      const bare = this.#bareRegex(pattern);
      if (!bare) continue;
      const found: Candidate[] = [];
      const merged = mergeWindows(list);
      for (let w = 0; w < merged.length; w += 2) {
        const start = merged[w]!;
        const end = merged[w + 1]!;
        const window = input.subarray(start, end);
        bare.lastIndex = 0;
        for (;;) {
          const match = bare.exec(window);
          if (!match) break;
          const s = match.indices?.groups?.["vigil_secret"];
          if (!s) break;
          bare.lastIndex = s[1] > match.index ? s[1] : match.index + 1;
          const absStart = start + s[0];
          const absEnd = start + s[1];
          if (absEnd === absStart) continue;
          if (s[0] === 0 && absStart > 0 && isAlnum(buffer[absStart - 1])) continue;
          if (s[1] === window.length && absEnd < n && isAlnum(buffer[absEnd])) continue;
          found.push({ pattern, start: absStart, end: absEnd, secret: buffer.toString("utf8", absStart, absEnd) });
        }
      }
      for (const candidate of found) {
        // Where the pattern itself matched, the scan's own reason (or the finding) stands.
        if ((matched.get(pattern) ?? []).some((c) => c.start < candidate.end && candidate.start < c.end)) continue;
        if (!this.#acceptable(candidate)) continue;
        out.push({ candidate, rejection: this.#contextRejection(pattern, input, candidate) });
      }
    }
    return out;
  }

  #bareRegex(pattern: CompiledPattern): CompiledRegex | null {
    let bare = this.#bareRegexes.get(pattern.index);
    if (bare === undefined) {
      const flags = pattern.def.ignoreCase ? "gdi" : "gd";
      const compiled = compileRegex(
        `(?:${DEFAULT_BEFORE})(?<vigil_secret>${pattern.def.regex})(?:${DEFAULT_AFTER})`,
        flags,
      );
      bare = compiled.ok ? compiled.regex : null;
      this.#bareRegexes.set(pattern.index, bare);
    }
    return bare;
  }

  /** Which side's context is missing: \`before\` is tried up to the candidate's end, \`after\` from its start. */
  #contextRejection(pattern: CompiledPattern, input: Buffer, candidate: Candidate): Rejection {
    const { def } = pattern;
    const flags = def.ignoreCase ? "i" : "";
    const before = def.before ?? DEFAULT_BEFORE;
    const after = def.after ?? DEFAULT_AFTER;
    const from = Math.max(0, candidate.start - pattern.windowBefore);
    const to = Math.min(input.length, candidate.end + pattern.windowAfter);
    let sides = this.#contextRegexes.get(pattern.index);
    if (!sides) {
      const compiledBefore = compileRegex(`(?:${before})(?:${def.regex})\\z`, flags);
      const compiledAfter = compileRegex(`\\A(?:${def.regex})(?:${after})`, flags);
      sides = {
        before: compiledBefore.ok ? compiledBefore.regex : null,
        after: compiledAfter.ok ? compiledAfter.regex : null,
      };
      this.#contextRegexes.set(pattern.index, sides);
    }
    const beforeOk = sides.before !== null && test(sides.before, input.subarray(from, candidate.end));
    const afterOk = sides.after !== null && test(sides.after, input.subarray(candidate.start, to));
    const side = !beforeOk && !afterOk ? "both" : !beforeOk ? "before" : "after";
    const where = side === "both" ? "before and after" : side;
    const what = def.contextDescription
      ? `it to be ${def.contextDescription}`
      : side === "both"
        ? `context before it (${quoteRegex(before, 80)}) and after it (${quoteRegex(after, 80)})`
        : `context ${side} it (${quoteRegex(side === "before" ? before : after, 80)})`;
    return {
      reason: "context_absent",
      message: `it has the format of this type (${def.name}), but the rule also requires ${what}, and the text ${where} it does not match`,
      detail: { side, ...(side !== "after" ? { before } : {}), ...(side !== "before" ? { after } : {}) },
    };
  }

  #scan(content: Uint8Array, memo: Memo | undefined, derivation: Derivation | undefined): Finding[] {
    const buffer = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    const segments: Base64Segment[] = [];
    const candidates = this.#candidates(buffer, this.#compiled, segments, memo, derivation);
    if (segments.length > 0)
      for (const candidate of this.#base64Candidates(buffer, segments)) candidates.push(candidate);
    const paired = this.#pair(candidates);
    // A pair's second half is reported inside its pair, not on its own, but it still holds its bytes:
    // a generic pattern on the same value (`aws_secret_access_key = "…"`) must not report it again.
    const partners = new Set(paired.partners.values());
    const resolved = resolveOverlaps([...paired.candidates, ...partners]).filter((c) => !partners.has(c));
    const lines = new LineIndex(buffer);
    const findings: Finding[] = [];
    for (const candidate of resolved) {
      const [spanStart, spanEnd] = candidate.base64
        ? [candidate.base64.start, candidate.base64.end]
        : [candidate.start, candidate.end];
      if (this.#settings.inlineAllow && hasInlineAllow(buffer, spanStart, spanEnd)) {
        if (this.#trace)
          this.#trace.dropped.push({ candidate, rejection: inlineAllowRejection(buffer, spanStart, spanEnd) });
        continue;
      }
      const def = candidate.pattern.def;
      const partner = paired.partners.get(candidate);
      findings.push({
        secretType: def.id,
        secretTypeDisplayName: def.name,
        provider: def.provider,
        category: def.category,
        confidence: def.confidence,
        // GitHub blocks a pair only when both halves are pushed together.
        pushProtection: def.pushProtection && !(def.pair && !partner),
        secret: new SecretValue(candidate.secret),
        fingerprint: fingerprintSecret(def.id, candidate.secret, this.#settings.fingerprintKey),
        isBase64Encoded: candidate.base64 !== undefined,
        ...lines.span(spanStart, spanEnd),
        ...(partner ? { paired: pairedSecret(partner, lines) } : {}),
      });
    }
    return findings;
  }

  /** Matches of `patterns` in `buffer` that pass their filters. */
  #candidates(
    buffer: Buffer,
    patterns: readonly CompiledPattern[],
    segments?: Base64Segment[],
    memo?: Memo,
    derivation?: Derivation,
  ): Candidate[] {
    const n = buffer.length;
    const wanted = patterns === this.#compiled ? undefined : new Set(patterns.map((p) => p.index));
    const windows = new Map<number, number[]>();
    const anchors = new Map<number, number[]>();
    let pairs: Int32Array;
    let count: number;
    if (memo === undefined || wanted) ({ pairs, count } = this.#prefilter.hits(buffer));
    else {
      // Delta-aware: a derived blob's hits come from its base's where the bytes were copied.
      memo.hits = derivation ? this.#derivedHits(buffer, derivation) : this.#allHits(buffer);
      pairs = memo.hits;
      count = memo.hits.length;
    }
    // The hit loop runs for every keyword occurrence (300,000 per 100 MB of code with the whole catalog,
    // most of them \`EAA\` in source maps, \`pat\` in \`path\`): fields read once, cheapest checks first.
    const isBase64 = this.#keywordIsBase64;
    const uses = this.#keywordPatterns;
    const lengths = this.#keywordLengths;
    const compiled = this.#compiled;
    for (let h = 0; h < count; h += 2) {
      const keyword = pairs[h]!;
      const offset = pairs[h + 1]!;
      if (isBase64[keyword]) {
        const last = segments?.[segments.length - 1];
        if (segments && !(last && offset < last.end)) {
          const segment = base64SegmentAround(buffer, offset);
          if (segment) segments.push(segment);
        }
        continue;
      }
      const length = lengths[keyword]!;
      const list = uses[keyword]!;
      for (let u = 0; u < list.length; u++) {
        const use = list[u]!;
        if (use.boundary && offset > 0 && isAlnum(buffer[offset - 1])) continue;
        if (use.exact && !hasBytesAt(buffer, offset, use.exact)) continue;
        if (wanted && !wanted.has(use.pattern)) continue;
        const pattern = compiled[use.pattern]!;
        if (pattern.quotedAssignment && !quotedAssignmentAfter(buffer, offset + length)) continue;
        if (pattern.follows !== null && !fitsOne(buffer, offset + length, pattern.follows)) continue;
        if (use.anchored) {
          if (use.shapes === undefined)
            use.shapes = keywordShapes(pattern.def.regex, use.keyword, pattern.def.ignoreCase === true) ?? null;
          if (use.shapes !== null && !fitsShape(buffer, offset + length, use.shapes)) continue;
          let spans = anchors.get(use.pattern);
          if (!spans) anchors.set(use.pattern, (spans = []));
          spans.push(offset, Math.min(n, offset + length + pattern.windowAfter));
          continue;
        }
        let spans = windows.get(use.pattern);
        if (!spans) windows.set(use.pattern, (spans = []));
        spans.push(Math.max(0, offset - pattern.windowBefore), Math.min(n, offset + length + pattern.windowAfter));
      }
    }
    const out: Candidate[] = [];
    const deferred: CompiledPattern[] = [];
    // What the regexes read: the content with each byte that is not valid UTF-8 replaced (see `regexInput`).
    // Made at the first regex run: with the whole catalog most content runs none, and a derived content whose windows all come from its base needs none.
    let regexBytes: Buffer | undefined;
    const input = (): Buffer => (regexBytes ??= regexInput(buffer));
    for (const [index, list] of windows) {
      const pattern = this.#compiled[index]!;
      const merged = mergeWindows(list);
      const plain = memo === undefined || wanted !== undefined;
      // A window without a byte every match contains (\`requiredByte\`, ASCII: the same in the content as in
      // what the regexes read) is left here, before a window object is made: the next such byte is found
      // once (windows are in order) and serves every window before it.
      const required = plain ? (pattern.required ??= requiredByte(pattern.def.regex)) : -1;
      let nextRequired = -1;
      for (let w = 0; w < merged.length; w += 2) {
        const start = merged[w]!;
        const end = merged[w + 1]!;
        if (plain) {
          if (required >= 0) {
            if (nextRequired < start) {
              nextRequired = buffer.indexOf(required, start);
              if (nextRequired < 0) nextRequired = n;
            }
            if (nextRequired >= end) continue;
          }
          this.#runRegex(pattern, buffer, input(), start, end, out);
          continue;
        }
        const key = start * 65536 + index;
        const reused = derivation ? reusedWindow(derivation, n, index, start, end) : undefined;
        if (reused) {
          for (let i = 0; i < reused.secrets.length; i++)
            out.push({
              pattern,
              start: start + reused.spans[2 * i]!,
              end: start + reused.spans[2 * i + 1]!,
              secret: reused.secrets[i]!,
            });
          memo.windows.set(key, { end, spans: reused.spans, secrets: reused.secrets });
          continue;
        }
        const first = out.length;
        this.#runRegex(pattern, buffer, input(), start, end, out);
        const spans: number[] = [];
        const secrets: string[] = [];
        for (let i = first; i < out.length; i++) {
          spans.push(out[i]!.start - start, out[i]!.end - start);
          secrets.push(out[i]!.secret);
        }
        memo.windows.set(key, { end, spans, secrets });
      }
    }
    for (const [index, list] of anchors) {
      const pattern = this.#compiled[index]!;
      const bytes = input();
      sortPairs(list);
      // A lone hit is tried where it is (sticky); hits close together (a run of \`EAA\` in base64 data)
      // cost one search over their joined windows instead of one call each.
      for (let k = 0; k < list.length;) {
        const start = list[k]!;
        let end = list[k + 1]!;
        let next = k + 2;
        while (next < list.length && list[next]! <= end) {
          end = Math.max(end, list[next + 1]!);
          next += 2;
        }
        if (next === k + 2) this.#runAnchored(pattern, buffer, bytes, start, end, out);
        else this.#runRegex(pattern, buffer, bytes, start, end, out);
        k = next;
      }
    }
    for (const pattern of this.#fullScan) {
      if (wanted && !wanted.has(pattern.index)) continue;
      // A half that only counts beside its partner runs only once the partner is found.
      if (pattern.def.standalone === false) deferred.push(pattern);
      else this.#runRegex(pattern, buffer, input(), 0, n, out);
    }
    for (const pattern of deferred) {
      if (out.some((c) => c.pattern.pairIndex === pattern.index)) this.#runRegex(pattern, buffer, input(), 0, n, out);
    }
    return out;
  }

  /** Every prefilter hit of `buffer`, in the prefilter's order. */
  #allHits(buffer: Buffer): Int32Array {
    const hits = new HitList(256);
    this.#prefilter.scan(buffer, (keyword, offset) => hits.push(keyword, offset));
    return hits.done();
  }

  /**
   * The prefilter hits of a derived content, exactly as a full pass would report them: hits wholly
   * inside one copied part are the base's, moved; every other hit lies in inserted bytes or across
   * a junction between parts, within a keyword's length of it, and those regions are scanned.
   */
  #derivedHits(buffer: Buffer, { base, parts }: Derivation): Int32Array {
    const lengths = this.#keywordLengths;
    const reach = this.#maxKeywordLength - 1;
    const n = buffer.length;
    const baseHits = base.hits;
    // Hits carried from the base come out in end order: parts are in target order and a hit lies in one part.
    const carried = new HitList(baseHits.length + 16);
    // Regions to scan: inserted parts and junctions, widened by a keyword's reach, merged.
    const regions: number[] = [];
    const addRegion = (from: number, to: number): void => {
      from = Math.max(0, from);
      to = Math.min(n, to);
      if (to <= from) return;
      const last = regions.length - 1;
      if (last > 0 && from <= regions[last]!) regions[last] = Math.max(regions[last]!, to);
      else regions.push(from, to);
    };
    const baseCount = baseHits.length >>> 1;
    for (let i = 0; i < parts.length; i += 3) {
      const target = parts[i]!;
      const source = parts[i + 1]!;
      const length = parts[i + 2]!;
      if (source < 0) {
        addRegion(target - reach, target + length + reach);
        continue;
      }
      if (i > 0) addRegion(target - reach, target + reach);
      // The first base hit ending after `source` (hits are in end order).
      const stop = source + length;
      let lo = 0;
      let hi = baseCount;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (baseHits[2 * mid + 1]! + lengths[baseHits[2 * mid]!]! <= source) lo = mid + 1;
        else hi = mid;
      }
      const shift = target - source;
      for (let h = 2 * lo; h < baseHits.length; h += 2) {
        const keyword = baseHits[h]!;
        const offset = baseHits[h + 1]!;
        if (offset + lengths[keyword]! > stop) break;
        if (offset >= source) carried.push(keyword, offset + shift);
      }
    }
    // Hits of the scanned regions, also in end order (the regions are disjoint and in order).
    const found = new HitList(64);
    for (let r = 0; r < regions.length; r += 2) {
      const from = regions[r]!;
      this.#prefilter.scan(buffer.subarray(from, regions[r + 1]), (keyword, relative) => {
        const offset = from + relative;
        if (!insideCopiedPart(parts, offset, offset + lengths[keyword]!)) found.push(keyword, offset);
      });
    }
    if (found.length === 0) return carried.done();
    // Merged as the prefilter reports them: by end offset, and at one end the longer keyword first.
    const out = new Int32Array(carried.length + found.length);
    const a = carried.data;
    const b = found.data;
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < carried.length && j < found.length) {
      const ea = a[i + 1]! + lengths[a[i]!]!;
      const eb = b[j + 1]! + lengths[b[j]!]!;
      if (ea < eb || (ea === eb && lengths[a[i]!]! > lengths[b[j]!]!)) {
        out[k++] = a[i++]!;
        out[k++] = a[i++]!;
      } else {
        out[k++] = b[j++]!;
        out[k++] = b[j++]!;
      }
    }
    while (i < carried.length) out[k++] = a[i++]!;
    while (j < found.length) out[k++] = b[j++]!;
    return out;
  }

  /** Runs a pattern over \`input[start, end)\`; secrets are cut from \`buffer\`, the content itself (same offsets). */
  #runRegex(
    pattern: CompiledPattern,
    buffer: Buffer,
    input: Buffer,
    start: number,
    end: number,
    out: Candidate[],
  ): void {
    if (pattern.regexes === undefined) pattern.regexes = compilePatternRegexes(pattern.def, this.problems, false);
    if (pattern.regexes === null) return;
    const regex = pattern.regexes.full;
    const window = input.subarray(start, end);
    const required = (pattern.required ??= requiredByte(pattern.def.regex));
    if (required >= 0 && window.indexOf(required) < 0) return;
    if (pattern.regexes.gate && !pattern.regexes.gate.test(window)) return;
    // Most windows hold no match: the probe (or \`test\`) says so without building a match with its indices,
    // and the probe says it again for the rest of a window after each match.
    const regexes = pattern.regexes;
    if (regexes.probe === undefined && ++regexes.windows >= PROBE_AFTER_WINDOWS) regexes.probe = compileProbe(pattern.def);
    const probe = regexes.probe ?? regex;
    const locate = pattern.regexes.locate;
    const searcher = locate ? locate.regex : regex;
    searcher.lastIndex = 0;
    for (;;) {
      const from = searcher.lastIndex;
      probe.lastIndex = from;
      if (!probe.test(window)) break;
      searcher.lastIndex = from;
      const match = searcher.exec(window);
      if (!match) break;
      let relStart: number;
      let relEnd: number;
      if (locate) {
        [relStart, relEnd] = secretSpan(window, match.index, match.index + match[0].length, locate.table);
      } else {
        const span = match.indices?.groups?.["vigil_secret"];
        if (!span) break;
        [relStart, relEnd] = span;
      }
      // Resume right after the secret so that an `after` delimiter can serve as the next match's `before`.
      searcher.lastIndex = relEnd > match.index ? relEnd : match.index + 1;
      const absStart = start + relStart;
      const absEnd = start + relEnd;
      if (absEnd === absStart) continue;
      // A window edge inside the content is not \A or \z: with the default delimiters the neighbour must not be alphanumeric.
      if (relStart === 0 && absStart > 0 && isAlnum(buffer[absStart - 1])) continue;
      if (relEnd === window.length && absEnd < buffer.length && isAlnum(buffer[absEnd])) continue;
      const candidate = { pattern, start: absStart, end: absEnd, secret: buffer.toString("utf8", absStart, absEnd) };
      if (this.#acceptable(candidate)) {
        out.push(candidate);
      } else {
        if (this.#trace) this.#trace.rejected.push(candidate);
        // A rejected match may hide an acceptable one that starts inside it: look again from the next byte.
        searcher.lastIndex = match.index + 1;
      }
    }
  }

  /**
   * Tries a pattern at \`start\` only (an anchored hit: every match begins with the keyword found
   * there), reading at most up to \`end\`.
   */
  #runAnchored(
    pattern: CompiledPattern,
    buffer: Buffer,
    input: Buffer,
    start: number,
    end: number,
    out: Candidate[],
  ): void {
    if (pattern.regexes === undefined) pattern.regexes = compilePatternRegexes(pattern.def, this.problems, false);
    if (pattern.regexes === null) return;
    let sticky = pattern.regexes.sticky;
    if (sticky === undefined) {
      const compiled = compileRegex(pattern.regexes.full.source, pattern.regexes.full.flags + "y");
      pattern.regexes.sticky = sticky = compiled.ok ? compiled.regex : null;
    }
    if (sticky === null) {
      this.#runRegex(pattern, buffer, input, start, end, out);
      return;
    }
    // The window starts at the keyword: the default \`before\` matches there as \`\A\`, and the hit loop
    // has already checked that the byte before is not alphanumeric.
    const window = input.subarray(start, end);
    sticky.lastIndex = 0;
    if (!sticky.test(window)) return;
    sticky.lastIndex = 0;
    const match = sticky.exec(window);
    const span = match?.indices?.groups?.["vigil_secret"];
    if (!span) return;
    const absStart = start + span[0];
    const absEnd = start + span[1];
    if (absEnd === absStart) return;
    if (span[1] === window.length && absEnd < buffer.length && isAlnum(buffer[absEnd])) return;
    const candidate = { pattern, start: absStart, end: absEnd, secret: buffer.toString("utf8", absStart, absEnd) };
    if (this.#acceptable(candidate)) out.push(candidate);
    else if (this.#trace) this.#trace.rejected.push(candidate);
  }

  /** Secrets inside base64 segments, decoded, for the patterns that opt in. */
  #base64Candidates(buffer: Buffer, segments: Base64Segment[]): Candidate[] {
    const out: Candidate[] = [];
    for (const segment of segments) {
      const decoded = Buffer.from(buffer.toString("latin1", segment.start, segment.end), "base64");
      const traced = this.#trace?.rejected.length ?? 0;
      for (const candidate of this.#candidates(decoded, this.#base64Patterns)) {
        out.push({
          ...candidate,
          start: segment.start,
          end: segment.end,
          base64: { start: segment.start, end: segment.end },
        });
      }
      if (this.#trace) {
        // Rejected inside the decoded bytes: placed on the segment, as findings there are.
        const rejected = this.#trace.rejected;
        for (let i = traced; i < rejected.length; i++)
          rejected[i] = {
            ...rejected[i]!,
            start: segment.start,
            end: segment.end,
            base64: { start: segment.start, end: segment.end },
          };
      }
    }
    return out;
  }

  #acceptable(candidate: Candidate): boolean {
    const { def } = candidate.pattern;
    const { mustMatch, mustNotMatch } = candidate.pattern.regexes!;
    const secret = candidate.secret;
    if (this.#settings.allowValues.has(secret)) return false;
    for (const regex of mustMatch) if (!test(regex, secret)) return false;
    for (const regex of mustNotMatch) if (test(regex, secret)) return false;
    if (def.minEntropy !== undefined && shannonEntropy(secret) < def.minEntropy) return false;
    if (!def.allowPlaceholderLike && isPlaceholder(secret)) return false;
    for (const regex of this.#settings.allowRegexes) if (test(regex, secret)) return false;
    if (def.validate) {
      try {
        if (!def.validate(secret)) return false;
      } catch {
        return false;
      }
    }
    return true;
  }

  /**
   * Joins the halves of pairs: each reported half takes the nearest partner in
   * the same content; partners are not reported on their own, and a half whose
   * pair is required is dropped without one.
   */
  #pair(candidates: Candidate[]): { candidates: Candidate[]; partners: Map<Candidate, Candidate> } {
    const partners = new Map<Candidate, Candidate>();
    if (!this.#hasPairs || candidates.length === 0) return { candidates, partners };
    const used = new Set<Candidate>();
    const dropped = new Set<Candidate>();
    for (const candidate of candidates) {
      const pairIndex = candidate.pattern.pairIndex;
      if (pairIndex < 0) continue;
      let best: Candidate | undefined;
      for (const other of candidates) {
        if (other.pattern.index !== pairIndex) continue;
        if (!best || Math.abs(other.start - candidate.start) < Math.abs(best.start - candidate.start)) best = other;
      }
      if (best) {
        partners.set(candidate, best);
        used.add(best);
      } else if (candidate.pattern.def.pair?.required) {
        dropped.add(candidate);
        this.#trace?.dropped.push({ candidate, rejection: pairRejection(candidate, this.#compiled[pairIndex]!, true) });
      }
    }
    if (this.#trace)
      for (const candidate of candidates)
        if (candidate.pattern.def.standalone === false && !used.has(candidate) && !dropped.has(candidate)) {
          const other = this.#compiled.find((p) => p.pairIndex === candidate.pattern.index) ?? candidate.pattern;
          this.#trace.dropped.push({ candidate, rejection: pairRejection(candidate, other, false) });
        }
    const keep = (c: Candidate): boolean => !used.has(c) && !dropped.has(c) && c.pattern.def.standalone !== false;
    return { candidates: candidates.filter(keep), partners };
  }
}

/** A pair's half reported only beside its partner, without one (\`required\`), or a standalone: false half that no partner took. */
function pairRejection(candidate: Candidate, other: CompiledPattern, required: boolean): Rejection {
  const name = candidate.pattern.def.name;
  return {
    reason: "pair_missing",
    message: required
      ? `this type (${name}) is reported only together with the other half of its pair (${other.def.name}) in the same file, and there is none`
      : `this type (${name}) is reported only as the other half of a ${other.def.name} in the same file, and none was paired with it`,
    detail: { pairWith: other.def.id },
  };
}

function inlineAllowRejection(buffer: Buffer, start: number, end: number): Rejection {
  const marker = inlineAllowMarker(buffer, start, end) ?? "vigil:allow";
  return {
    reason: "inline_allow",
    message: `its line carries the allow marker "${marker}"`,
    detail: { marker },
  };
}

function test(regex: CompiledRegex, text: string | Buffer): boolean {
  regex.lastIndex = 0;
  return regex.test(text);
}

function pairedSecret(partner: Candidate, lines: LineIndex): PairedSecret {
  return {
    secretType: partner.pattern.def.id,
    secretTypeDisplayName: partner.pattern.def.name,
    secret: new SecretValue(partner.secret),
    ...lines.span(partner.start, partner.end),
  };
}

/**
 * The longest rest of a name after its keyword that `quotedAssignment` accepts: the 24 characters the
 * generic rule's name allows after the keyword, and the plural `s` of `credentials`.
 */
const NAME_TAIL_MAX = 25;
/** Blanks on either side of the operator (column-aligned assignments, `OPERATOR_BLANKS`). */
const BLANKS_MAX = 40;
const NAME_BYTE = (() => {
  const table = new Uint8Array(256);
  for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") table[ch.charCodeAt(0)] = 1;
  return table;
})();

/**
 * The shape `quotedAssignment` promises, read byte by byte from the keyword's end: the rest of the name
 * (`[A-Za-z0-9_.-]{0,25}`), an optional escape, closing quote and `]`, blanks, one operator (`=`, `:`,
 * `=>`, `:=`, `<-`), blanks, an optional string prefix (`r`, `b`, `u`, `f`) and escape, and the quote
 * that opens the value. Each part's bytes differ from the next part's first byte, so reading greedily
 * decides exactly what the rule's regex would: a hit that fails here cannot start a match (about half
 * of the windows a looser "an operator and a quote somewhere on the line" let through).
 */
function quotedAssignmentAfter(buffer: Buffer, from: number): boolean {
  let i = from;
  for (let tail = 0; NAME_BYTE[buffer[i] ?? 0] === 1; i++) if (++tail > NAME_TAIL_MAX) return false;
  if (buffer[i] === 0x5c) i++; // \
  if (buffer[i] === 0x22 || buffer[i] === 0x27) i++; // " '
  if (buffer[i] === 0x5d) i++; // ]
  for (let blanks = 0; buffer[i] === 0x20 || buffer[i] === 0x09; i++) if (++blanks > BLANKS_MAX) return false;
  const operator = buffer[i];
  if (operator === 0x3d) i += buffer[i + 1] === 0x3e ? 2 : 1; // = =>
  else if (operator === 0x3a) i += buffer[i + 1] === 0x3d ? 2 : 1; // : :=
  else if (operator === 0x3c && buffer[i + 1] === 0x2d) i += 2; // <-
  else return false;
  for (let blanks = 0; buffer[i] === 0x20 || buffer[i] === 0x09; i++) if (++blanks > BLANKS_MAX) return false;
  if (STRING_PREFIX[buffer[i] ?? 0] === 1) i++;
  if (buffer[i] === 0x5c) i++;
  const quote = buffer[i];
  return quote === 0x22 || quote === 0x27 || quote === 0x60; // " ' `
}
const STRING_PREFIX = (() => {
  const table = new Uint8Array(256);
  for (const ch of "rbufRBUF") table[ch.charCodeAt(0)] = 1;
  return table;
})();

/** Sorts [start, end, start, end, …] by start, in place; hits mostly arrive in order already. */
function sortPairs(flat: number[]): void {
  let sorted = true;
  for (let i = 2; i < flat.length && sorted; i += 2) if (flat[i]! < flat[i - 2]!) sorted = false;
  if (sorted) return;
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  pairs.sort((x, y) => x[0] - y[0]);
  pairs.forEach(([start, end], i) => {
    flat[2 * i] = start;
    flat[2 * i + 1] = end;
  });
}

/** Sorts [start, end, start, end, …] and merges overlapping windows, in place. */
function mergeWindows(flat: number[]): number[] {
  sortPairs(flat);
  let w = 0;
  for (let i = 0; i < flat.length; i += 2) {
    const start = flat[i]!;
    const end = flat[i + 1]!;
    if (w > 0 && start <= flat[w - 1]!) {
      if (end > flat[w - 1]!) flat[w - 1] = end;
    } else {
      flat[w] = start;
      flat[w + 1] = end;
      w += 2;
    }
  }
  flat.length = w;
  return flat;
}

/** Longer than any single secret we match (a 4096-bit PEM key is ~3.3 KB). */
const MAX_OVERLAP_SPAN = 65536;

const CATEGORY_RANK = { custom: 2, provider: 2, generic: 0 } as const;

/**
 * RE2 reads content as UTF-8, and a byte that is not valid UTF-8 there (a Latin-1 \`é\` = e9, \`ff\`,
 * a lone \`c3\`) matches no character class: \`[^0-9A-Za-z]\` fails on it, so a secret right after
 * it was missed. Content is bytes, whatever its encoding: each invalid byte is replaced by SUB
 * (1a), one byte for one so offsets are kept, in a copy that only the regexes read. Valid UTF-8
 * (the usual case, checked natively) is used as is.
 */
export function regexInput(buffer: Buffer): Buffer {
  if (isUtf8(buffer)) return buffer;
  const out = Buffer.from(buffer);
  const n = out.length;
  let i = 0;
  while (i < n) {
    const b = out[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = utf8SequenceLength(out, i, n);
    if (length === 0) out[i++] = 0x1a;
    else i += length;
  }
  return out;
}

/** The length of the valid UTF-8 sequence at \`i\` (RFC 3629: no overlongs, surrogates or values past U+10FFFF), or 0. */
function utf8SequenceLength(b: Buffer, i: number, n: number): number {
  const c = b[i]!;
  const cont = (k: number): boolean => i + k < n && (b[i + k]! & 0xc0) === 0x80;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) return 0;
    const c1 = b[i + 1]!;
    if (c === 0xe0 && c1 < 0xa0) return 0;
    if (c === 0xed && c1 > 0x9f) return 0;
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const c1 = b[i + 1]!;
    if (c === 0xf0 && c1 < 0x90) return 0;
    if (c === 0xf4 && c1 > 0x8f) return 0;
    return 4;
  }
  return 0;
}

/**
 * When matches overlap, the more specific wins: provider or custom over
 * generic, high confidence over low, then the longer match. Identical spans of
 * different types are kept only when both are specific.
 */
function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  // A catch-all that knows only a name (`password = "…"`: the patterns with `quotedAssignment`) is less
  // specific than a generic pattern that knows a format (`redis://…`, `_authToken=…`): one finding each.
  const rank = (c: Candidate): number =>
    CATEGORY_RANK[c.pattern.def.category] +
    (c.pattern.def.confidence === "high" ? 1 : 0) -
    (c.pattern.def.quotedAssignment || c.pattern.def.nameOnly ? 0.5 : 0);
  const sorted = [...candidates].sort(
    (a, b) => a.start - b.start || b.end - a.end || a.pattern.index - b.pattern.index,
  );
  const kept: Candidate[] = [];
  // The furthest end of any candidate kept so far (it may since have been dropped: then it only
  // costs the look back below). A candidate starting at or past it overlaps nothing kept: with
  // 250,000 adjacent findings, looking back over each one's neighbours made this quadratic.
  let maxEnd = 0;
  for (const candidate of sorted) {
    if (candidate.start >= maxEnd) {
      kept.push(candidate);
      maxEnd = candidate.end;
      continue;
    }
    let keep = true;
    for (let i = kept.length - 1; i >= 0; i--) {
      const other = kept[i]!;
      if (other.end <= candidate.start) {
        // Kept matches are in start order; none this far back can still overlap.
        if (other.start < candidate.start - MAX_OVERLAP_SPAN) break;
        continue;
      }
      if (other.pattern === candidate.pattern) {
        keep = false;
        break;
      }
      const diff = rank(candidate) - rank(other);
      const sameSpan = other.start === candidate.start && other.end === candidate.end;
      if (diff < 0 || (diff === 0 && !sameSpan && candidate.end - candidate.start <= other.end - other.start)) {
        keep = false;
        break;
      }
      if (diff > 0 || (diff === 0 && !sameSpan)) kept.splice(i, 1);
    }
    if (keep) {
      kept.push(candidate);
      if (candidate.end > maxEnd) maxEnd = candidate.end;
    }
  }
  return kept.sort((a, b) => a.start - b.start || a.pattern.index - b.pattern.index);
}

/** Maps byte offsets to 1-based lines and byte columns, scanning newlines once, lazily. */
class LineIndex {
  readonly #content: Uint8Array;
  #lineStarts: number[] | undefined;

  constructor(content: Uint8Array) {
    this.#content = content;
  }

  #starts(): number[] {
    return (this.#lineStarts ??= lineStarts(this.#content));
  }

  #position(offset: number): { line: number; column: number } {
    const starts = this.#starts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }

  span(start: number, end: number): SecretSpan {
    const from = this.#position(start);
    const to = this.#position(Math.max(start, end - 1));
    return {
      startOffset: start,
      endOffset: end,
      startLine: from.line,
      endLine: to.line,
      startColumn: from.column,
      endColumn: to.column,
    };
  }
}

/**
 * Where each line of `content` starts. A function of its own: V8 compiles the loop on the stack in a
 * scan's first pass, and a private field stored after it (with no type feedback yet then) made that
 * code deoptimize at the loop's end, once per file, all through the scan (163 times on symfony's tree).
 */
function lineStarts(content: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i < content.length; i++) if (content[i] === 0x0a) starts.push(i + 1);
  return starts;
}

interface Memo extends ScanMemo {
  hits: Int32Array;
  windows: Map<number, MemoWindow>;
}

const EMPTY_HITS = new Int32Array(0);

function isMemo(value: unknown): value is Memo {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Memo).hits instanceof Int32Array &&
    (value as Memo).windows instanceof Map
  );
}

/** The parts tile the content in order and copy only from inside the base: else the derivation is ignored (a full scan). */
function partsCover(parts: ArrayLike<number>, length: number, baseLength: number): boolean {
  if (parts.length % 3 !== 0) return false;
  let at = 0;
  for (let i = 0; i < parts.length; i += 3) {
    const source = parts[i + 1]!;
    const size = parts[i + 2]!;
    if (parts[i] !== at || size <= 0) return false;
    if (source !== -1 && (source < 0 || source + size > baseLength)) return false;
    at += size;
  }
  return at === length;
}

/** The index of the part holding target offset `offset` (parts tile the content). */
function partAt(parts: ArrayLike<number>, offset: number): number {
  let lo = 0;
  let hi = parts.length / 3 - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (parts[3 * mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return 3 * lo;
}

function insideCopiedPart(parts: ArrayLike<number>, from: number, to: number): boolean {
  const i = partAt(parts, from);
  return parts[i + 1]! >= 0 && to <= parts[i]! + parts[i + 2]!;
}

/**
 * What a regex sees of a window: its bytes, one byte on each side (the delimiter checks at window
 * edges) and three more (whether a byte is valid UTF-8 depends on at most three bytes around it).
 */
const REUSE_MARGIN = 4;

/** The base's result for the same window, when the window and its margin were copied from one place in the base. */
function reusedWindow(
  { base, parts }: Derivation,
  n: number,
  pattern: number,
  start: number,
  end: number,
): MemoWindow | undefined {
  const from = start - REUSE_MARGIN;
  const to = end + REUSE_MARGIN;
  if (from < 0 || to > n) return undefined;
  const i = partAt(parts, from);
  const source = parts[i + 1]!;
  if (source < 0 || to > parts[i]! + parts[i + 2]!) return undefined;
  const baseStart = source + (start - parts[i]!);
  const window = (base as Memo).windows.get(baseStart * 65536 + pattern);
  return window && window.end === baseStart + (end - start) ? window : undefined;
}

/** [keyword, offset, …] in a growing typed array. */
class HitList {
  data: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.data = new Int32Array(capacity + (capacity & 1));
  }

  push(keyword: number, offset: number): void {
    if (this.length + 2 > this.data.length) {
      const grown = new Int32Array(this.data.length * 2 + 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = keyword;
    this.data[this.length++] = offset;
  }

  done(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}
