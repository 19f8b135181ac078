import type { FindingRecord } from "./finding-record.js";

/** Human output: one block per finding, grouped the way a developer fixes them (by file). */
export function formatTable(records: FindingRecord[], color: boolean): string {
  const bold = (s: string): string => (color ? `\x1b[1m${s}\x1b[22m` : s);
  const red = (s: string): string => (color ? `\x1b[31m${s}\x1b[39m` : s);
  const dim = (s: string): string => (color ? `\x1b[2m${s}\x1b[22m` : s);
  const out: string[] = [];
  for (const r of records) {
    out.push(`${red(bold(r.secret_type_display_name))} ${dim(`(${r.secret_type})`)}`);
    out.push(`  ${r.path}:${r.start_line}:${r.start_column}`);
    if (r.commit_sha) out.push(`  commit ${r.commit_sha.slice(0, 12)} by ${r.author_email ?? ""} on ${r.commit_date ?? ""}`);
    out.push(`  secret: ${r.secret}`);
    if (r.paired_secret) out.push(`  with ${r.paired_secret.secret_type}: ${r.paired_secret.secret} (line ${r.paired_secret.start_line})`);
    out.push(`  fingerprint: ${dim(r.fingerprint)}`);
    out.push("");
  }
  return out.join("\n");
}
