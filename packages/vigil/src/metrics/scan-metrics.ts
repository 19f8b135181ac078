import type { recordContent } from "../content/content-scanner.js";
import type { HistoryScanner } from "../server/repository-service.js";
import type { ValidityChecker } from "../validity/validity-checker.js";
import type { VigilMetrics } from "./vigil-metrics.js";

/** Where scanned content came from: `git_history` (repositories), `wiki`, `content` (issues, pull requests, …). */
export type ScanSource = "git_history" | "wiki" | "content";

/** Counts one scan: its outcome, and for a completed one its duration, bytes, throughput and findings. */
export function observeScan(
  metrics: VigilMetrics,
  source: ScanSource,
  scan: { outcome: "completed" | "failed" | "interrupted"; seconds: number; bytes?: number; findings?: number },
): void {
  metrics.scans.inc({ source, outcome: scan.outcome });
  if (scan.outcome !== "completed") return;
  metrics.scanDuration.observe({ source }, scan.seconds);
  if (scan.findings) metrics.scanFindings.inc({ source }, scan.findings);
  if (scan.bytes) {
    metrics.scanBytes.inc({ source }, scan.bytes);
    if (scan.seconds > 0) metrics.scanBytesPerSecond.observe({ source }, scan.bytes / scan.seconds);
  }
}

/** The same history scanner, counted under `source`. */
export function observedHistoryScanner(scanner: HistoryScanner, metrics: VigilMetrics, source: ScanSource): HistoryScanner {
  return async (gitDir, signal, extra) => {
    const started = performance.now();
    const seconds = (): number => (performance.now() - started) / 1000;
    try {
      const result = await scanner(gitDir, signal, extra);
      observeScan(metrics, source, {
        outcome: signal.aborted ? "interrupted" : "completed",
        seconds: seconds(),
        findings: result.findings.length,
        ...(result.bytesScanned !== undefined ? { bytes: result.bytesScanned } : {}),
      });
      return result;
    } catch (error) {
      observeScan(metrics, source, { outcome: signal.aborted ? "interrupted" : "failed", seconds: seconds() });
      throw error;
    }
  };
}

/** `recordContent`, counted as a `content` scan (bytes: the UTF-8 length of the texts scanned). */
export function observedContentRecorder(record: typeof recordContent, metrics: VigilMetrics): typeof recordContent {
  return async (store, matcher, repo, items) => {
    const started = performance.now();
    try {
      const result = await record(store, matcher, repo, items);
      const bytes = items.reduce((sum, item) => sum + item.texts.reduce((n, text) => n + Buffer.byteLength(text), 0), 0);
      observeScan(metrics, "content", { outcome: "completed", seconds: (performance.now() - started) / 1000, bytes, findings: result.findings });
      return result;
    } catch (error) {
      observeScan(metrics, "content", { outcome: "failed", seconds: (performance.now() - started) / 1000 });
      throw error;
    }
  };
}

/** The same checker, each answer counted by result (a check that throws is not an answer). */
export function observedValidityChecker(checker: ValidityChecker, metrics: VigilMetrics): ValidityChecker {
  return {
    supports: (type) => checker.supports(type),
    async check(input) {
      const outcome = await checker.check(input);
      metrics.validityChecks.inc({ result: outcome.validity });
      return outcome;
    },
  };
}
