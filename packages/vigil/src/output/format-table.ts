import type { FindingRecord } from "./finding-record.js";

/** Locations printed in full per secret; the rest are counted (every format but the table lists them all). */
export const TABLE_LOCATIONS_SHOWN = 20;

/**
 * Human output: one block per secret (records of one `result` are consecutive), what it is first,
 * then every place it was found, with every field of the record. Secrets ranked last say so.
 */
export function formatTable(records: FindingRecord[], color: boolean): string {
  const bold = (s: string): string => (color ? `\x1b[1m${s}\x1b[22m` : s);
  const red = (s: string): string => (color ? `\x1b[31m${s}\x1b[39m` : s);
  const dim = (s: string): string => (color ? `\x1b[2m${s}\x1b[22m` : s);
  const out: string[] = [];
  let lastHeader = false;
  for (let start = 0; start < records.length;) {
    const r = records[start]!;
    let end = start + 1;
    while (end < records.length && records[end]!.result === r.result) end++;
    if (r.ranked_last && !lastHeader) {
      lastHeader = true;
      out.push(
        dim(
          "Generic matches found only in tests, documentation examples or vendored files (usually example values; check them last):",
        ),
        "",
      );
    }
    const title = r.ranked_last ? dim : (s: string): string => red(bold(s));
    out.push(`${title(r.secret_type_display_name)} ${dim(`(${r.secret_type}, result ${r.result})`)}`);
    out.push(`  secret: ${r.secret}`);
    if (r.paired_secret)
      out.push(
        `  with ${r.paired_secret.secret_type}: ${r.paired_secret.secret} (line ${r.paired_secret.start_line}, column ${r.paired_secret.start_column})`,
      );
    out.push(
      dim(
        `  ${r.provider}, ${r.confidence} confidence, ${r.push_protection ? "blocks pushes (push protection)" : "does not block pushes"}`,
      ),
    );
    // Validity belongs to the secret, not to a place: the same for every location.
    if (r.validity)
      out.push(
        `  validity: ${r.validity === "active" ? red(bold(r.validity)) : r.validity} ${dim(`(${r.validity_detail ?? ""})`)}`,
      );
    out.push(`  ${r.result_locations === 1 ? "1 location" : `${r.result_locations} locations`}:`);
    const shown = Math.min(end, start + TABLE_LOCATIONS_SHOWN);
    for (let i = start; i < shown; i++) out.push(...location(records[i]!, dim));
    if (end > shown)
      out.push(`    … and ${end - shown} more location${end - shown === 1 ? "" : "s"} (--format json lists every one)`);
    out.push("");
    start = end;
  }
  return out.join("\n");
}

function location(r: FindingRecord, dim: (s: string) => string): string[] {
  const lines = [
    `  - ${r.path}:${r.start_line}:${r.start_column} ${dim(`to ${r.end_line}:${r.end_column}${r.is_base64_encoded ? ", base64-encoded" : ""}, ${r.path_kind}`)}`,
  ];
  if (r.commit_sha) {
    lines.push(`    commit ${r.commit_sha.slice(0, 12)} by ${r.author_email ?? ""} on ${r.commit_date ?? ""}`);
    lines.push(
      dim(
        `    commit ${r.commit_sha}, blob ${r.blob_sha ?? ""}; author ${r.author_name ?? ""} <${r.author_email ?? ""}> ${r.author_date ?? ""}; committer ${r.committer_name ?? ""} <${r.committer_email ?? ""}> ${r.commit_date ?? ""}`,
      ),
    );
  } else if (r.blob_sha) {
    lines.push(dim(`    blob ${r.blob_sha}`));
  }
  lines.push(`    fingerprint: ${dim(r.fingerprint)}`);
  return lines;
}
