import type { PatternDefinition } from "../pattern.js";
import { passwordAssignmentBefore } from "../assignment.js";
import { isEncodedProse } from "./generic-secret.js";

/**
 * Passwords assigned to a name that says it is a password (`password`, `passwd`, `pwd`, `passphrase`,
 * at the end of an identifier: `DB_PASSWORD`, `AdminPassword`, `$pwd`). People choose these, so unlike
 * other generic secrets they need no digit and no entropy: the phrase `open sesame`, assigned to `password`, is a leak. What
 * keeps them apart from code is the value's shape: a reference (`$password`, `getPassword()`,
 * `env.DB_PASSWORD`, `password=password`), a template (`{{ }}`, `<password>`), a name (`user_password`,
 * `#add-password`) or a placeholder (`******`, `changeme`, `YOUR_PASSWORD`) is not a password.
 */

/** Values that documentation and code put where a password goes, compared whole and case-insensitively. */
const PLACEHOLDER_WORDS =
  "(?i)^(?:(?:my|your|the|some|new|old|user|admin|db|default|dummy|fake|sample|example|test|super|strong|secure)[_ -]?)?" +
  "(?:pass(?:word|wd|phrase)?|pwd|secret)s?$" +
  "|(?i)^(?:changeme|changeit|change[_ -]?me|example|sample|testing|dummy|foobar|null|none|nil|undefined|true|false|required|optional" +
  "|string|empty|hidden|redacted|admin|root|guest|username|default|letmein|todo|tbd|fixme|unknown|notset|not[_ -]set|value|secret[_ -]?key)$";

/** What both shapes reject: references, templates, names, placeholders. */
const NOT_A_PASSWORD = [
  PLACEHOLDER_WORDS,
  "^(?:\\$|%|@|&|\\.|\\+|#\\{|\\{)", // a variable, a reference, an HTML entity, string concatenation
  "\\$\\{|#\\{|\\{\\{|\\}\\}|\\{%|<%|%>|%[A-Za-z_]+%", // templating
  "^[<>;,()\\[\\]{}|&]|^[-_=*.#~]+$", // markup or code; a row of one sign (`******`, `----`)
  "\\*{3,}|x{4,}|X{4,}|\\.{3}|…", // masked or elided
  "^[A-Z0-9_]+$", // an environment variable's name or an upper-case placeholder (`YOUR_PASSWORD`)
  "^[a-z]+(?:_[a-z]+)+$", // a lower-case snake_case name: a form field, a column, a key (`user_password`)
  "^#[a-z]+(?:-[a-z]+)*$", // a CSS selector
  "(?i)(?:^|[\\s_.:/-])passw(?:or)?d|passw(?:or)?d[\\s_.:-]", // a name or a message about a password
  "[a-z]Passw(?:or)?d", // a camelCase name (`IAMUserChangePassword`)
  "(?i)secret|^top[_ -]", // a value that says it is a secret (`secret123`, `my-top-secret`): an example
  "(?i)your[_ -]|^enter[_ -]|^insert[_ -]|^replace[_ -]|placeholder|redacted",
  "(?i)^(?:/|\\./|~/|[A-Za-z]:\\\\|https?://|arn:|file:)", // a path, a URL or a resource name
  "(?i)\\.(?:txt|json|pem|key|crt|ya?ml|env|ini|conf|cfg|properties)$", // a file name
  "^eyJ", // a web token: the JWT patterns decide
  "@$|^[^@\\s]+@[A-Za-z0-9-]+\\.[A-Za-z.]+$", // an e-mail address: anonymous FTP's convention, not a secret
  ":$", // a label (`"Password:"`)
  // A password hash (Django, passlib): stored instead of the password so that it is no secret.
  "^(?:pbkdf2_sha(?:1|256|512)|argon2(?:id|i|d)?|bcrypt(?:_sha256)?|scrypt|sha1|md5)\\$",
  "(?i)abcdefg|0123456|1234567|2345678|3456789|qwerty|asdfgh", // typed for an example
];

// A backtick is a character inside '…' or "…" (`'\`123QWERasdf'`), though not the value's last: that closes a template.
const QUOTED_PASSWORD = "[^\\s\"'\\\\][^\"'\\\\\\n\\r]{4,126}[^\\s\"'`\\\\]";

/**
 * Keys that only connection strings hold (ODBC, ADO.NET, OLE DB): one of them, then `;`, before the
 * password tells a connection string from a sentence. Not JDBC's `user=` / `databaseName=` (the JDBC
 * pattern reads those).
 */
const CONNECTION_KEYS = "(?:server|data source|addr|address|user id|uid|initial catalog|provider|driver|dsn|database|port|host)";

export const genericPasswordPatterns: PatternDefinition[] = [
  {
    id: "odbc_connection_string_password",
    name: "ODBC / ADO.NET Connection String Password",
    provider: "Generic",
    regex: "[^;\"'`\\s<>{}$%][^;\"'`\\n\\r]{1,126}[^;\"'`\\s\\\\]",
    before: `(?i)(?:\\A|[;"'\\s(])${CONNECTION_KEYS}\\s*=[^;\\n]{0,120};[^\\n]{0,300}?(?:[;"'\\s])(?:password|pwd)\\s*=\\s*`,
    after: "\\s*(?:;|\\\\?[\"']|\\z|\\r|\\n)",
    keywords: ["password", "pwd"],
    follows: "\\s*=",
    window: { before: 440, after: 140 },
    mustNotMatch: NOT_A_PASSWORD,
    validate: (secret) => new Set(secret).size >= 4,
    allowPlaceholderLike: true,
    confidence: "low",
    category: "generic",
    pushProtection: false,
    examples: {
      positive: [
        (r) => `<add name="Orders" connectionString="Server=sql-${r.lower(4)},1433;Database=Orders;User ID=orders_app;Password=#${r.alnum(9)};Trusted_Connection=False" />`,
        (r) => `Provider=SQLNCLI11;Server=db01;Database=hr;Uid=hr_app;Pwd=${r.lower(6)}${r.digits(3)};`,
        (r) => `conn.Open("Driver={ODBC Driver 17 for SQL Server};Server=tcp:10.0.0.5;UID=report; PWD= ${r.alnum(4)}!${r.alnum(8)}")`,
      ],
      negative: [
        { text: 'Server=host;Port=5432;User Id=username;Password=secret;Database=databasename;', reason: "a placeholder password" },
        { text: 'Data Source=db;Initial Catalog=app;User ID=app;Password={0};', reason: "a format argument" },
        { text: '"driver={SQL Server};server=(#{host});uid=#{user};pwd=#{datastore[\'DBPASSWORD\']}"', reason: "a template" },
        { text: "Server=db;Database=app;User Id=app;Password=$DB_PASSWORD;", reason: "a variable" },
        { text: "the password=hunter22 line is not a connection string", reason: "no connection-string key before it" },
      ],
    },
  },
  {
    id: "generic_password",
    name: "Generic Password",
    provider: "Generic",
    // A quoted literal: it may hold spaces and `$` (`'open sesame'`, `"super$ecret"`).
    regex: QUOTED_PASSWORD,
    before: passwordAssignmentBefore({ quoted: true }),
    after: "\\\\?[\"'`]",
    keywords: ["password", "passwd", "pwd", "passphrase", "_pass"],
    // After the name's last keyword: up to two digits, then a closing quote or bracket, a type, blanks
    // or an operator (the first byte of each of `before`'s syntaxes).
    follows: "[0-9]{0,2}[\\s\"'`\\\\\\]:?+.=<]",
    window: { before: 120, after: 200 },
    mustNotMatch: [
      ...NOT_A_PASSWORD,
      " [^ ]+ [^ ]+ ", // three spaces or more: a sentence, not a password
      "^[A-Za-z_][A-Za-z0-9_]*\\(", // a call
      "^[a-z]+(?:[A-Z][a-z]+)+$", // a camelCase name (`apiKey`)
      // One lower-case word (`peanuts`, `different`): in code, what tests and documentation type. Configuration
      // files keep such passwords (the unquoted pattern reads them); a literal in code needs more to tell it apart.
      "^[a-z]+$",
    ],
    // The shared placeholder filter reads `mypassword` inside `thisismypassword`: this rule has its own.
    allowPlaceholderLike: true,
    // Four distinct characters at least: `aaaaaaaa`, `abab…` are typed to fill a field.
    validate: (secret) => new Set(secret).size >= 4 && !isEncodedProse(secret),
    nameOnly: true,
    confidence: "low",
    category: "generic",
    pushProtection: false,
    examples: {
      positive: [
        (r) => `password = '${r.lower(4)} ${r.lower(6)}'`,
        (r) => `my_password: "${r.lower(5)}$${r.lower(5)}"\n`,
        (r) => `"AdminPassword" : "${r.lower(6)}${r.digits(2)}${r.lower(4)}"`,
        (r) => `private const string PfxPassword = "${r.upper(1)}${r.lower(9)}";`,
        (r) => `:password       => '${r.lower(4)}${r.digits(4)}',`,
        (r) => `my_password := "${r.lower(8)}%"`,
        (r) => `string backend_pass = "${r.upper(2)}${r.lower(6)}${r.digits(2)}";`,
        (r) => `<add key="SmtpPassword" value="${r.upper(1)}${r.lower(10)}$"/>`,
        (r) => `credentials {\n    username 'deploy'\n    password '${r.lower(6)}${r.digits(2)}'\n}`,
        (r) => `Connect-Service -User admin -Password "${r.alnum(10)}"`,
        (r) => `psql --password="${r.lower(3)}#${r.alnum(8)}"`,
        (r) => `$password = \\"${r.lower(8)}${r.digits(1)}\\";`,
        (r) => `conn = connect(host, password="${r.alnum(6)}9${r.alnum(6)}")`,
        (r) => `password = '\`${r.digits(3)}${r.upper(4)}${r.lower(4)}'`,
        (r) => `System.setProperty("db.password", "${r.lower(7)}!");`,
        // Column-aligned: runs of spaces or tabs around the operator.
        (r) => `$db = [\n\t'host'\t\t=> 'localhost',\n\t'password'\t\t=>\t'${r.lower(6)}${r.digits(3)}',\n];`,
        (r) => `smtp_password:            "${r.upper(1)}${r.lower(7)}${r.digits(2)}"`,
      ],
      negative: [
        { text: 'password = "$DB_PASSWORD"', reason: "a variable" },
        { text: (r) => `password =\n    "${r.lower(6)}${r.digits(3)}"`, reason: "a name and a value on different lines" },
        { text: (r) => `password = hash(salt, "${r.lower(6)}${r.digits(3)}")`, reason: "a value across other tokens" },
        { text: (r) => `password =${" ".repeat(41)}"${r.lower(6)}${r.digits(3)}"`, reason: "a value farther along the line than any alignment" },
        { text: '"password": "$super$ecret",', reason: "a variable reference" },
        { text: 'password: "{{ vault_db_password }}"', reason: "a template" },
        { text: 'password = "<password>"', reason: "a placeholder" },
        { text: 'password = "******"', reason: "masked" },
        { text: 'password = "changeme"', reason: "a placeholder" },
        { text: 'password = "YOUR_PASSWORD"', reason: "an upper-case placeholder" },
        { text: 'password = "123"', reason: "too short to be a password" },
        { text: 'password: ""', reason: "empty" },
        { text: "this.addPassword = '#add-password';", reason: "a CSS selector" },
        { text: "as: 'cms_user_password'", reason: "a route name" },
        { text: 'labels = { password: "Password is required" }', reason: "a message about a password" },
        { text: 'IAMUserChangePassword = "arn:aws:iam::aws:policy/IAMUserChangePassword"', reason: "a resource name" },
        { text: '"//localhost:1337/:_password = "+new Buffer("feast").toString("base64")', reason: "concatenated code" },
        { text: (r) => `if (password == "${r.lower(6)}22") {`, reason: "a comparison (the comparison rule decides)" },
        { text: 'password = "password"', reason: "the password names itself" },
        { text: "const user = { name: 'john', password: 'secret123' };", reason: "a value that says it is a secret: an example" },
        { text: "password: 'peanuts',", reason: "one lower-case word in code: what tests and documentation type" },
        { text: 'password: "aaaaaaaa",', reason: "one character repeated" },
        { text: "redact('password',\n  'fullname')", reason: "a list of names across lines" },
        { text: 'names: ["token", "password", "apiKey"]', reason: "a list of names" },
        { text: '- text: "jdbc:mysql://db/app?password=password"\n  reason: "an example password"', reason: "a word on the next line is no type annotation" },
        {
          text: (r) => `"password": "pbkdf2_sha256$600000$${r.alnum(22)}$${r.base64(43)}="`,
          reason: "a password hash (Django's format), not the password",
        },
        { text: `password: '${Buffer.from("this is not a real password").toString("base64")}'`, reason: "base64 of a sentence: an example" },
        { text: 'user_password = "new_password"', reason: "a field name" },
        { text: 'password_label = "Enter your password"', reason: "the identifier does not end with the word" },
        { text: '<add key="ClearTextPassword" value="eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl" />', reason: "a web token: the JWT patterns decide" },
      ],
    },
  },
  {
    id: "generic_password_unquoted",
    name: "Generic Password (configuration file)",
    provider: "Generic",
    // An unquoted value to the end of its line, as INI, `.env`, `.properties` and YAML files write it.
    regex: "[^\\s\"'`$%{}<>\\[\\]();,\\\\|&*][^\\s\"'`$%{}<>\\[\\]();,\\\\|&*]{4,126}",
    before: passwordAssignmentBefore({ quoted: false }),
    after: "[ \\t]*(?:\\r|\\n|\\z|</)|[ \\t]+(?:#|//)",
    keywords: ["password", "passwd", "pwd", "passphrase", "_pass"],
    // After the name: up to two digits, blanks, then an operator or the tag's `>`.
    follows: "[0-9]{0,2}[ \\t]{0,40}[:?=>]",
    window: { before: 120, after: 200 },
    mustNotMatch: [
      ...NOT_A_PASSWORD,
      // Code: a dotted reference (`env.DB_PASSWORD`, `self.password`), a camelCase name (`dbPassword`),
      // a type (`password: string`), or an operator.
      "^[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)+$",
      "^[a-z]+(?:[A-Z][a-z]+)+$",
      "(?i)^(?:str|string|int|bool|boolean|number|any|object|bytes|text|varchar|secret|secretstr|char|list|dict|map|function|self|this|input|getpass|data|args|kwargs|params|options|opts|config|settings|env|environ|form|request|req|res|result|value|values|item|token|key|hash|salt|user|username|login|field|column|type|schema|sensitive|required|optional|nullable|hidden|masked|protected|private|public|static|final|readonly|var|let|const|def|return|yes|no|on|off)$",
      "^[=:>!~-]", // `password == x`, `password :- x`, `password => x`
      "^\\d+$", // a number: a length, a port, a count
      "^[a-z]{1,7}$", // a short lower-case word (`sekrit`, `nodejs`): what examples type
    ],
    allowPlaceholderLike: true,
    // Four distinct characters at least: `aaaaaaaa`, `abab…` are typed to fill a field.
    validate: (secret) => new Set(secret).size >= 4 && !isEncodedProse(secret),
    nameOnly: true,
    confidence: "low",
    category: "generic",
    pushProtection: false,
    examples: {
      positive: [
        (r) => `[SupportSite]\nUsername=support\nPassword=${r.lower(14)}\n`,
        (r) => `[smtp]\nPassword=thisis${r.lower(4)}password\n`,
        (r) => `DB_HOST=db.internal\nDB_PASSWORD=${r.alnum(5)}!${r.digits(3)}\n`,
        (r) => `spring.datasource.password = ${r.lower(6)}${r.digits(3)}\n`,
        (r) => `database:\n  user: app\n  password: ${r.upper(1)}${r.lower(7)}#${r.digits(2)}\n`,
        (r) => `export PGPASSWORD=${r.alnum(12)}\n`,
        (r) => `SMTP_HOST=mail.internal\nSMTP_PASS=${r.alnum(6)}#${r.digits(3)}\n`,
        (r) => `<password>${r.lower(6)}${r.digits(4)}</password>`,
        (r) => `DB_USER            = app\nDB_PASSWORD        = ${r.alnum(5)}!${r.digits(3)}\n`,
        (r) => `export MYSQL_PASSWORD=${r.alnum(12)}\n`,
      ],
      negative: [
        { text: "password = env.PERKEEP_TEST_PASSWORD\n", reason: "a reference to another setting" },
        { text: "password = super$ecret\n", reason: "a shell expansion" },
        { text: "PASSWORD=$($(dirname $0)/../bin/get-setting DB_PASSWORD)\n", reason: "a command substitution" },
        { text: "  password: string;\n", reason: "a type annotation" },
        { text: "password = getPassword()\n", reason: "a call" },
        { text: "password=password\n", reason: "the name itself" },
        { text: "password = dbPassword\n", reason: "a variable" },
        { text: "password = user_password\n", reason: "a variable" },
        { text: "PASSWORD=%DB_PASS%\n", reason: "a batch variable" },
        { text: "password: ********\n", reason: "masked" },
        { text: "password:\n", reason: "empty" },
        { text: (r) => `password:\n  ${r.alnum(12)}\n`, reason: "a name and a value on different lines" },
        { text: "min_password_length = 12\n", reason: "a number, and the identifier does not end with the word" },
        { text: "password = None\n", reason: "no value" },
        { text: "[pypi]\nusername: fred\npassword: hunter\n", reason: "a short lower-case word: an example" },
        { text: "self.bypass = enabled_by_default\n", reason: "a word ending in pass, not a password" },
        { text: "SMTP_PASSTHROUGH=true\n", reason: "the identifier does not end with the word" },
      ],
    },
  },
];
