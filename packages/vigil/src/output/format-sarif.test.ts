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
    { finding: found[0]!, location: { type: "file", path: "-" } },
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
    const log: unknown = JSON.parse(
      formatFindings(findings(), {
        format: "sarif",
        showSecrets: false,
        toolVersion: "1.2.3",
        color: false,
        stats: emptyStats(),
      }),
    );
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("gives every rule help (text and Markdown) and a link to its docs, the tool its home, stdin a URI, each place its own fingerprint", () => {
    interface Log {
      runs: Array<{
        tool: {
          driver: {
            informationUri: string;
            rules: Array<{ id: string; helpUri: string; help: { text: string; markdown: string } }>;
          };
        };
        results: Array<{
          ruleId: string;
          partialFingerprints: Record<string, string>;
          properties: { fingerprint: string };
          locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }>;
        }>;
      }>;
    }
    const log = JSON.parse(
      formatFindings(findings(), {
        format: "sarif",
        showSecrets: false,
        toolVersion: "1",
        color: false,
        stats: emptyStats(),
      }),
    ) as Log;
    const run = log.runs[0]!;
    expect(run.tool.driver.informationUri).toBe("https://github.com/vigil-scanner/vigil");
    expect(run.tool.driver.rules.map((rule) => rule.id)).toEqual([
      "github_personal_access_token",
      "slack_incoming_webhook_url",
    ]);
    for (const rule of run.tool.driver.rules) {
      expect(rule.helpUri).toBe(`https://github.com/vigil-scanner/vigil/blob/main/docs/patterns.md#${rule.id}`);
      expect(rule.help.text).toMatch(/Revoke or rotate it at/);
      expect(rule.help.markdown).toContain(`(\`${rule.id}\`)`);
      expect(rule.help.markdown).toContain(`](${rule.helpUri})`);
    }
    expect(run.tool.driver.rules[0]!.help.text).toContain("issued by GitHub");
    expect(run.results.map((res) => res.locations[0]!.physicalLocation.artifactLocation.uri)).toEqual([
      "src/app%20config.js",
      "stdin:",
      "deploy/notify.yaml",
    ]);
    // The same secret in two places: two places for viewers, each with the fingerprint a user copies.
    const [inFile, onStdin] = run.results;
    expect(inFile!.partialFingerprints["vigilLocation/v1"]).not.toBe(onStdin!.partialFingerprints["vigilLocation/v1"]);
    expect(new Set(run.results.map((res) => res.partialFingerprints["vigilLocation/v1"])).size).toBe(3);
    expect(inFile!.properties.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it("masks secrets unless asked, and URI-encodes paths", () => {
    const list = findings();
    const secret = list[0]!.finding.secret.reveal();
    const masked = formatFindings(list, {
      format: "sarif",
      showSecrets: false,
      toolVersion: "1",
      color: false,
      stats: emptyStats(),
    });
    expect(masked).not.toContain(secret);
    expect(masked).toContain("src/app%20config.js");
    const shown = formatFindings(list, {
      format: "sarif",
      showSecrets: true,
      toolVersion: "1",
      color: false,
      stats: emptyStats(),
    });
    expect(shown).toContain(secret);
  });
});
