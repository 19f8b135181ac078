import type { ReportedFinding } from "../sources/types.js";
import { pathKind, type PathKind } from "./path-kind.js";

/**
 * One secret and every place it was found: what a report lists once, as GitHub lists one alert per
 * secret with its locations. A history scan finds the same test password in hundreds of blobs;
 * reporting it hundreds of times buries the one real key.
 */
export interface SecretResult {
  /** 1-based, in report order. */
  number: number;
  /** Every location, in the order the scan found them. */
  findings: ReportedFinding[];
  /** The kind of each finding's path, index for index. */
  pathKinds: PathKind[];
  /**
   * A generic (low-confidence) match whose every location is a test, documentation example or
   * vendored file: reported, but after the others, since such matches are nearly always example
   * values. A provider's token is never ranked last, wherever it is: its format alone makes it real.
   */
  rankedLast: boolean;
}

/** How the results of a report divide, for the summary. */
export interface ResultCounts {
  secrets: number;
  locations: number;
  /** Secrets ranked last (see SecretResult.rankedLast). */
  rankedLast: number;
}

/**
 * Groups findings by secret (type, value and paired value: the same key id with another secret key
 * is another credential) and orders the groups: provider and custom types first, then generic matches
 * in ordinary files, then the ones ranked last; the scan's order within each.
 */
export function groupBySecret(findings: readonly ReportedFinding[]): SecretResult[] {
  const groups = new Map<string, ReportedFinding[]>();
  for (const reported of findings) {
    const { finding } = reported;
    const key = [finding.secretType, finding.secret.reveal(), finding.paired?.secret.reveal() ?? ""].join("\0");
    const group = groups.get(key);
    if (group) group.push(reported);
    else groups.set(key, [reported]);
  }
  const results = [...groups.values()].map((group, order) => {
    const pathKinds = group.map((f) => pathKind(f.location.path));
    const low = group[0]!.finding.confidence !== "high";
    return { order, low, findings: group, pathKinds, rankedLast: low && pathKinds.every((k) => k !== "code") };
  });
  const tier = (r: { low: boolean; rankedLast: boolean }): number => (r.rankedLast ? 2 : r.low ? 1 : 0);
  results.sort((a, b) => tier(a) - tier(b) || a.order - b.order);
  return results.map(({ findings: group, pathKinds, rankedLast }, i) => ({
    number: i + 1,
    findings: group,
    pathKinds,
    rankedLast,
  }));
}

export function countResults(results: readonly SecretResult[]): ResultCounts {
  return {
    secrets: results.length,
    locations: results.reduce((n, r) => n + r.findings.length, 0),
    rankedLast: results.filter((r) => r.rankedLast).length,
  };
}
