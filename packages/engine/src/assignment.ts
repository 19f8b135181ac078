/**
 * One model of "a name, an operator, a value": the context (`before`) of a rule whose secret is a
 * value assigned to a name, for every way files write an assignment. RE2 syntax (no lookaround).
 *
 * The name may sit anywhere in an identifier that starts after a separator (`ACME_API_KEY`,
 * `prod.acme.token`, `$acmeKey`, `--acme-token`), but not inside a word (`box` in `checkbox`).
 * Between the identifier and the value, one of:
 *
 * | syntax | written as |
 * |---|---|
 * | shell, `.env`, INI, TOML, HCL, Python kwargs, `.properties` | `KEY=value`, `key = "value"` |
 * | YAML, JSON, JS objects | `key: value`, `"key": "value"` |
 * | JSON escaped inside a string | `\"key\": \"value\"` |
 * | Ruby and PHP arrays, R | `key => 'value'`, `key <- "value"` |
 * | Go, Pascal | `key := "value"`, `var key string = "value"` |
 * | PHP | `$key = '…'`, `$key .= '…'` |
 * | Makefile | `KEY := v`, `KEY ::= v`, `KEY :::= v`, `KEY ?= v`, `KEY += v` |
 * | typed constants (C#, Kotlin, TypeScript, Swift) | `const val KEY: String = "…"`, `let key: string = "…"` |
 * | a call's next argument (Java, Laravel, Python) | `System.setProperty("KEY", "…")`, `env('KEY', '…')` |
 * | XML elements | `<key>value</key>` |
 * | .NET config | `<add key="Key" value="…"/>` |
 * | command-line flags | `--key=value`, `--key value` |
 * | Java system properties | `-Dkey=value` |
 * | Terraform variable defaults | `variable "key" { default = "value" }` |
 * | HTTP headers | `Authorization: Bearer value`, `X-Key-Token: value` |
 *
 * With `loose`, words and plain spaces may also stand between name and value (`acme secret key
 * 1a2b…`, `ACME token: …`): for names that are a provider's and values with a recognisable shape.
 */
export interface AssignmentOptions {
  /**
   * Allow up to three words and whitespace alone as the operator (`acme token 1a2b…`). Only for
   * rules whose name is distinctive and whose value has a recognisable shape.
   */
  loose?: boolean;
  /**
   * The identifier must also name a secret after the name (`ACME_API_KEY`, `acmeToken`,
   * `acme.client.secret`, `X-Acme-Auth`), so that `ACME_CLIENT_ID` or `ACME_REGION` are not read as
   * secrets. For rules whose name is a provider's rather than a secret's.
   */
  secretWord?: boolean;
}

/** Words that say an identifier holds a secret. */
export const SECRET_WORDS =
  "(?:key|token|secret|passw(?:or)?d|pass|pwd|auth|credentials?|access|sid|signature|private)";

/** Opening quote of a value, possibly escaped (`\"`), possibly a Python string prefix (`r"`, `b'`, `f"`). */
const OPEN_QUOTE = "(?:[rbuf]?\\\\?[\"'`])";
/** The closing quote or bracket after a quoted name (`"KEY":`, `['KEY'] =`, `\"KEY\":`). */
const CLOSE_NAME = "(?:\\\\?[\"'`])?\\]?";
/** A type between the name and `=` (`var key string =`, `val KEY: String =`, `let key: string =`). */
// On the name's line: a word on the next line is no type (`password"\n  reason: "…"` is not `password reason: "…"`).
const TYPE_ANNOTATION = "(?:[ \\t]*:[ \\t]*[A-Za-z][A-Za-z0-9_.<>?]{0,30}[ \\t]*|[ \\t]+[A-Za-z][A-Za-z0-9_.]{0,20}[ \\t]*)?";
/**
 * What ends a name before its operator: a closing quote or bracket, or a type, not both. A quoted
 * name followed by a word is an XML attribute list (`<xsd:attribute name="password" type="xsd:string"/>`),
 * not a typed declaration.
 */
const NAME_END = `(?:(?:\\\\?["'\`])\\]?|\\]|${TYPE_ANNOTATION})`;
/** Every operator: the longest first where one is the other's prefix (`:::=` before `:=` before `:`). */
const OPERATORS = [":::=", "::=", ":=", "\\?=", "\\+=", "\\.=", "=>", "<-", "==", "=", ":", ">"];
/**
 * Blanks around an operator: none, one, or a column-aligned run (`fbApiKey:            "…"`,
 * `password\t\t=> '…'`), spaces and tabs only, never across a line break (a name ending one line
 * is not assigned a value on the next), and bounded so a value far along a line is not read as one.
 */
export const OPERATOR_BLANKS = "[ \\t]{0,40}";
/** An HTTP authorization scheme after `Authorization:`. */
const AUTH_SCHEME = "(?:(?:Bearer|Basic|Token|Bot|ApiKey|Api-Key|Key)\\s+)?";

function nameStart(name: string): string {
  // The identifier's head: segments ending with a separator before the name (`PROD_`, `spring.acme.`).
  // Unbounded repetitions keep RE2's program small (a counted `{0,40}` is 40 copies); the matcher's
  // window bounds them anyway.
  // `-D` starts a Java system property on a command line (`-Dacme.key=…`): the `D` is no part of the name.
  return `(?:\\A|[^A-Za-z0-9]|\\s-D)(?:[A-Za-z0-9_.-]*[_.-])?(?:${name})`;
}

/**
 * The `before` context for a value assigned to a name matching `name` (an RE2 fragment, matched
 * case-insensitively, e.g. `acme` or `acme|acmecorp`). Use with a value regex as the pattern's
 * `regex` and the default `after` (or one that allows a closing quote).
 */
export function assignmentBefore(name: string, options: AssignmentOptions = {}): string {
  // With loose, the identifier may be words separated by spaces (`acme secret key`).
  const char = options.loose ? "[A-Za-z0-9_. \\t-]" : "[A-Za-z0-9_.-]";
  // With loose, an ordinal may follow the secret word (`Unseal Key 2: …`).
  const tail = options.secretWord ? `${char}*${SECRET_WORDS}${char}*` : `${char}*`;
  const identifier = `${nameStart(name)}${tail}`;
  const operator = `(?:${OPERATORS.join("|")})`;
  const words = options.loose && !options.secretWord ? "(?:[ \\t]{1,3}[A-Za-z][A-Za-z0-9_.-]{0,20}){0,3}" : "";
  const assigned =
    `${identifier}${words}${NAME_END}${OPERATOR_BLANKS}${operator}${OPERATOR_BLANKS}` +
    `${AUTH_SCHEME}${OPEN_QUOTE}?`;
  // `<add key="AcmeKey" value="…"/>`: the name is an attribute's value, the secret the next attribute's.
  const dotnetTail = options.secretWord ? `[A-Za-z0-9_.-]*${SECRET_WORDS}[A-Za-z0-9_.-]*` : "[A-Za-z0-9_.-]*";
  const dotnet = `\\bkey\\s*=\\s*["'][A-Za-z0-9_.:-]*?(?:${name})${dotnetTail}["']\\s+value\\s*=\\s*["']`;
  // `System.setProperty("KEY", "…")`, `env('KEY', '…')`: the value is the call's next argument.
  const argument = `${identifier}\\\\?["']\\s*,\\s*${OPEN_QUOTE}`;
  // `--acme-token value`, `-acme-key value`: a flag then a space.
  const flagTail = options.secretWord ? `[A-Za-z0-9_-]*${SECRET_WORDS}[A-Za-z0-9_-]*` : "[A-Za-z0-9_-]*";
  const flag = `(?:\\A|\\s)--?(?:[A-Za-z0-9]{1,20}-)?(?:${name})${flagTail}\\s+${OPEN_QUOTE}?`;
  // Terraform's `variable "acme_api_key" { default = "…" }`: the name is the block's label.
  const hclVariable = `\\bvariable\\s+${identifier}\\\\?["']\\s*\\{[^}]*?\\bdefault\\s*=\\s*${OPEN_QUOTE}`;
  const alternatives = [assigned, dotnet, argument, flag, hclVariable];
  if (options.loose) alternatives.push(`${identifier}${words}${CLOSE_NAME}[ \\t]{1,3}${OPEN_QUOTE}?`);
  return `(?i)(?:${alternatives.join("|")})`;
}

/**
 * A cheap test that a window can hold such an assignment (the matcher's `gate`): the name followed,
 * within the identifier, by a word that names a secret. Only for `secretWord` contexts, whose every
 * alternative has this shape.
 */
export function assignmentGate(name: string): string {
  return `(?i)(?:${name})[A-Za-z0-9_. \\t-]*${SECRET_WORDS}`;
}

/** The `after` context for an assigned value: a closing quote, a delimiter, or the end. */
export const ASSIGNMENT_AFTER = "\\z|[^0-9A-Za-z]";

/**
 * Words that, ending an identifier, say it holds a password (`DB_PASSWORD`, `AdminPassword`, `$pwd`,
 * `SMTP_PASS`). `pass` alone is too common a word (`pass`, `bypass`, `compass`): only after `_`.
 */
export const PASSWORD_WORDS = "(?:passw(?:or)?d|pwd|passphrase|_pass)";

/**
 * The `before` context for a password assigned to a name that ends with a password word, in the same
 * syntaxes as `assignmentBefore`. People name passwords inside words (`AdminPassword`,
 * `FromEmailPassword`), so the word may follow letters; it must end the identifier (digits aside:
 * `PASSWORD2`), so that `password_hash`, `passwordLabel` or `min_password_length` are not read as one.
 *
 * - `quoted`: the value is a quoted literal, and the context ends with its opening quote: assignments
 *   and typed constants, `.NET` `<add key="…Password" value="…"/>`, a call's next argument, a flag
 *   (`--password "…"`, `-Password "…"`), and Gradle's `password '…'` on a line of its own.
 * - unquoted: the value runs to the end of a line that starts with the name (INI, `.env`,
 *   `.properties`, YAML; `export`, `set` and `ENV` allowed), or is an XML element's text
 *   (`<password>…</password>`).
 */
export function passwordAssignmentBefore(options: { quoted: boolean }): string {
  const identifier = `[A-Za-z0-9_.-]*?${PASSWORD_WORDS}[0-9]{0,2}`;
  if (!options.quoted) {
    const line = `(?:\\A|\\n)[ \\t]*(?:(?:export|set|ENV)[ \\t]+|-D)?${identifier}${OPERATOR_BLANKS}(?::=|\\?=|=|:)${OPERATOR_BLANKS}`;
    const element = `<[A-Za-z0-9_.:-]*?${PASSWORD_WORDS}>`;
    return `(?i)(?:${line}|${element})`;
  }
  const operators = OPERATORS.filter((op) => op !== "==" && op !== ">");
  const assigned =
    `(?:\\A|[^A-Za-z0-9_.-])${identifier}${NAME_END}${OPERATOR_BLANKS}(?:${operators.join("|")})${OPERATOR_BLANKS}${OPEN_QUOTE}`;
  const dotnet = `\\bkey\\s*=\\s*["'][A-Za-z0-9_.:-]*?${PASSWORD_WORDS}[0-9]{0,2}["']\\s+value\\s*=\\s*["']`;
  // A call's first two arguments (`setProperty("db.password", "…")`), not a list of names.
  const argument = `\\([ \\t]*["']${identifier}["'][ \\t]*,[ \\t]*${OPEN_QUOTE}`;
  const flag = `(?:\\A|\\s)--?[A-Za-z0-9-]*?${PASSWORD_WORDS}\\s+${OPEN_QUOTE}`;
  const gradle = `(?:\\A|\\n)[ \\t]*${PASSWORD_WORDS}[ \\t]+${OPEN_QUOTE}`;
  return `(?i)(?:${[assigned, dotnet, argument, flag, gradle].join("|")})`;
}
