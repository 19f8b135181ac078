import { describe, expect, it } from "vitest";
import { ExampleRandom } from "../example-random.js";
import { createMatcher } from "../matcher.js";
import { builtinPatterns } from "./index.js";

// The whole catalog: a password must be reported under the password patterns, and no other pattern may
// claim the same bytes.
const { matcher } = createMatcher(builtinPatterns);
const PASSWORD_TYPES = new Set([
  "generic_password",
  "generic_password_unquoted",
  "odbc_connection_string_password",
  "command_line_password_flag",
]);

function passwords(text: string): Array<[string, string]> {
  return matcher
    .scan(Buffer.from(text))
    .filter((f) => PASSWORD_TYPES.has(f.secretType))
    .map((f) => [f.secretType, f.secret.reveal()]);
}

describe("passwords assigned in every syntax", () => {
  // Values are synthesised: the repository holds no live-looking password.
  const r = new ExampleRandom(16);
  const phrase = `${r.lower(5)} ${r.lower(6)}`;
  const word = `${r.lower(7)}${r.digits(2)}`;
  const symbolic = `${r.lower(5)}$${r.lower(5)}`;

  it.each([
    ["Python", `password = '${phrase}'`, phrase],
    ["shell, double quotes", `password="${symbolic}"`, symbolic],
    ["YAML, quoted", `my_password: "${symbolic}"`, symbolic],
    ["JSON", `{"AdminPassword" : "${word}"}`, word],
    ["Go", `my_password := "${symbolic}"`, symbolic],
    ["Perl / Ruby hash", `password   =>   "${symbolic}"`, symbolic],
    ["Ruby symbol", `:password       => '${word}',`, word],
    ["C# constant", `private const string PfxPassword = "${word}";`, word],
    [".NET configuration", `<add key="FromEmailPassword" value="${word}$"/>`, `${word}$`],
    ["Gradle", `credentials {\n  username 'deploy'\n  password '${word}'\n}`, word],
    ["a flag", `mysql --password="${word}" -h db`, word],
    ["PowerShell", `Connect-Thing -User admin -Password "${word}"`, word],
    ["Java property call", `System.setProperty("db.password", "${word}");`, word],
    ["PHP, escaped inside a string", `$password = \\"${word}\\";`, word],
    ["INI", `[SupportSite]\nUsername=support\nPassword=${word}\n`, word],
    [".env", `DB_PASSWORD=${word}\n`, word],
    ["YAML, unquoted", `db:\n  password: ${word}  # rotated monthly\n`, word],
    ["XML element", `<password>${word}</password>`, word],
    ["ADO.NET connection string", `Server=sql01,1433;Database=B2B;User ID=b2b;Password=#${word};Trusted_Connection=False`, `#${word}`],
    ["ODBC with Pwd", `Driver={SQL Server};Server=db01;Uid=app;Pwd=${word};`, word],
    [".env, _PASS", `SMTP_PASS=${word}\n`, word],
    ["a command line, unquoted flag", `mysqldump -u backup --password=${word} shop`, word],
    ["MySQL's glued -p", `mysql -uroot -p${word} -e "select 1"`, word],
  ])("%s", (_syntax, text, secret) => {
    const found = passwords(text);
    expect(found.map(([, s]) => s)).toEqual([secret]);
    // No other pattern reports these bytes too.
    const all = matcher.scan(Buffer.from(text)).filter((f) => f.secret.reveal().includes(secret));
    expect(all.length).toBe(1);
  });

  it.each([
    ["a variable", "password = $DB_PASSWORD"],
    ["a variable, quoted", 'password = "$DB_PASSWORD"'],
    ["a batch variable", "psexec -p %PASS%\nPASSWORD=%DB_PASS%"],
    ["a template", 'password: "{{ vault_password }}"'],
    ["a placeholder", 'password = "<password>"'],
    ["masked", 'password: "******"'],
    ["a self-naming word", 'password = "password"'],
    ["a call", "password = getPassword()"],
    ["a reference", "password = config.database.password"],
    ["the same name", "password=password"],
    ["a camelCase variable", "password = dbPassword"],
    ["an empty value", 'password = ""'],
    ["a comparison", 'if password == "x":'],
    ["a type annotation", "  password: string;"],
    ["an XML schema attribute", '<xsd:attribute name="password" type="xsd:string" />'],
    ["an attribute list after a quoted name", '<field name="db_password" type="text" required="true"/>'],
    ["a label", 'label = { password: "Password:" }'],
    ["a list of names", "fields = ['username', 'password', 'apiKey']"],
    ["a value calling itself secret", "login({ password: 'secret123' })"],
    ["one lower-case word in code", "user = { password: 'peanuts' }"],
    ["an upper-case placeholder", '"password": "YOURPASSWORD"'],
    ["an e-mail address (anonymous FTP)", 'server->password = "busybox@";'],
    ["a connection string with a template", "server=(#{host});uid=#{user};pwd=#{pass}"],
    ["MySQL's prompt", "mysql -u root -p shop"],
    ["a flag with a variable", "mysql -u root -p$MYSQL_PWD && tool --password $PASS"],
    ["a word ending in pass", "self.bypass = enabled_by_default"],
  ])("not %s", (_what, text) => {
    expect(passwords(text)).toEqual([]);
  });
});
