import type { ReportedExplained } from "../sources/types.js";
import type { OutputFormat } from "./format-findings.js";

/** The formats `vigil scan --explain` adds its list to. */
export const EXPLAIN_FORMATS = ["table", "json", "jsonl"] as const satisfies readonly OutputFormat[];

/**
 * A candidate not reported, in output shape (`--format json`'s `explained` array, documented in
 * docs/cli.md): snake_case like the finding records, the secret masked unless `--show-secrets`.
 */
export interface ExplainedRecord {
  secret_type: string;
  secret_type_display_name: string;
  provider: string;
  confidence: string;
  secret: string;
  path: string;
  start_line: number;
  end_line: number;
  start_column: number;
  end_column: number;
  is_base64_encoded: boolean;
  /** Machine-readable: checksum_failed, placeholder, low_entropy, context_absent, … (docs/cli.md lists them). */
  reason: string;
  /** One sentence for people. */
  message: string;
  /** The reason's figures: `{ "entropy": 2.75, "required": 3.5 }`, `{ "test": "known-example", … }`. */
  detail: Record<string, string | number>;
}

export function toExplainedRecord(item: ReportedExplained, showSecrets: boolean): ExplainedRecord {
  const e = item.explained;
  return {
    secret_type: e.secretType,
    secret_type_display_name: e.secretTypeDisplayName,
    provider: e.provider,
    confidence: e.confidence,
    secret: showSecrets ? e.secret.reveal() : e.secret.masked(),
    path: item.path,
    start_line: e.startLine,
    end_line: e.endLine,
    start_column: e.startColumn,
    end_column: e.endColumn,
    is_base64_encoded: e.isBase64Encoded,
    reason: e.reason,
    message: e.message,
    detail: e.detail,
  };
}

/**
 * Adds the explained candidates to a report already formatted: the table gets a block per candidate
 * after its findings; JSON becomes `{ "findings": [...], "explained": [...] }`; JSON Lines gets one
 * `{"explained": {...}}` line per candidate after the findings' lines.
 */
export function appendExplained(
  text: string,
  format: OutputFormat,
  explained: readonly ReportedExplained[],
  options: { showSecrets: boolean; color: boolean },
): string {
  const records = explained.map((e) => toExplainedRecord(e, options.showSecrets));
  switch (format) {
    case "json":
      return JSON.stringify({ findings: JSON.parse(text) as unknown, explained: records }, null, 2) + "\n";
    case "jsonl":
      return text + records.map((r) => JSON.stringify({ explained: r }) + "\n").join("");
    default:
      return text + (text === "" || text.endsWith("\n\n") ? "" : "\n") + formatExplainedTable(records, options.color);
  }
}

function formatExplainedTable(records: ExplainedRecord[], color: boolean): string {
  const bold = (s: string): string => (color ? `\x1b[1m${s}\x1b[22m` : s);
  const dim = (s: string): string => (color ? `\x1b[2m${s}\x1b[22m` : s);
  const out: string[] = [];
  if (records.length === 0) {
    out.push(dim("Not reported (--explain): no string matched a pattern without being reported."), "");
    return out.join("\n");
  }
  out.push(
    bold(
      `Not reported (--explain): ${records.length === 1 ? "1 string matched a pattern" : `${records.length} strings matched a pattern`} but ${records.length === 1 ? "is not a finding" : "are not findings"}:`,
    ),
    "",
  );
  for (const r of records) {
    out.push(`${r.secret_type_display_name} ${dim(`(${r.secret_type})`)}`);
    out.push(`  secret: ${r.secret}`);
    out.push(
      `  - ${r.path}:${r.start_line}:${r.start_column} ${dim(`to ${r.end_line}:${r.end_column}${r.is_base64_encoded ? ", base64-encoded" : ""}`)}`,
    );
    out.push(`  reason: ${r.reason}: ${r.message}`);
    out.push("");
  }
  return out.join("\n");
}
