import type { ScanStats } from "../sources/types.js";
import { FINDING_RECORD_FIELDS, type FindingRecord } from "./finding-record.js";

/**
 * JUnit XML, as CI systems (GitLab, Jenkins, Azure Pipelines, CircleCI) show test reports: one
 * test suite, one failing test case per finding (named after its place, classed by secret type,
 * every field of the record in the failure's text), or one passing case when nothing was found,
 * so the report shows that the scan ran.
 */
export function formatJunit(records: FindingRecord[], stats: ScanStats): string {
  const seconds = (stats.durationMs / 1000).toFixed(3);
  const cases = records.map((r) => {
    const where = `${r.path}:${r.start_line}:${r.start_column}${r.commit_sha ? ` (commit ${r.commit_sha.slice(0, 12)})` : ""}`;
    const details = FINDING_RECORD_FIELDS.filter((f) => r[f] !== undefined)
      .map((f) => `${f}: ${typeof r[f] === "object" ? JSON.stringify(r[f]) : String(r[f])}`)
      .join("\n");
    return (
      `    <testcase classname="${xml(`vigil.${r.secret_type}`)}" name="${xml(where)}" file="${xml(r.path)}" line="${r.start_line}">\n` +
      `      <failure type="${xml(r.secret_type)}" message="${xml(`${r.secret_type_display_name} in ${where}`)}">${xml(details)}</failure>\n` +
      `    </testcase>\n`
    );
  });
  if (cases.length === 0) cases.push(`    <testcase classname="vigil" name="no secrets found" time="${seconds}"/>\n`);
  const counts = `tests="${Math.max(records.length, 1)}" failures="${records.length}" errors="0" skipped="0"`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="vigil" ${counts} time="${seconds}">\n` +
    `  <testsuite name="vigil scan" ${counts} time="${seconds}">\n` +
    cases.join("") +
    `  </testsuite>\n` +
    `</testsuites>\n`
  );
}

/** Escapes text for XML content and attributes; drops characters XML 1.0 cannot carry. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\n/g, "&#10;");
}
