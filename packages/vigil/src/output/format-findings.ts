import type { ReportedFinding, ScanStats } from "../sources/types.js";
import { FINDING_RECORD_FIELDS, toFindingRecord, type FindingRecord, type RecordOptions } from "./finding-record.js";
import { formatJunit } from "./format-junit.js";
import { formatSarif } from "./format-sarif.js";
import { formatTable } from "./format-table.js";
import { groupBySecret } from "./secret-results.js";

export const OUTPUT_FORMATS = ["table", "json", "jsonl", "sarif", "csv", "junit"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface FormatOptions extends RecordOptions {
  format: OutputFormat;
  toolVersion: string;
  color: boolean;
  stats: ScanStats;
}

/**
 * Every format renders the same records (toFindingRecord): the same fields under the same names, one
 * per location, in report order (secret by secret, see groupBySecret). The table prints one block per
 * secret; the other formats keep a record per location, so tools that read one place per record
 * keep working, and `result` tells which records are one secret.
 */
export function formatFindings(findings: ReportedFinding[], options: FormatOptions): string {
  const results = groupBySecret(findings);
  const ordered = results.flatMap((r) => r.findings);
  const records = results.flatMap((r) => r.findings.map((_, i) => toFindingRecord(r, i, options)));
  switch (options.format) {
    case "json":
      return JSON.stringify(records, null, 2) + "\n";
    case "jsonl":
      return records.map((r) => JSON.stringify(r) + "\n").join("");
    case "csv":
      return formatCsv(records);
    case "sarif":
      return JSON.stringify(formatSarif(ordered, records, options.toolVersion), null, 2) + "\n";
    case "junit":
      return formatJunit(records, options.stats);
    case "table":
      return formatTable(records, options.color);
  }
}

/** RFC 4180 with a header row of every field: quote fields with commas, quotes or line breaks; double the quotes. `paired_secret` is a JSON cell. */
function formatCsv(records: FindingRecord[]): string {
  const cell = (value: FindingRecord[keyof FindingRecord]): string => {
    const text = value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [FINDING_RECORD_FIELDS.join(",")];
  for (const record of records) lines.push(FINDING_RECORD_FIELDS.map((c) => cell(record[c])).join(","));
  return lines.join("\r\n") + "\r\n";
}
