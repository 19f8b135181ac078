// False alarms on ordinary code: the source of the installed npm packages, which holds no secrets.
// Files are taken in sorted order; identical files (the same bytes at two paths) are scanned once.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_MAX_FILE_SIZE } from "../../packages/vigil/dist/config/config.js";

const SOURCE_FILE = /\.(?:js|mjs|cjs|jsx|ts|mts|cts|tsx|json|md|markdown|yml|yaml|map|css|html|py|sh|c|cc|h|hpp|txt)$/;

/** Text source files under the package trees, sorted, skipping links and our own workspace packages. */
export function listOrdinaryFiles(roots) {
  const out = [];
  const visit = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const p = join(dir, e.name);
      // Symbolic links are not followed: node_modules/@vigil/* link to this repository's own packages.
      if (e.isDirectory()) {
        if (e.name === ".bin" || e.name === "@vigil") continue;
        visit(p);
      } else if (e.isFile() && SOURCE_FILE.test(e.name)) {
        const size = statSync(p).size;
        if (size > 0 && size <= DEFAULT_MAX_FILE_SIZE) out.push({ path: p, size });
      }
    }
  };
  for (const root of roots) if (existsSync(root)) visit(root);
  return out;
}

/** Scans the files; returns { files, unique, bytes, findings: [{ file, ...finding }] }. `display` names a path in the report. */
export function scanOrdinaryCode(scanner, roots, display) {
  const seen = new Set();
  let bytes = 0;
  let unique = 0;
  const files = listOrdinaryFiles(roots);
  const findings = [];
  for (const f of files) {
    const content = readFileSync(f.path);
    const hash = createHash("sha256").update(content).digest("hex");
    if (seen.has(hash)) continue;
    seen.add(hash);
    unique++;
    const { outcome, findings: own } = scanner.scan(content);
    if (outcome !== "scanned") continue;
    bytes += content.length;
    for (const finding of own) findings.push({ file: display(f.path), ...finding });
  }
  return { files: files.length, unique, bytes, findings };
}
