// Scans files the way `vigil scan` does: the whole built-in catalog (generic patterns included, as by
// default), the same size, binary and LFS rules. Findings come back as plain data with masked values.
import { readFileSync } from "node:fs";
import { maskSecret } from "../../packages/engine/dist/index.js";
import { DEFAULT_MAX_FILE_SIZE } from "../../packages/vigil/dist/config/config.js";
import { buildMatcher } from "../../packages/vigil/dist/scan/matcher-settings.js";
import { scanContent } from "../../packages/vigil/dist/scan/scan-content.js";

export function createScanner() {
  const matcher = buildMatcher({ disabled: [], generic: true, custom: [], allowValues: [], allowRegexes: [] });
  const limits = { maxFileSize: DEFAULT_MAX_FILE_SIZE, scanBinaries: false };
  return {
    /** Scans one file's bytes: { outcome, findings }. */
    scan(content) {
      const { outcome, findings } = scanContent(matcher, content, limits);
      // Every secret in the file is masked in every context line, not only the finding's own: by span
      // (which covers base64-encoded ones) and by value.
      const spans = findings.flatMap((f) => [
        [f.startOffset, f.endOffset],
        ...(f.paired ? [[f.paired.startOffset, f.paired.endOffset]] : []),
      ]);
      const secrets = findings.flatMap((f) => [f.secret.reveal(), ...(f.paired ? [f.paired.secret.reveal()] : [])]);
      return { outcome, findings: findings.map((f) => plain(f, content, spans, secrets)) };
    },
    scanFile(path) {
      return this.scan(readFileSync(path));
    },
  };
}

/** A finding as data for the report: the value masked, with its line (the value masked there too) as context. */
function plain(f, content, spans, secrets) {
  const secret = f.secret.reveal();
  const lineStart = content.lastIndexOf(0x0a, f.startOffset - 1) + 1;
  let lineEnd = content.indexOf(0x0a, f.startOffset);
  if (lineEnd < 0) lineEnd = content.length;
  lineEnd = Math.min(lineEnd, lineStart + 400);
  const line = Buffer.from(content.subarray(lineStart, lineEnd));
  let context = "";
  let at = lineStart;
  for (const [start, end] of spans.filter(([s, e]) => s < lineEnd && e > lineStart).sort((a, b) => a[0] - b[0])) {
    if (start < at) continue;
    context += line.toString("utf8", at - lineStart, start - lineStart);
    context += maskSecret(Buffer.from(content.subarray(start, end)).toString("utf8"));
    at = end;
  }
  if (at < lineEnd) context += line.toString("utf8", at - lineStart);
  for (const s of secrets) context = context.split(s).join(maskSecret(s));
  context = context.trim();
  const from = Math.max(0, context.indexOf(maskSecret(secret)) - 60);
  if (context.length > 140) context = `${from > 0 ? "…" : ""}${context.slice(from, from + 140)}…`;
  return {
    type: f.secretType,
    category: f.category,
    start: f.startOffset,
    end: f.endOffset,
    line: f.startLine,
    masked: maskSecret(secret),
    base64: f.isBase64Encoded,
    context,
    ...(f.paired ? { paired: { start: f.paired.startOffset, end: f.paired.endOffset } } : {}),
  };
}
