import type { ReportedFinding, ScanStats } from "../sources/types.js";
import { toFindingRecord, type FindingRecord, type RecordOptions } from "./finding-record.js";
import { formatSarif } from "./format-sarif.js";
import { formatTable } from "./format-table.js";

export const OUTPUT_FORMATS = ["table", "json", "jsonl", "sarif", "csv"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface FormatOptions extends RecordOptions {
  format: OutputFormat;
  toolVersion: string;
  color: boolean;
  stats: ScanStats;
}

export function formatFindings(findings: ReportedFinding[], options: FormatOptions): string {
  const records = findings.map((f) => toFindingRecord(f, options));
  switch (options.format) {
    case "json":
      return JSON.stringify(records, null, 2) + "\n";
    case "jsonl":
      return records.map((r) => JSON.stringify(r) + "\n").join("");
    case "csv":
      return formatCsv(records);
    case "sarif":
      return JSON.stringify(formatSarif(findings, records, options.toolVersion), null, 2) + "\n";
    case "table":
      return formatTable(records, options.color);
  }
}

const CSV_COLUMNS: Array<keyof FindingRecord> = [
  "secret_type",
  "secret_type_display_name",
  "secret",
  "path",
  "start_line",
  "end_line",
  "start_column",
  "end_column",
  "fingerprint",
  "confidence",
  "commit_sha",
  "blob_sha",
  "author_name",
  "author_email",
  "committer_email",
  "commit_date",
];

/** RFC 4180: quote fields with commas, quotes or line breaks; double the quotes. */
function formatCsv(records: FindingRecord[]): string {
  const cell = (value: FindingRecord[keyof FindingRecord]): string => {
    const text = value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [CSV_COLUMNS.join(",")];
  for (const record of records) lines.push(CSV_COLUMNS.map((c) => cell(record[c])).join(","));
  return lines.join("\r\n") + "\r\n";
}
