import type { ReportedFinding } from "../sources/types.js";
import type { FindingRecord } from "./finding-record.js";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/**
 * SARIF 2.1.0 as code-scanning viewers read it: one rule per secret type, one
 * result per finding, regions with 1-based lines and an exclusive end column.
 */
export function formatSarif(findings: ReportedFinding[], records: FindingRecord[], version: string): object {
  const ruleIndex = new Map<string, number>();
  const rules: object[] = [];
  for (const { finding } of findings) {
    if (ruleIndex.has(finding.secretType)) continue;
    ruleIndex.set(finding.secretType, rules.length);
    rules.push({
      id: finding.secretType,
      name: finding.secretTypeDisplayName.replace(/[^A-Za-z0-9]+/g, ""),
      shortDescription: { text: `${finding.secretTypeDisplayName} detected` },
      fullDescription: { text: `Secret of type ${finding.secretTypeDisplayName} (${finding.provider}). Revoke it at the issuer, then remove it from the code.` },
      defaultConfiguration: { level: finding.confidence === "high" ? "error" : "warning" },
      properties: { tags: ["security", "secret"], precision: finding.confidence === "high" ? "very-high" : "medium", "security-severity": "9.0" },
    });
  }
  const results = findings.map(({ finding, location }, i) => {
    const record = records[i]!;
    return {
      ruleId: finding.secretType,
      ruleIndex: ruleIndex.get(finding.secretType),
      level: finding.confidence === "high" ? "error" : "warning",
      message: { text: `${finding.secretTypeDisplayName} found: ${record.secret}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: encodeURI(location.path.replace(/\\/g, "/")) },
            region: {
              startLine: finding.startLine,
              startColumn: finding.startColumn,
              endLine: finding.endLine,
              endColumn: finding.endColumn + 1,
            },
          },
        },
      ],
      partialFingerprints: { "vigilSecretFingerprint/v1": finding.fingerprint },
      ...(location.type === "commit"
        ? {
            properties: {
              commitSha: location.commitSha,
              blobSha: location.blobSha,
              authorName: location.authorName,
              authorEmail: location.authorEmail,
              committerEmail: location.committerEmail,
              commitDate: location.committerDate,
            },
          }
        : location.blobSha !== undefined
          ? { properties: { blobSha: location.blobSha } }
          : {}),
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "Vigil", version, semanticVersion: version, rules } },
        results,
      },
    ],
  };
}
