import type { ResultCounts } from "../output/secret-results.js";
import type { ScanStats } from "../sources/types.js";

/** `1 file`, `2 files`: a count with its noun. `plural` defaults to the noun with an `s`. */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** A stats counter label (`commits`, `new commits`, `blobs`) for a count: singular for one. */
function counterLabel(n: number, label: string): string {
  return n === 1 ? label.replace(/\b(commit|blob|file)s\b/, "$1") : label;
}

export interface SummaryContext {
  /** Findings left out because a baseline or `allowlist.fingerprints` holds them. */
  suppressed?: { baseline: number; fingerprints: number };
  /** With `--block push-protection`: how many of the secrets block (fail the run). */
  blocking?: number;
  /** The config file used (as the user would name it), or undefined for none. */
  config?: string | undefined;
}

/**
 * The one-line summary printed to stderr after a scan (plus warnings, one per line). `found` is the
 * number of secrets, or the report's counts: secrets, their locations, and how many are ranked last.
 */
export function formatSummary(found: number | ResultCounts, stats: ScanStats, context: SummaryContext = {}): string {
  const counts = typeof found === "number" ? { secrets: found, locations: found, rankedLast: 0 } : found;
  const findingCount = counts.secrets;
  const mb = (stats.bytesScanned / 1e6).toFixed(1);
  const seconds = (stats.durationMs / 1000).toFixed(2);
  const skipped: string[] = [];
  if (stats.skippedBinary) skipped.push(`${stats.skippedBinary} binary`);
  if (stats.skippedTooLarge) skipped.push(`${stats.skippedTooLarge} too large`);
  if (stats.skippedLfs) skipped.push(countOf(stats.skippedLfs, "LFS pointer"));
  if (stats.skippedAllowlisted) skipped.push(`${stats.skippedAllowlisted} allowlisted`);
  if (stats.unreadable) skipped.push(`${stats.unreadable} unreadable`);
  const extra = Object.entries(stats.extra ?? {}).map(([k, v]) => `${v} ${counterLabel(v, k)}`);
  const lines = stats.warnings.slice(0, 20).map((w) => `warning: ${w}`);
  if (stats.warnings.length > 20) lines.push(`warning: … and ${stats.warnings.length - 20} more`);
  const what = extra.length > 0 ? extra.join(", ") : countOf(stats.filesScanned, "file");
  let foundText = findingCount === 0 ? "no secrets found" : `${countOf(findingCount, "secret")} found`;
  if (counts.locations > counts.secrets) foundText += ` at ${counts.locations} locations`;
  if (counts.rankedLast > 0) {
    const first = counts.secrets - counts.rankedLast;
    foundText += ` (${first} to check first; ${counts.rankedLast} ${counts.rankedLast === 1 ? "is a generic match" : "are generic matches"} only in tests, documentation examples or vendored files, listed last)`;
  }
  if (context.blocking !== undefined && findingCount > 0 && context.blocking < findingCount) {
    const others = findingCount - context.blocking;
    foundText +=
      context.blocking === 0
        ? `, none of a type push protection blocks: reported, not blocking (--block all blocks every type)`
        : `, ${context.blocking} of a type push protection blocks (the other ${others} ${others === 1 ? "is" : "are"} reported, not blocking; --block all blocks every type)`;
  }
  const known: string[] = [];
  if (context.suppressed?.baseline) known.push(`${context.suppressed.baseline} in the baseline`);
  if (context.suppressed?.fingerprints) known.push(`${context.suppressed.fingerprints} allowlisted by fingerprint`);
  lines.push(
    `vigil: scanned ${what} (${mb} MB) in ${seconds}s: ${foundText}` +
      (known.length > 0 ? `; not reported: ${known.join(", ")}` : "") +
      (skipped.length > 0 ? `; skipped ${skipped.join(", ")}` : "") +
      ("config" in context ? `; config: ${context.config ?? "none"}` : ""),
  );
  return lines.join("\n");
}
