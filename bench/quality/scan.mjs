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
      return { outcome, findings: findings.map((f) => plain(f, content)) };
    },
    scanFile(path) {
      return this.scan(readFileSync(path));
    },
  };
}

/** A finding as data for the report: the value masked, with its line (the value masked there too) as context. */
function plain(f, content) {
  const secret = f.secret.reveal();
  const lineStart = content.lastIndexOf(0x0a, f.startOffset - 1) + 1;
  let lineEnd = content.indexOf(0x0a, f.startOffset);
  if (lineEnd < 0) lineEnd = content.length;
  let context = Buffer.from(content.subarray(lineStart, Math.min(lineEnd, lineStart + 400))).toString("utf8");
  context = context.split(secret).join(maskSecret(secret)).trim();
  const at = Math.max(0, context.indexOf(maskSecret(secret)) - 60);
  if (context.length > 140) context = `${at > 0 ? "…" : ""}${context.slice(at, at + 140)}…`;
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
