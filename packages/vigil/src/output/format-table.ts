import type { FindingRecord } from "./finding-record.js";

/** Human output: one block per finding, grouped the way a developer fixes them (by file), with every field of the record. */
export function formatTable(records: FindingRecord[], color: boolean): string {
  const bold = (s: string): string => (color ? `\x1b[1m${s}\x1b[22m` : s);
  const red = (s: string): string => (color ? `\x1b[31m${s}\x1b[39m` : s);
  const dim = (s: string): string => (color ? `\x1b[2m${s}\x1b[22m` : s);
  const out: string[] = [];
  for (const r of records) {
    out.push(`${red(bold(r.secret_type_display_name))} ${dim(`(${r.secret_type})`)}`);
    out.push(
      `  ${r.path}:${r.start_line}:${r.start_column} ${dim(`to ${r.end_line}:${r.end_column}${r.is_base64_encoded ? ", base64-encoded" : ""}`)}`,
    );
    if (r.commit_sha) {
      out.push(`  commit ${r.commit_sha.slice(0, 12)} by ${r.author_email ?? ""} on ${r.commit_date ?? ""}`);
      out.push(
        dim(
          `  commit ${r.commit_sha}, blob ${r.blob_sha ?? ""}; author ${r.author_name ?? ""} <${r.author_email ?? ""}> ${r.author_date ?? ""}; committer ${r.committer_name ?? ""} <${r.committer_email ?? ""}> ${r.commit_date ?? ""}`,
        ),
      );
    } else if (r.blob_sha) {
      out.push(dim(`  blob ${r.blob_sha}`));
    }
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
    if (r.validity) out.push(`  validity: ${r.validity === "active" ? red(bold(r.validity)) : r.validity} ${dim(`(${r.validity_detail ?? ""})`)}`);
    out.push(`  fingerprint: ${dim(r.fingerprint)}`);
    out.push("");
  }
  return out.join("\n");
}
