import { readFileSync } from "node:fs";
import AjvDraft04 from "ajv-draft-04";
import ajvFormats from "ajv-formats";
import { builtinPatterns, createMatcher, ExampleRandom } from "vigil-secrets-engine";
import { describe, expect, it } from "vitest";
import { emptyStats, type ReportedFinding } from "../sources/types.js";
import { formatFindings } from "./format-findings.js";

// The official SARIF 2.1.0 JSON schema (OASIS, as published in SchemaStore), kept as a test fixture.
const schema = JSON.parse(
  readFileSync(new URL("./fixtures/sarif-2.1.0-rtm.5.schema.json", import.meta.url), "utf8"),
) as Record<string, unknown>;

function findings(): ReportedFinding[] {
  const r = new ExampleRandom(5);
  const text = `a = "${r.githubToken("ghp")}"\nurl: https://hooks.slack.com/services/T${r.upperAlnum(10)}/B${r.upperAlnum(10)}/${r.alnum(24)}\n`;
  const { matcher } = createMatcher(builtinPatterns);
  const found = matcher.scan(Buffer.from(text));
  expect(found).toHaveLength(2);
  return [
    { finding: found[0]!, location: { type: "file", path: "src/app config.js" } },
    {
      finding: found[1]!,
      location: {
        type: "commit",
        path: "deploy/notify.yaml",
        commitSha: "a".repeat(40),
        blobSha: "b".repeat(40),
        authorName: "Dev",
        authorEmail: "dev@example.com",
        authorDate: "2026-01-02T03:04:05Z",
        committerName: "Dev",
        committerEmail: "dev@example.com",
        committerDate: "2026-01-02T03:04:05Z",
      },
    },
  ];
}

describe("SARIF output", () => {
  it("validates against the SARIF 2.1.0 schema, with file and commit locations", () => {
    // unicodeRegExp off: the published schema has a pattern (`language`) that is invalid with the `u` flag.
    // Both packages are CommonJS with a `default` export property.
    const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
    ajvFormats.default(ajv);
    const validate = ajv.compile(schema);
    const log: unknown = JSON.parse(formatFindings(findings(), { format: "sarif", showSecrets: false, toolVersion: "1.2.3", color: false, stats: emptyStats() }));
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("masks secrets unless asked, and URI-encodes paths", () => {
    const list = findings();
    const secret = list[0]!.finding.secret.reveal();
    const masked = formatFindings(list, { format: "sarif", showSecrets: false, toolVersion: "1", color: false, stats: emptyStats() });
    expect(masked).not.toContain(secret);
    expect(masked).toContain("src/app%20config.js");
    const shown = formatFindings(list, { format: "sarif", showSecrets: true, toolVersion: "1", color: false, stats: emptyStats() });
    expect(shown).toContain(secret);
  });
});
