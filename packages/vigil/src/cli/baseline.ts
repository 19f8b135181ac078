import { readFileSync, writeFileSync } from "node:fs";
import { VigilError } from "../errors.js";
import { FINGERPRINT_PATTERN, locationFingerprint } from "../output/location-fingerprint.js";
import type { ReportedFinding } from "../sources/types.js";

/** What `--baseline-out` writes: the fingerprints of today's findings, with type and path to read it by. No secret, nothing a secret can be guessed from. */
export interface BaselineFile {
  vigil_baseline: 1;
  created_at: string;
  findings: Array<{ fingerprint: string; secret_type: string; path: string }>;
}

/** Reads a baseline written by `--baseline-out`: the set of its fingerprints. */
export function readBaseline(path: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new VigilError(
      "ERR_SCAN_BASELINE",
      `--baseline: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"} (write one with --baseline-out)`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new VigilError(
      "ERR_SCAN_BASELINE",
      `--baseline: ${path} is not JSON (a baseline is written by vigil scan --baseline-out)`,
    );
  }
  const findings = (data as Partial<BaselineFile> | null)?.findings;
  if (
    typeof data !== "object" ||
    data === null ||
    (data as Partial<BaselineFile>).vigil_baseline !== 1 ||
    !Array.isArray(findings)
  ) {
    throw new VigilError(
      "ERR_SCAN_BASELINE",
      `--baseline: ${path} is not a Vigil baseline (version 1, written by vigil scan --baseline-out)`,
    );
  }
  const fingerprints = new Set<string>();
  findings.forEach((entry: unknown, i) => {
    const fingerprint = (entry as { fingerprint?: unknown } | null)?.fingerprint;
    if (typeof fingerprint !== "string" || !FINGERPRINT_PATTERN.test(fingerprint)) {
      throw new VigilError(
        "ERR_SCAN_BASELINE",
        `--baseline: ${path}: findings[${i}].fingerprint is not a fingerprint (32 hex digits)`,
      );
    }
    fingerprints.add(fingerprint);
  });
  return fingerprints;
}

/** Writes the baseline of these findings: one entry per fingerprint, sorted, so that rewriting it gives a small diff. */
export function writeBaseline(path: string, findings: ReportedFinding[]): number {
  const entries = new Map<string, BaselineFile["findings"][number]>();
  for (const reported of findings) {
    const fingerprint = locationFingerprint(reported);
    if (!entries.has(fingerprint))
      entries.set(fingerprint, {
        fingerprint,
        secret_type: reported.finding.secretType,
        path: reported.location.path.replace(/\\/g, "/"),
      });
  }
  const sorted = [...entries.values()].sort(
    (a, b) =>
      a.path.localeCompare(b.path, "en") ||
      a.secret_type.localeCompare(b.secret_type, "en") ||
      a.fingerprint.localeCompare(b.fingerprint),
  );
  const file: BaselineFile = { vigil_baseline: 1, created_at: new Date().toISOString(), findings: sorted };
  try {
    writeFileSync(path, JSON.stringify(file, null, 2) + "\n");
  } catch (error) {
    throw new VigilError(
      "ERR_SCAN_OUTPUT",
      `--baseline-out: cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
    );
  }
  return sorted.length;
}

/** What the scan leaves out of its report, and why (for the summary). */
export interface Suppressed {
  baseline: number;
  fingerprints: number;
}

/** Drops findings whose fingerprint is in the baseline or in `allowlist.fingerprints`. */
export function suppressKnown(
  findings: ReportedFinding[],
  baseline: Set<string> | undefined,
  allowed: readonly string[],
): { findings: ReportedFinding[]; suppressed: Suppressed } {
  const allow = new Set(allowed);
  const suppressed: Suppressed = { baseline: 0, fingerprints: 0 };
  if (!baseline && allow.size === 0) return { findings, suppressed };
  const kept = findings.filter((reported) => {
    const fingerprint = locationFingerprint(reported);
    if (allow.has(fingerprint)) {
      suppressed.fingerprints++;
      return false;
    }
    if (baseline?.has(fingerprint)) {
      suppressed.baseline++;
      return false;
    }
    return true;
  });
  return { findings: kept, suppressed };
}
