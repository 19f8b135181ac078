import type { ReportedFinding } from "../sources/types.js";
import type { DetectedSecret } from "./types.js";

/**
 * A finding in a git blob as the alert service takes it. Findings outside git (files on disk) do not
 * become alerts: an alert needs a commit to point at. Generic (non-provider) types are kept apart,
 * as GitHub lists them only when asked for.
 */
export function toDetectedSecret(reported: ReportedFinding): DetectedSecret | null {
  const { finding, location } = reported;
  if (location.type !== "commit") return null;
  return {
    secretType: finding.secretType,
    secretTypeDisplayName: finding.secretTypeDisplayName,
    provider: finding.category === "generic" ? null : finding.provider,
    secretCategory: finding.category === "generic" ? "generic" : "default",
    secret: finding.secret.reveal(),
    ...(finding.paired ? { paired: { secretType: finding.paired.secretType, secret: finding.paired.secret.reveal() } } : {}),
    isBase64Encoded: finding.isBase64Encoded,
    location: {
      type: "commit",
      details: {
        path: location.path,
        startLine: finding.startLine,
        endLine: finding.endLine,
        startColumn: finding.startColumn,
        endColumn: finding.endColumn,
        blobSha: location.blobSha,
        commitSha: location.commitSha,
        authorName: location.authorName,
        authorEmail: location.authorEmail,
        committerEmail: location.committerEmail,
        commitDate: location.committerDate,
      },
    },
  };
}
