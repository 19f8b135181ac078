import type { Matcher } from "vigil-secrets-engine";
import type { AlertStore, RecordResult } from "../alerts/alert-store.js";
import type { DetectedSecret, Repository } from "../alerts/types.js";
import type { ContentItem } from "./forge-events.js";

/** Text over this size (per revision) is not scanned: forges cap comments far below it (GitHub: 65,536 characters). */
export const MAX_CONTENT_BYTES = 1024 * 1024;

/** Every secret in every revision of every item, as detections at the item's location (same engine and catalog as code). */
export function detectInContent(matcher: Matcher, items: ContentItem[]): DetectedSecret[] {
  const detections: DetectedSecret[] = [];
  for (const item of items) {
    for (const text of item.texts) {
      const bytes = Buffer.from(text, "utf8");
      if (bytes.length > MAX_CONTENT_BYTES) continue;
      for (const finding of matcher.scan(bytes)) {
        detections.push({
          secretType: finding.secretType,
          secretTypeDisplayName: finding.secretTypeDisplayName,
          provider: finding.category === "generic" ? null : finding.provider,
          secretCategory: finding.category === "generic" ? "generic" : "default",
          secret: finding.secret.reveal(),
          isBase64Encoded: finding.isBase64Encoded,
          location: { type: item.type, details: item.details },
        });
      }
    }
  }
  return detections;
}

/** Scans content of a repository and records what it finds, in one transaction. */
export async function recordContent(
  store: AlertStore,
  matcher: Matcher,
  repo: Repository,
  items: ContentItem[],
): Promise<RecordResult & { findings: number }> {
  const detections = detectInContent(matcher, items);
  const result = await store.recordDetections(repo.id, detections);
  return { ...result, findings: detections.length };
}
