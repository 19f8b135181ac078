// The secrets the quality corpus plants: for every built-in pattern, tokens taken from its positive
// examples (generated with several seeds), with the names real code stores them under. The token
// values come from the examples; the surroundings they are planted in are the corpus's own
// (see render.mjs), so the corpus tests context handling, not the example text.
import { builtinPatterns, createMatcher, ExampleRandom } from "../../packages/engine/dist/index.js";

/** Seeds for the examples' generators: several, so a token is not one lucky value. */
export const SEEDS = [101, 202, 303];

const { matcher } = createMatcher(builtinPatterns);
const byId = new Map(builtinPatterns.map((p) => [p.id, p]));

const PRIVATE_KEY_IDS = new Set(["ec_private_key", "openssh_private_key", "pgp_private_key", "rsa_private_key"]);
const CONNECTION_STRING_IDS = new Set([
  "http_basic_authentication_url",
  "mongodb_connection_string",
  "mysql_connection_string",
  "postgres_connection_string",
]);

/** The reporting family of a pattern: its provider, or one of three non-provider families. */
export function familyOf(id) {
  const p = byId.get(id);
  if (!p) return "custom";
  if (p.category === "provider") return p.provider;
  if (PRIVATE_KEY_IDS.has(id)) return "private keys";
  if (CONNECTION_STRING_IDS.has(id)) return "connection strings";
  return "generic";
}

export function patternById(id) {
  return byId.get(id);
}

/** Types that count as the same secret: a pattern and the other half of its pair. */
export function sameOrPaired(a, b) {
  if (a === b) return true;
  return byId.get(a)?.pair?.with === b || byId.get(b)?.pair?.with === a;
}

/** The name a value is assigned to at the end of `pre` (`export DD_API_KEY="`, `{"api_key": "`), if any. */
export function nameBefore(pre) {
  const m = /([A-Za-z_][\w-]*)["'\]]*\s*(?::=|=>|=|:|<-)\s*[rbuf]?["'`]?$/.exec(pre);
  if (!m) return undefined;
  const name = m[1];
  // A bare URL scheme or a header value (`Authorization: Bearer`) is not an assignment.
  if (/^(?:https?|Bearer|Basic|Token)$/i.test(name)) return undefined;
  return name;
}

function scanFor(text, type) {
  return matcher.scan(Buffer.from(text)).filter((f) => f.secretType === type);
}

/** Whether the catalog reports `token` as `type` when it sits at `offset` in `text`. */
function detectsAt(text, type, token, offset) {
  const start = Buffer.byteLength(text.slice(0, offset));
  const end = start + Buffer.byteLength(token);
  return scanFor(text, type).some((f) => f.startOffset < end && start < f.endOffset);
}

function lineAround(text, start, end) {
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const nl = text.indexOf("\n", end);
  const lineEnd = nl < 0 ? text.length : nl;
  return { pre: text.slice(lineStart, start), post: text.slice(end, lineEnd) };
}

/**
 * One planted secret. Modes:
 * - `token`: a one-line token, assigned to one of `names` in whatever syntax the file uses, or planted
 *   with the words around it on its example line (`line`: `/bot<token>`, `appid=<token>`);
 * - `block`: a multi-line secret (a PEM key, a service-account JSON);
 * - `snippet`: a token the catalog finds only with context on other lines of its example (`[registry]`
 *   above `token = …` in credentials.toml): the example's text is planted whole, inside other content;
 * `paired` when it is one half of a pair, planted with its other half.
 * `free`: the catalog finds the token with no name in front of it, so any name (or none) will do.
 */
function entryFromExample(pattern, exampleIndex, seed, text) {
  const own = scanFor(text, pattern.id);
  const finding = own[0];
  if (!finding) return { problem: `example ${exampleIndex} (seed ${seed}) is not reported as ${pattern.id}` };
  const token = finding.secret.reveal();
  const base = { type: pattern.id, family: familyOf(pattern.id), example: exampleIndex, seed, text };
  if (finding.isBase64Encoded) return { ...base, token, mode: "token", names: [], free: true };
  const offset = text.indexOf(token);
  if (offset < 0) return { problem: `example ${exampleIndex}: secret not found verbatim` };
  const paired = finding.paired
    ? (() => {
        const partner = finding.paired.secret.reveal();
        const at = text.indexOf(partner);
        const { pre } = lineAround(text, at, at + partner.length);
        return { type: finding.paired.secretType, token: partner, name: nameBefore(pre) };
      })()
    : undefined;

  if (/[\n\r]|\\n/.test(token)) {
    // A block: PEM keys are planted as PEM; other blocks (JSON documents) with the example's own braces.
    const pem = token.replace(/\\n/g, "\n").replace(/\\r/g, "");
    if (pem.startsWith("-----BEGIN")) return { ...base, token: pem, mode: "block", blockKind: "pem" };
    const open = text.lastIndexOf("{", offset);
    const close = text.indexOf("}", offset + token.length);
    const doc = open >= 0 && close > 0 ? text.slice(open, close + 1) : token;
    return { ...base, token: doc, inner: token, mode: "block", blockKind: "json" };
  }

  const { pre, post } = lineAround(text, offset, offset + token.length);
  const name = nameBefore(pre);
  const entry = { ...base, token, mode: "token", names: name ? [name] : [], paired };
  const partner = partnerLine(entry);
  entry.free =
    detectsAt(`${token}\n${partner}`, pattern.id, token, 0) ||
    detectsAt(`value = "${token}"\n${partner}`, pattern.id, token, 9);
  // The example's own line, when it holds no other secret (`{"access_token": …, "refresh_token": …}` does).
  const lineText = `${pre}${token}${post}\n`;
  const start = Buffer.byteLength(pre);
  const end = start + Buffer.byteLength(token);
  const others = matcher.scan(Buffer.from(lineText)).filter((f) => f.endOffset <= start || f.startOffset >= end);
  if (others.length === 0 && detectsAt(`${lineText}${partner}`, pattern.id, token, pre.length))
    entry.line = { pre, post };
  return entry;
}

/** The other half of a pair as an assignment line, for probes. */
function partnerLine(entry) {
  return entry.paired ? `${entry.paired.name ?? "secret"}=${entry.paired.token}\n` : "";
}

/**
 * Whether `token` is reported as `type` when assigned to `name`: bare (`NAME=token`), quoted
 * (`NAME="token"`), or with a colon (`"name": "token"`, as YAML and JSON write it).
 */
export function nameWorks(entry, name, quoted = false, colon = false) {
  const q = quoted ? '"' : "";
  const prefix = colon ? `"${name}": ${q}` : `${name}=${q}`;
  return detectsAt(`${prefix}${entry.token}${q}\n${partnerLine(entry)}`, entry.type, entry.token, prefix.length);
}

/**
 * Every planted secret, deterministic: for each reportable pattern, each positive example with each seed.
 * Returns { entries, problems }. Names found in any example of a pattern are shared by all its entries.
 */
export function plantedEntries() {
  const entries = [];
  const problems = [];
  for (const pattern of builtinPatterns) {
    if (pattern.standalone === false) continue;
    const own = [];
    const seen = new Set();
    pattern.examples.positive.forEach((example, i) => {
      for (const seed of SEEDS) {
        const text = typeof example === "string" ? example : example(new ExampleRandom(seed));
        const entry = entryFromExample(pattern, i, seed, text);
        if (entry.problem) {
          problems.push(`${pattern.id}: ${entry.problem}`);
          continue;
        }
        if (seen.has(entry.token)) continue; // a literal example gives one token whatever the seed
        seen.add(entry.token);
        own.push(entry);
      }
    });
    const pool = [...new Set(own.flatMap((e) => e.names ?? []))];
    for (const entry of own) {
      if (entry.mode === "token") {
        // A name from any example of the pattern, if the catalog finds this token under it.
        const names = [...new Set([...entry.names, ...pool])];
        if (entry.free) {
          entry.names = names;
        } else {
          entry.names = names.filter((n) => nameWorks(entry, n));
          // Some patterns (generic_secret) take only quoted values: such entries are always planted quoted.
          if (entry.names.length === 0) {
            entry.names = names.filter((n) => nameWorks(entry, n, true));
            if (entry.names.length > 0) entry.quoted = true;
          }
          // A name the issuer's files only ever assign with `=` (`ManagementCertificate="…"` in XML) is not
          // planted in YAML or JSON.
          if (entry.names.length > 0 && !entry.names.some((n) => nameWorks(entry, n, true, true)))
            entry.equalsOnly = true;
        }
        if (!entry.free && entry.names.length === 0 && !entry.line)
          Object.assign(entry, { mode: "snippet", snippet: entry.text });
      }
      entries.push(entry);
    }
  }
  return { entries, problems };
}
