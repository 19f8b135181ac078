import { readFileSync } from "node:fs";
import { builtinPatterns, createMatcher, ExampleRandom } from "vigil-secrets-engine";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { emptyStats, type ReportedFinding } from "../sources/types.js";
import { FINDING_RECORD_FIELDS, type FindingRecord } from "./finding-record.js";
import { formatFindings, type OutputFormat } from "./format-findings.js";
import { locationFingerprint } from "./location-fingerprint.js";

const r = new ExampleRandom(11);
const awsId = `AKIA${r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)}`;
const awsKey = r.base64(40);
const github = r.githubToken("ghp");

function scan(text: string) {
  const { matcher } = createMatcher(builtinPatterns);
  return matcher.scan(Buffer.from(text));
}

/** An AWS pair in a commit (every field set) and a GitHub token on standard input. */
function findings(): ReportedFinding[] {
  const [aws] = scan(`[default]\naws_access_key_id = ${awsId}\naws_secret_access_key = ${awsKey}\n`);
  const [token] = scan(`token ${github}\n`);
  expect(aws?.paired).toBeDefined();
  return [
    {
      finding: aws!,
      location: {
        type: "commit",
        path: "infra/credentials",
        commitSha: "c".repeat(40),
        blobSha: "b".repeat(40),
        authorName: "Ada Author",
        authorEmail: "ada@example.com",
        authorDate: "2024-05-06T07:08:09+02:00",
        committerName: "Carl Committer",
        committerEmail: "carl@example.com",
        committerDate: "2024-05-07T08:09:10+02:00",
      },
      validity: { validity: "active", detail: "HTTP 200" },
    },
    { finding: token!, location: { type: "file", path: "-" } },
  ];
}

const format = (list: ReportedFinding[], f: OutputFormat, showSecrets = false): string =>
  formatFindings(list, { format: f, showSecrets, toolVersion: "1.2.3", color: false, stats: emptyStats() });

describe("output formats", () => {
  const list = findings();
  const records = JSON.parse(format(list, "json")) as FindingRecord[];
  const full = records[0]!;

  it("carry every field of the record, under the same names, in every format", () => {
    // The commit finding with a pair sets every field: the list is the record's whole shape.
    expect(Object.keys(full).sort()).toEqual([...FINDING_RECORD_FIELDS].sort());
    expect(
      format(list, "jsonl")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual(records);

    const csv = format(list, "csv").split("\r\n");
    expect(csv[0]!.split(",")).toEqual([...FINDING_RECORD_FIELDS]);
    expect(csv[1]).toContain(full.fingerprint);
    for (const field of ["provider", "push_protection", "paired_secret"] as const) {
      expect(csv[1]).toContain(JSON.stringify(full[field]).replace(/^"|"$/g, "").replace(/"/g, '""'));
    }

    const sarif = JSON.parse(format(list, "sarif")) as {
      runs: Array<{ results: Array<{ properties: Record<string, unknown> }> }>;
    };
    expect(sarif.runs[0]!.results.map((res) => res.properties)).toEqual(records);

    const junit = format(list, "junit");
    for (const field of FINDING_RECORD_FIELDS) expect(junit).toContain(`${field}: `);

    const table = format(list, "table");
    for (const field of FINDING_RECORD_FIELDS) {
      const value = full[field];
      if (typeof value === "string") expect(table, field).toContain(value);
      else if (typeof value === "number") expect(table, field).toMatch(new RegExp(`\\b${value}\\b`));
    }
    expect(table).toContain(`with ${full.paired_secret!.secret_type}`);
    expect(table).toContain(full.provider);
    expect(table).toContain("blocks pushes");
  });

  it("never print a secret unless asked", () => {
    for (const f of ["table", "json", "jsonl", "sarif", "csv", "junit"] as const) {
      const text = format(list, f);
      for (const secret of [awsKey, github]) expect(text, f).not.toContain(secret);
      expect(format(list, f, true), f).toContain(github);
    }
  });

  it("writes JUnit XML that CI systems read: a suite with one failing case per finding", () => {
    const text = format(list, "junit");
    expect(XMLValidator.validate(text)).toBe(true);
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "",
      isArray: (name) => name === "testcase",
    });
    const doc = parser.parse(text) as {
      testsuites: {
        tests: string;
        failures: string;
        testsuite: {
          name: string;
          tests: string;
          failures: string;
          testcase: Array<{
            classname: string;
            name: string;
            failure: { type: string; message: string; "#text": string };
          }>;
        };
      };
    };
    const suite = doc.testsuites.testsuite;
    expect(doc.testsuites).toMatchObject({ tests: "2", failures: "2" });
    expect(suite).toMatchObject({ name: "vigil scan", tests: "2", failures: "2" });
    expect(suite.testcase.map((c) => [c.classname, c.name, c.failure.type])).toEqual([
      ["vigil.aws_access_key_id", `infra/credentials:2:21 (commit ${"c".repeat(12)})`, "aws_access_key_id"],
      ["vigil.github_personal_access_token", "-:1:7", "github_personal_access_token"],
    ]);
    expect(suite.testcase[0]!.failure["#text"]).toContain(`fingerprint: ${full.fingerprint}`);

    const clean = parser.parse(format([], "junit")) as typeof doc;
    expect(XMLValidator.validate(format([], "junit"))).toBe(true);
    expect(clean.testsuites).toMatchObject({ tests: "1", failures: "0" });
    expect(clean.testsuites.testsuite.testcase[0]!.name).toBe("no secrets found");
  });

  it("escapes paths that XML and CSV would misread", () => {
    const [token] = scan(`token ${github}\n`);
    const odd: ReportedFinding[] = [{ finding: token!, location: { type: "file", path: 'a "b" <c> & d,e.env' } }];
    expect(XMLValidator.validate(format(odd, "junit"))).toBe(true);
    expect(format(odd, "csv").split("\r\n")[1]).toContain('"a ""b"" <c> & d,e.env"');
  });
});

describe("docs/cli.md", () => {
  it("lists the CSV columns as the formatter writes them", () => {
    const doc = readFileSync(new URL("../../../../docs/cli.md", import.meta.url), "utf8");
    const bullet = /- `csv` is RFC 4180[\s\S]*?lacks are empty\./.exec(doc)?.[0] ?? "";
    expect([...bullet.matchAll(/`([a-z0-9_]+)`/g)].map((m) => m[1]).filter((name) => name !== "csv")).toEqual([
      ...FINDING_RECORD_FIELDS,
    ]);
  });
});

describe("fingerprints", () => {
  it("hold no secret: the same secret in another file differs, another secret at the same place differs, lines do not matter", () => {
    const [token] = scan(`token ${github}\n`);
    const [moved] = scan(`\n\n  token ${github}\n`);
    const [other] = scan(`token ${r.githubToken("ghp")}\n`);
    const at = (finding: typeof token, path: string) =>
      locationFingerprint({ finding: finding!, location: { type: "file", path } });
    expect(at(token, "a.env")).toMatch(/^[0-9a-f]{32}$/);
    expect(at(moved, "a.env")).toBe(at(token, "a.env"));
    expect(at(token, "./a.env")).toBe(at(token, "a.env"));
    expect(at(token, "b.env")).not.toBe(at(token, "a.env"));
    expect(at(other, "a.env")).not.toBe(at(token, "a.env"));
    expect(at(token, "a.env")).not.toContain(token!.fingerprint.slice(0, 8));
  });
});
