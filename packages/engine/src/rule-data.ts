import { ASSIGNMENT_AFTER, assignmentBefore, assignmentGate } from "./assignment.js";
import type { ExampleRandom } from "./example-random.js";
import type { Confidence, PatternCategory, PatternDefinition } from "./pattern.js";
import { namedValidations, namedValidators } from "./validators.js";

/**
 * A rule as data: one entry of a provider's YAML document (packages/engine/rules/*.yaml, format in
 * docs/rules.md, schema in packages/engine/rules/schema.json). The build validates and compiles the
 * documents into a module; `patternFromRule` turns each entry into a pattern.
 *
 * A rule gives either `regex` (the secret's whole format, with optional `before`/`after`) or the
 * named-value shape: `value` (the secret's format) assigned to one of `names` in any assignment
 * syntax (see assignment.ts).
 */
export interface RuleData {
  id: string;
  name: string;
  provider: string;
  regex?: string;
  before?: string;
  after?: string;
  /** A cheap regex a window must match before the full one runs (see PatternDefinition.gate). */
  gate?: string;
  /** What the bytes right after every keyword hit must look like (see PatternDefinition.follows). */
  follows?: string;
  /** Named-value shape: the value's format. */
  value?: string;
  /** Named-value shape: names (literal; `-`, `_`, `.` and a space are interchangeable) the value is assigned to. */
  names?: string[];
  /** Named-value shape: allow words and spaces alone between name and value (`acme secret 1a2b…`). Default true. */
  loose?: boolean;
  /** Named-value shape: the identifier must also name a secret (`ACME_TOKEN`, not `ACME_CLIENT_ID`). Default true. */
  secretWord?: boolean;
  keywords: string[];
  ignoreCase?: boolean;
  mustMatch?: string[];
  mustNotMatch?: string[];
  minEntropy?: number;
  confidence?: Confidence;
  category?: PatternCategory;
  pushProtection?: boolean;
  validityCheck?: boolean;
  base64?: boolean;
  /** One half of a pair (key id + secret key): see PatternDefinition.pair. */
  pair?: { with: string; required: boolean };
  /** `false`: reported only as the other half of a pair. */
  standalone?: boolean;
  /** A check in code, by name (validators.ts): structure a regex cannot check. */
  validate?: string;
  window?: { before: number; after: number };
  examples: {
    /**
     * Text with `{{kind length}}` slots (`{{hex 32}}`) filled with random characters at test time;
     * `{{basicauth n}}` is base64 of `deploy:` and n random characters; `{{chars ALPHABET n}}` draws from ALPHABET.
     */
    positive: string[];
    negative: { text: string; reason: string }[];
  };
}

/** A provider's document: its rules, and the file it came from (for messages). */
export interface RuleDocument {
  file: string;
  provider: string;
  rules: RuleData[];
}

const SLOT =
  /\{\{(?:(hex|alnum|lower|upper|lowerAlnum|upperAlnum|digits|base64|base64url|basicauth)|chars ([^\s{}]+)) ([0-9]{1,3})\}\}/g;

/** Example text: literal, or a generator when it has `{{kind length}}` slots. */
export function expandExample(template: string): string | ((random: ExampleRandom) => string) {
  if (!template.includes("{{")) return template;
  return (random) =>
    template.replace(SLOT, (_all, kind: string | undefined, alphabet: string | undefined, length: string) => {
      const n = Number(length);
      // `{{chars ABCDEF234567 16}}`: a format's own alphabet (base32, Crockford, no look-alikes).
      if (alphabet !== undefined) return random.chars(alphabet, n);
      switch (kind) {
        case "hex":
          return random.hex(n);
        case "alnum":
          return random.alnum(n);
        case "lower":
          return random.lower(n);
        case "upper":
          return random.upper(n);
        case "lowerAlnum":
          return random.lowerAlnum(n);
        case "upperAlnum":
          return random.upperAlnum(n);
        case "digits":
          return random.digits(n);
        case "base64":
          return random.base64(n);
        case "basicauth":
          // HTTP Basic credentials as Docker and npm store them: base64 of `user:password`.
          return Buffer.from(`deploy:${random.alnum(n)}`).toString("base64");
        default:
          return random.base64url(n);
      }
    });
}

/** `acme-corp` → a regex fragment that also matches `acme_corp`, `acme.corp`, `acme corp` and `acmecorp`. */
export function nameFragment(name: string): string {
  return name
    .split(/[-_. ]/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, (ch) => `\\${ch}`))
    .join("[_. -]?");
}

/** A value with at least one letter and one digit: `a1b2…`, not a word or a number. */
const LETTER_AND_DIGIT = ["[A-Za-z]", "[0-9]"];
/** Typed by a person, not generated: an alphabet, a counting sequence or a keyboard row (`abcdef123456`, `qwerty`). */
export const TYPED_NOT_RANDOM =
  "(?i)abcdefg|bcdefgh|cdefghi|defghij|0123456|1234567|2345678|3456789|9876543|qwerty|asdfgh|zxcvbn";

export function patternFromRule(rule: RuleData): PatternDefinition {
  const named = rule.value !== undefined && rule.names !== undefined;
  const regex = named ? rule.value! : (rule.regex ?? "");
  const names = named ? rule.names!.map(nameFragment).join("|") : "";
  const before = named
    ? assignmentBefore(rule.names!.map(nameFragment).join("|"), {
        loose: rule.loose ?? true,
        secretWord: rule.secretWord ?? true,
      })
    : rule.before;
  const after = named ? (rule.after ?? ASSIGNMENT_AFTER) : rule.after;
  // Most hits of a provider's name are not an assignment of a secret to it: the gate turns those
  // windows away before the full context regex runs.
  const gate = named && rule.secretWord !== false ? assignmentGate(names) : rule.gate;
  return {
    id: rule.id,
    name: rule.name,
    provider: rule.provider,
    regex,
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
    ...(rule.ignoreCase ? { ignoreCase: true } : {}),
    ...(gate !== undefined ? { gate } : {}),
    ...(rule.follows !== undefined ? { follows: rule.follows } : {}),
    keywords: rule.keywords,
    ...(named && rule.window === undefined ? { window: { before: 64, after: 200 } } : {}),
    ...(rule.window ? { window: rule.window } : {}),
    ...(rule.mustMatch || named ? { mustMatch: rule.mustMatch ?? LETTER_AND_DIGIT } : {}),
    ...(rule.mustNotMatch || named
      ? { mustNotMatch: [...(rule.mustNotMatch ?? []), ...(named ? [TYPED_NOT_RANDOM] : [])] }
      : {}),
    ...(rule.minEntropy !== undefined || named ? { minEntropy: rule.minEntropy ?? 3 } : {}),
    confidence: rule.confidence ?? (named ? "low" : "high"),
    category: rule.category ?? "provider",
    pushProtection: rule.pushProtection ?? false,
    ...(rule.validityCheck !== undefined ? { validityCheck: rule.validityCheck } : {}),
    ...(rule.base64 ? { base64: true } : {}),
    ...(rule.pair !== undefined ? { pair: { with: rule.pair.with, required: rule.pair.required } } : {}),
    ...(rule.standalone !== undefined ? { standalone: rule.standalone } : {}),
    ...(named
      ? {
          contextDescription: `assigned to a name holding ${rule.names!.map((n) => `"${n}"`).join(" or ")}${
            rule.secretWord !== false ? " and a word such as key, token, secret or password (ACME_API_KEY = …)" : ""
          }`,
        }
      : {}),
    ...(rule.validate !== undefined ? { validate: validatorNamed(rule.validate) } : {}),
    ...(rule.validate !== undefined && namedValidations[rule.validate]
      ? { validation: namedValidations[rule.validate]! }
      : {}),
    examples: {
      positive: rule.examples.positive.map(expandExample),
      negative: rule.examples.negative.map((n) => ({ text: expandExample(n.text), reason: n.reason })),
    },
  };
}

/** The named check; a name the engine does not know rejects every match (the schema refuses such names). */
function validatorNamed(name: string): (secret: string) => boolean {
  return namedValidators[name] ?? (() => false);
}

/** Every rule of the documents as patterns. */
export function patternsFromDocuments(documents: readonly RuleDocument[]): PatternDefinition[] {
  return documents.flatMap((d) => d.rules.map(patternFromRule));
}
