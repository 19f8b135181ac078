import { describe, expect, it } from "vitest";
import { assignmentBefore, ASSIGNMENT_AFTER } from "./assignment.js";
import { ExampleRandom } from "./example-random.js";
import { createMatcher } from "./matcher.js";
import type { PatternDefinition } from "./pattern.js";

function rule(loose = false, secretWord = false): PatternDefinition {
  return {
    id: "acme_api_key",
    name: "Acme API Key",
    provider: "Acme",
    regex: "[a-f0-9]{32}",
    before: assignmentBefore("acme", { loose, secretWord }),
    after: ASSIGNMENT_AFTER,
    keywords: ["acme"],
    window: { before: 64, after: 200 },
    confidence: "low",
    category: "provider",
    pushProtection: false,
    examples: { positive: [], negative: [] },
  };
}

const strict = createMatcher([rule()]);
const loose = createMatcher([rule(true)]);
const named = createMatcher([rule(false, true)]);
const namedLoose = createMatcher([rule(true, true)]);

function found(text: string, matcher = strict.matcher): string[] {
  return matcher.scan(Buffer.from(text)).map((f) => f.secret.reveal());
}

describe("assignmentBefore", () => {
  it("compiles under RE2", () => {
    expect(strict.problems).toEqual([]);
    expect(loose.problems).toEqual([]);
    expect(named.problems).toEqual([]);
    expect(namedLoose.problems).toEqual([]);
  });

  const key = new ExampleRandom(7).hex(32);
  // One line per syntax the issue lists: each must yield exactly the value.
  const syntaxes: [string, string][] = [
    ["unquoted .env / shell", `ACME_API_KEY=${key}`],
    ["shell export, quoted", `export ACME_TOKEN="${key}"`],
    ["INI with spaces", `acme_key = ${key}`],
    ["YAML unquoted", `  acme_api_key: ${key}`],
    ["YAML quoted", `acme:\n  api_key: x\nacmeKey: '${key}'`],
    ["JSON", `{"acmeApiKey": "${key}"}`],
    ["JSON escaped inside a JSON string", `"config": "{\\"acme_key\\": \\"${key}\\"}"`],
    ["XML element", `<AcmeApiKey>${key}</AcmeApiKey>`],
    [".NET appSettings", `<add key="AcmeApiKey" value="${key}" />`],
    ["Go short declaration", `acmeKey := "${key}"`],
    ["Go var with a type", `var acmeKey string = "${key}"`],
    ["PHP variable", `$acme_key = '${key}';`],
    ["PHP concatenation", `$acmeKey .= '${key}';`],
    ["Makefile :=", `ACME_KEY := ${key}`],
    ["Makefile ::=", `ACME_KEY ::= ${key}`],
    ["Makefile :::=", `ACME_KEY :::= ${key}`],
    ["Makefile ?=", `ACME_KEY ?= ${key}`],
    ["Makefile +=", `ACME_KEY += ${key}`],
    ["Java setProperty", `System.setProperty("ACME_API_KEY", "${key}");`],
    ["Java .properties", `acme.api.key=${key}`],
    ["C# const", `private const string AcmeApiKey = "${key}";`],
    ["Kotlin const val", `const val ACME_API_KEY: String = "${key}"`],
    ["TypeScript annotation", `const acmeKey: string = "${key}";`],
    ["TOML", `[acme]\nacme_token = "${key}"`],
    ["HCL", `  acme_api_key = "${key}"`],
    ["Terraform variable default", `variable "acme_api_key" {\n  type    = string\n  default = "${key}"\n}`],
    ["Python keyword argument", `client = Acme(acme_key="${key}")`],
    ["Python raw string", `ACME_KEY = r'${key}'`],
    ["Ruby hash rocket", `:acme_key => '${key}'`],
    ["R assignment", `acme_key <- "${key}"`],
    ["Laravel env default", `'key' => env('ACME_KEY', '${key}'),`],
    ["command-line flag with =", `acmectl login --acme-token=${key}`],
    ["command-line flag and a space", `acmectl login --acme-token ${key}`],
    ["Java system property", `java -Dacme.api.key=${key} -jar app.jar`],
    ["HTTP header", `curl -H "X-Acme-Key: ${key}" https://api.acme.test`],
    ["HTTP header with a scheme", `-H 'X-Acme-Authorization: Bearer ${key}'`],
    ["Python environment", `os.environ["ACME_KEY"] = "${key}"`],
    ["PowerShell environment", `$env:ACME_KEY = "${key}"`],
    ["Dockerfile ENV", `ENV ACME_KEY=${key}`],
    ["a prefixed identifier", `PROD_ACME_KEY=${key}`],
    ["column-aligned JS object", `  acmeApiKey:            "${key}",`],
    ["column-aligned HCL", `acme_devops_token             = "${key}"`],
    ["column-aligned Perl hash", `    acme_key        => '${key}',`],
    ["tab-aligned INI", `ACME_KEY\t\t= ${key}`],
    ["tabs on both sides", `$acme_token\t=\t\t'${key}';`],
    ["shell export, unquoted", `export ACME_TOKEN=${key}`],
  ];
  it.each(syntaxes)("finds the value in %s", (_syntax, text) => {
    expect(found(text)).toEqual([key]);
    // Every line names a secret (`KEY`, `TOKEN`, `Authorization`): the provider-name mode finds it too.
    expect(found(text, named.matcher)).toEqual([key]);
    expect(found(text, namedLoose.matcher)).toEqual([key]);
  });

  const misses: [string, string][] = [
    ["the name inside another word", `checkacmekey=${key}`],
    ["a -D that is part of a word", `x-Dacmekey=${key}`],
    [
      "a default of another Terraform variable",
      `variable "acme_region" {}\nvariable "other" {\n  default = "${key}"\n}`,
    ],
    ["a value not assigned to the name", `acme is great\n${key}`],
    ["a value that runs on (not a whole value)", `ACME_KEY=${key}ff`],
    ["words between name and value, strict", `acme secret key ${key}`],
    ["a name and a value on different lines", `acme_key:\n  ${key}`],
    ["a name, an operator and a value on the next line", `ACME_TOKEN =\n"${key}"`],
    ["prose", `Ask acme for a key: they send something like ${key}`],
    ["a value across other tokens", `acme_key = lookup(name, ${key})`],
    ["a value farther along the line than any alignment", `ACME_KEY =${" ".repeat(41)}${key}`],
  ];
  it.each(misses)("ignores %s", (_what, text) => {
    expect(found(text)).toEqual([]);
  });

  it("with loose, takes words and spaces between a distinctive name and the value", () => {
    expect(found(`acme secret key ${key}`, loose.matcher)).toEqual([key]);
    expect(found(`Acme token: ${key}`, loose.matcher)).toEqual([key]);
    expect(found(`checkacme ${key}`, loose.matcher)).toEqual([]);
    expect(found(`acme is great\n${key}`, loose.matcher)).toEqual([]);
    expect(found(`acme_key:\n  ${key}`, loose.matcher)).toEqual([]);
  });

  it("with secretWord, wants the identifier to name a secret", () => {
    expect(found(`ACME_CLIENT_ID=${key}`, named.matcher)).toEqual([]);
    expect(found(`acme_region: ${key}`, named.matcher)).toEqual([]);
    expect(found(`acme client secret ${key}`, namedLoose.matcher)).toEqual([key]);
    expect(found(`acme build ${key}`, namedLoose.matcher)).toEqual([]);
  });
});
