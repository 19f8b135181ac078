import { createHash } from "node:crypto";
import type { Finding } from "vigil-secrets-engine";
import { patternDocUrl, PROJECT_URL } from "../docs-url.js";
import type { ReportedFinding } from "../sources/types.js";
import type { FindingRecord } from "./finding-record.js";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** The artifact URI of standard input: an absolute URI, so no viewer takes it for a file of the repository. */
export const STDIN_URI = "stdin:";

/**
 * SARIF 2.1.0 as code-scanning viewers read it: one rule per secret type (with help on what the
 * secret is and how to revoke it), one result per finding, regions with 1-based lines and an
 * exclusive end column, every field of the finding record in the result's `properties` (its
 * `result` number tells which results are one secret), a `rank` that puts generic matches in
 * tests, examples and vendored files last.
 */
export function formatSarif(findings: ReportedFinding[], records: FindingRecord[], version: string): object {
  const ruleIndex = new Map<string, number>();
  const rules: object[] = [];
  for (const { finding } of findings) {
    if (ruleIndex.has(finding.secretType)) continue;
    ruleIndex.set(finding.secretType, rules.length);
    const help = ruleHelp(finding);
    rules.push({
      id: finding.secretType,
      name: finding.secretTypeDisplayName.replace(/[^A-Za-z0-9]+/g, ""),
      shortDescription: { text: `${finding.secretTypeDisplayName} detected` },
      fullDescription: {
        text: `Secret of type ${finding.secretTypeDisplayName} (${finding.provider}). Revoke it at the issuer, then remove it from the code.`,
      },
      helpUri: patternDocUrl(finding.secretType),
      help,
      defaultConfiguration: { level: finding.confidence === "high" ? "error" : "warning" },
      properties: {
        tags: ["security", "secret"],
        precision: finding.confidence === "high" ? "very-high" : "medium",
        "security-severity": "9.0",
      },
    });
  }
  const results = findings.map(({ finding, location }, i) => {
    const record = records[i]!;
    const stdin = location.type === "file" && location.path === "-";
    return {
      ruleId: finding.secretType,
      ruleIndex: ruleIndex.get(finding.secretType),
      level: finding.confidence === "high" ? "error" : "warning",
      // SARIF's priority, 0 to 100: provider types first, generic matches in tests, examples and vendored files last.
      rank: record.ranked_last ? 10 : finding.confidence === "high" ? 90 : 50,
      message: { text: `${finding.secretTypeDisplayName} found: ${record.secret} (fingerprint ${record.fingerprint})` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: stdin
              ? { uri: STDIN_URI, description: { text: "standard input" } }
              : { uri: encodeURI(location.path.replace(/\\/g, "/")) },
            region: {
              startLine: finding.startLine,
              startColumn: finding.startColumn,
              endLine: finding.endLine,
              endColumn: finding.endColumn + 1,
            },
          },
        },
      ],
      // Per place (commit, path, line, column), so viewers never merge two places into one alert.
      partialFingerprints: { "vigilLocation/v1": placeFingerprint(record) },
      properties: { ...record },
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "Vigil", version, semanticVersion: version, informationUri: PROJECT_URL, rules } },
        results,
      },
    ],
  };
}

function placeFingerprint(record: FindingRecord): string {
  return createHash("sha256")
    .update([record.fingerprint, record.commit_sha ?? "", record.start_line, record.start_column].join("\0"))
    .digest("hex")
    .slice(0, 32);
}

/** What the secret is and what to do about it, as text and as Markdown. */
function ruleHelp(finding: Finding): { text: string; markdown: string } {
  const name = finding.secretTypeDisplayName;
  const issuer = finding.category === "provider" ? finding.provider : "the system it opens";
  const what =
    finding.category === "provider"
      ? `A ${name} is a credential issued by ${finding.provider}: whoever holds it can act with its access.`
      : finding.category === "custom"
        ? `A ${name} matches a custom pattern of your organisation: a credential someone defined as secret.`
        : `A ${name} is a credential that is not tied to one provider (a private key, a password in a connection string or header, a secret assigned to a telling name).`;
  const steps = [
    `Revoke or rotate it at ${issuer} first: removing it from the code does not make it safe, since it stays in the git history and in every clone, fork and CI log.`,
    "Replace it in the code with a reference to a secret store or an environment variable, and deploy the new credential.",
    `Check ${issuer}'s access logs for use you did not expect while it was exposed.`,
    "A false positive or a test value? Add `vigil:allow` on its line, or its fingerprint to `allowlist.fingerprints` in vigil.config.yaml.",
  ];
  const url = patternDocUrl(finding.secretType);
  return {
    text: `${what} ${steps.map((s, i) => `${i + 1}. ${s}`).join(" ")} More: ${url}`,
    markdown: `**${name}** (\`${finding.secretType}\`)\n\n${what}\n\n${steps.map((s, i) => `${i + 1}. ${s}`).join("\n")}\n\n[About this secret type](${url})`,
  };
}
