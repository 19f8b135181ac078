import { OPERATOR_BLANKS } from "../assignment.js";
import type { PatternDefinition } from "../pattern.js";

/** Names under which people store secrets. The value must be a quoted literal right after one. */
const NAMES = [
  // Passwords have their own patterns (generic-password.ts): people choose them, so they need no digit.
  "secret",
  "api[_-]?key",
  "apikey",
  "access[_-]?key",
  "auth[_-]?key",
  "private[_-]?key",
  "credentials?",
];

/**
 * Tokens that are not credentials: pagination cursors (`nextPageToken`, `continuation_token`, AWS's
 * `NextToken`), change-stream resume points and anti-forgery (CSRF) tokens.
 */
const NOT_CREDENTIAL_TOKENS = ["page", "next", "cursor", "continuation", "pagination", "sync", "resume", "csrf", "xsrf"];

interface Trie {
  terminal: boolean;
  kids: Map<string, Trie>;
}

/**
 * A regex for a non-empty run of letters and digits that does not end, in any case, with one of
 * `words` (lowercase letters). RE2 has no lookbehind, so the run is read from its end along the
 * words' reversed trie: at each step the next character either leaves every word (anything may
 * precede it) or follows one that is not yet complete.
 */
export function segmentNotEndingWith(words: readonly string[]): string {
  const root: Trie = { terminal: false, kids: new Map() };
  for (const word of words) {
    let node = root;
    for (const ch of [...word].reverse()) {
      let next = node.kids.get(ch);
      if (!next) node.kids.set(ch, (next = { terminal: false, kids: new Map() }));
      node = next;
    }
    node.terminal = true;
  }
  const both = (ch: string): string => (/[a-z]/.test(ch) ? `${ch}${ch.toUpperCase()}` : ch);
  const walk = (node: Trie, isRoot: boolean): string => {
    const alternatives = isRoot ? [] : [""];
    const others = [..."abcdefghijklmnopqrstuvwxyz0123456789"].filter((ch) => !node.kids.has(ch));
    alternatives.push(`[A-Za-z0-9]*[${others.map(both).join("")}]`);
    for (const [ch, kid] of node.kids) if (!kid.terminal) alternatives.push(`${walk(kid, false)}[${both(ch)}]`);
    return `(?:${alternatives.join("|")})`;
  };
  return walk(root, true);
}

/**
 * The name, from the start of the identifier that holds it: `token` only when the word before it is
 * not one of NOT_CREDENTIAL_TOKENS (`next_page_token`, `csrfToken` are not credentials).
 */
const IDENTIFIER_HEAD = "(?:[A-Za-z0-9_.-]{0,40}[_.-])?";
const NAME =
  `(?:\\A|[^A-Za-z0-9_.-])(?:(?:${IDENTIFIER_HEAD}${segmentNotEndingWith(NOT_CREDENTIAL_TOKENS)}[_.-]?)?token` +
  `|${IDENTIFIER_HEAD}(?:[A-Za-z0-9]{1,24}[_.-]?)?(?:${NAMES.join("|")}))`;

/** Base64 that decodes to a sentence (`bm90IG15IHJlYWwgcGFzc3dvcmQ=`: "not my real password") is an example, not a credential. */
export function isEncodedProse(value: string): boolean {
  if (value.length < 12 || value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  const decoded = Buffer.from(value, "base64").toString("latin1");
  return /^[A-Za-z][A-Za-z ,.'!?-]*$/.test(decoded) && (decoded.match(/ /g) ?? []).length >= 2;
}

export const genericSecretPatterns: PatternDefinition[] = [
  {
    id: "generic_secret",
    name: "Generic Secret",
    provider: "Generic",
    regex: "[^\"'`\\s\\\\]{8,100}",
    // Quotes may be escaped (`\"`): code inside a JSON string, as notebooks store their cells.
    before: `(?i)${NAME}[A-Za-z0-9_.-]{0,24}\\\\?["']?\\]?${OPERATOR_BLANKS}(?:=|:|=>|:=|<-)${OPERATOR_BLANKS}[rbuf]?\\\\?["'\`]`,
    after: "\\\\?[\"'`]",
    // Every spelling NAMES accepts: the hit loop's `quotedAssignment` check reads from a keyword's end,
    // so a name without a keyword (`accessKey`) would be found only beside another one.
    keywords: [
      "secret",
      "token",
      "apikey",
      "api_key",
      "api-key",
      "accesskey",
      "access_key",
      "access-key",
      "authkey",
      "auth_key",
      "auth-key",
      "privatekey",
      "private_key",
      "private-key",
      "credential",
    ],
    // The regex starts at the beginning of the identifier that holds the name (`DATABASE_READONLY_PASSWORD`).
    window: { before: 48, after: 160 },
    // Most `token`s and `secret`s in code are not assigned a quoted literal. The gate is the shape of
    // \`before\` with every name reduced to its last word: a superset, simple enough for RE2's DFA, so
    // that only windows holding such an assignment reach the full regex (about 60x fewer in source code).
    quotedAssignment: true,
    gate: `(?i)(?:token|passw(?:or)?d|secret|key|credentials?)[A-Za-z0-9_.-]{0,24}\\\\?["']?\\]?${OPERATOR_BLANKS}(?:=|:|=>|:=|<-)${OPERATOR_BLANKS}[rbuf]?\\\\?["'\`]`,
    mustMatch: ["[A-Za-z]", "[0-9]"],
    mustNotMatch: [
      "^(?:\\$|%|\\{\\{|#\\{|@)", // templates and variable references
      "^[<>;,()\\[\\]{}|&]", // markup or code, not a value
      "(?i)^(?:process\\.env|os\\.environ|env\\.|config\\.|settings\\.)",
      "^[A-Z0-9_]+$", // an environment variable's name
      "^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)+$", // a lowercase dotted or dashed name (prod-db-secret-v2)
      "^(?:/|\\./|~/|[A-Za-z]:\\\\)", // a path
      "(?i)^https?://", // a URL (connection-string patterns handle credentials in URLs)
      "(?i)\\.(?:txt|json|pem|key|crt|cer|ya?ml|env|ini|conf|cfg|toml|js|ts|py)$", // a file name
      "^[0-9a-f]{40}$|^[0-9a-f]{64}$", // a hash: git SHA, SHA-256
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", // a UUID
      "(?i)abcdefg|0123456|123456|234567|345678|456789|qwerty|asdfgh|zxcvbn", // an alphabet, a counting sequence or a keyboard row, not a random value
      // A value with a provider's token prefix: the provider's pattern decides, by checksum or exact format
      // (docs write `ghp_PersonalAccessToken…`, tests `sk-ant-oat01-tooShort`).
      "^(?:gh[pousr]_|github_pat_|sk-ant-[a-z]+[0-9]{2}-)",
      // Entra ID client secrets (`…8Q~…`): the Azure pattern decides, by its checksum-like tail.
      "^[A-Za-z0-9_~.-]{3}[78]Q~[A-Za-z0-9_~.-]{31,34}$",
      "\\$\\{|#\\{", // a template literal's interpolation: code, not a value (`sk_live_${randomBytes(18)…`)
      // A password hash (Django, passlib): stored instead of the password so that it is no secret.
      "^(?:pbkdf2_sha(?:1|256|512)|argon2(?:id|i|d)?|bcrypt(?:_sha256)?|scrypt|sha1|md5)\\$",
      // Keys public by design, shipped to browsers: Stripe publishable keys, Mapbox public tokens, PostHog
      // project keys, Datadog client tokens.
      "^(?:pk_(?:live|test)_|pk\\.eyJ|phc_|pub[0-9a-f]{32}$)",
    ],
    minEntropy: 3,
    validate: (secret) => !isEncodedProse(secret),
    confidence: "low",
    category: "generic",
    pushProtection: false,
    examples: {
      positive: [
        (r) => `DB_SECRET="${r.alnum(8)}7${r.alnum(7)}"`,
        (r) => `  client_secret: '${r.alnum(10)}4${r.alnum(21)}'`,
        (r) => `conn = connect(host, api_key="${r.alnum(6)}9${r.alnum(6)}")`,
        (r) => `{"api_key": "${r.hex(16)}x${r.hex(15)}"}`,
        (r) => `os.environ["SERVICE_TOKEN"] = "${r.alnum(10)}4${r.alnum(21)}"`,
        (r) => `const nextAuth = { accessToken: "${r.alnum(10)}4${r.alnum(21)}" };`,
        (r) => `"source": ["os.environ[\\"DB_SECRET\\"] = \\"${r.alnum(10)}4${r.alnum(9)}\\"\\n"]`,
        // Column-aligned assignments: runs of spaces or tabs around the operator.
        (r) => `const config = {\n  apiKey:              "${r.alnum(10)}4${r.alnum(21)}",\n  authDomain:          "acme.test",\n};`,
        (r) => `my $cfg = {\n    region        => 'eu-west-1',\n    secret_key    => '${r.alnum(10)}4${r.alnum(21)}',\n};`,
        (r) => `SERVICE_TOKEN\t\t= "${r.alnum(10)}4${r.alnum(21)}"`,
        (r) => `const s3 = new Client({ accessKey: "${r.alnum(10)}4${r.alnum(9)}" });`,
        (r) => `authKey = '${r.alnum(10)}4${r.alnum(9)}'`,
        (r) => `"private-key": "${r.alnum(12)}4${r.alnum(11)}"`,
      ],
      negative: [
        { text: 'secret = "${DB_SECRET}"', reason: "a variable reference" },
        { text: (r) => `api_key:\n  "${r.alnum(10)}4${r.alnum(21)}"`, reason: "a name and a value on different lines" },
        { text: (r) => `secret_key =\n\t\t"${r.alnum(10)}4${r.alnum(21)}"`, reason: "a name and a value on different lines" },
        { text: (r) => `Keep the secret: it is the one that looks like "${r.alnum(10)}4${r.alnum(21)}"`, reason: "prose, not an assignment" },
        { text: (r) => `secret = derive(seed, "${r.alnum(10)}4${r.alnum(21)}")`, reason: "a value across other tokens" },
        { text: (r) => `api_key =${" ".repeat(41)}"${r.alnum(10)}4${r.alnum(21)}"`, reason: "a value farther along the line than any alignment" },
        { text: 'token: "<your-token-here>"', reason: "a placeholder" },
        { text: 'secret_name = "prod-db-secret-v2"', reason: "a resource name, not a secret" },
        { text: 'API_KEY = os.environ["API_KEY"]', reason: "read from the environment" },
        { text: 'secret_file = "/run/secrets/db_secret.txt"', reason: "a path" },
        { text: (r) => `client_secret = "${r.alnum(3)}8Q~${r.alnum(34)}"`, reason: "an Entra ID client secret's shape: the Azure pattern decides" },
        { text: 'token = "0123456789abcdef0123456789abcdef01234567"', reason: "a git SHA-shaped hash" },
        { text: 'SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"', reason: "an alphabet constant" },
        { text: '<a href="?tokena=A&amp;tokenb=B">package_name-0.1.2.tar.gz</a>', reason: "HTML, not an assignment" },
        { text: 'botToken: "123456:AbC-dEf1234xyzUvw-kLm57W2v1u123ew11"', reason: "a counting sequence: a documentation example" },
        { text: (r) => `token: "ghp_${r.alnum(36)}"`, reason: "GitHub's token format with a wrong checksum: the GitHub patterns decide" },
        { text: 'token = "sk-ant-oat01-tooShort9"', reason: "an Anthropic prefix on a malformed token: the Anthropic patterns decide" },
        { text: "const secret = `sk_live_${randomBytes(18).toString(\"hex\")}`;", reason: "a template literal that builds a value at run time" },
        {
          text: (r) => `"password": "pbkdf2_sha256$600000$${r.alnum(22)}$${r.base64(43)}="`,
          reason: "a password hash (Django's format), not the password",
        },
        { text: (r) => `"nextPageToken": "${r.alnum(12)}7${r.base64url(40)}"`, reason: "a pagination cursor, not a credential" },
        { text: (r) => `next_page_token = "${r.alnum(12)}7${r.base64url(40)}"`, reason: "a pagination cursor, not a credential" },
        { text: (r) => `<meta name="csrf" content="x"> csrfToken: '${r.alnum(10)}4${r.alnum(21)}'`, reason: "an anti-forgery token, not a credential" },
        { text: (r) => `MAPBOX_PUBLIC_TOKEN = "pk.eyJ1IjoiYWNtZSJ9.${r.base64url(22)}4"`, reason: "a Mapbox public token: public by design" },
        { text: (r) => `posthog_api_key: "phc_${r.alnum(42)}1"`, reason: "a PostHog project key: public by design" },
        { text: (r) => `DD_CLIENT_TOKEN="pub${r.hex(31)}a"`, reason: "a Datadog client token: public by design (browser RUM)" },
        { text: `password: '${Buffer.from("this is not a real password").toString("base64")}'`, reason: "base64 of a sentence: an example" },
      ],
    },
  },
];
