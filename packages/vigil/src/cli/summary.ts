import type { ScanStats } from "../sources/types.js";

/** The one-line summary printed to stderr after a scan (plus warnings, one per line). */
export function formatSummary(findingCount: number, stats: ScanStats): string {
  const mb = (stats.bytesScanned / 1e6).toFixed(1);
  const seconds = (stats.durationMs / 1000).toFixed(2);
  const skipped: string[] = [];
  if (stats.skippedBinary) skipped.push(`${stats.skippedBinary} binary`);
  if (stats.skippedTooLarge) skipped.push(`${stats.skippedTooLarge} too large`);
  if (stats.skippedLfs) skipped.push(`${stats.skippedLfs} LFS pointers`);
  if (stats.skippedAllowlisted) skipped.push(`${stats.skippedAllowlisted} allowlisted`);
  if (stats.unreadable) skipped.push(`${stats.unreadable} unreadable`);
  const extra = Object.entries(stats.extra ?? {}).map(([k, v]) => `${v} ${k}`);
  const lines = stats.warnings.slice(0, 20).map((w) => `warning: ${w}`);
  if (stats.warnings.length > 20) lines.push(`warning: … and ${stats.warnings.length - 20} more`);
  const what = extra.length > 0 ? extra.join(", ") : `${stats.filesScanned} files`;
  lines.push(
    `vigil: scanned ${what} (${mb} MB) in ${seconds}s: ${findingCount === 0 ? "no secrets found" : `${findingCount} secret${findingCount === 1 ? "" : "s"} found`}` +
      (skipped.length > 0 ? `; skipped ${skipped.join(", ")}` : ""),
  );
  return lines.join("\n");
}
