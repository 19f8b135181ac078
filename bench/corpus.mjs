// Builds the benchmark corpora from real source text: the files of installed npm packages.
// Reproducible: files are taken in sorted order and secrets are synthesised from a fixed seed.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ExampleRandom } from "../packages/engine/dist/index.js";

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(BENCH_DIR, "..");
export const CORPUS_DIR = join(BENCH_DIR, ".corpus");

const SOURCE_ROOTS = [join(ROOT, "node_modules"), "/usr/lib/node_modules"];
const TEXT_FILE = /\.(js|ts|mjs|cjs|jsx|tsx|json|md|cc|h|hpp|c|py|txt|yml|yaml|map|css|html|sh)$/;
const MAX_SOURCE_FILE = 1000 * 1024;
const CORPUS_VERSION = 3;

/** All text source files under the package trees, sorted, with sizes. */
export function listSourceFiles() {
  const out = [];
  const visit = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name === ".bin" || p.includes(`${"/"}bench${"/"}.corpus`)) continue;
        visit(p);
      } else if (e.isFile() && TEXT_FILE.test(e.name)) {
        const size = statSync(p).size;
        if (size > 0 && size <= MAX_SOURCE_FILE) out.push({ path: p, size });
      }
    }
  };
  for (const root of SOURCE_ROOTS) if (existsSync(root)) visit(root);
  return out;
}

/** The secrets planted in corpora: one of each common kind, each with the type it must be reported as. */
export function plantedSecrets(seed = 2024) {
  const r = new ExampleRandom(seed);
  const base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const pemBody = r.base64(1600).match(/.{1,64}/g).join("\n");
  const secrets = [
    { type: "github_personal_access_token", text: () => `const token = "${r.githubToken("ghp")}";` },
    { type: "github_oauth_access_token", text: () => `oauth: ${r.githubToken("gho")}` },
    { type: "github_app_installation_access_token", text: () => `GH_INSTALL=${r.githubToken("ghs")}` },
    { type: "aws_access_key_id", text: () => `aws_access_key_id = AKIA${r.chars(base32, 16)}\naws_secret_access_key = ${r.base64(40)}` },
    { type: "slack_api_token", text: () => `SLACK_BOT_TOKEN=xoxb-${r.digits(12)}-${r.digits(13)}-${r.alnum(24)}` },
    { type: "slack_incoming_webhook_url", text: () => `hook = "https://hooks.slack.com/services/T${r.upperAlnum(10)}/B${r.upperAlnum(10)}/${r.alnum(24)}"` },
    { type: "stripe_api_key", text: () => `Stripe.apiKey = "sk_live_${r.alnum(24)}";` },
    { type: "npm_access_token", text: () => `//registry.npmjs.org/:_authToken=${r.githubToken("npm")}` },
    { type: "google_api_key", text: () => `apiKey: "AIza${r.base64url(35)}",` },
    { type: "rsa_private_key", text: () => `-----BEGIN RSA PRIVATE KEY-----\nMIIEow${pemBody}\n-----END RSA PRIVATE KEY-----` },
    { type: "postgres_connection_string", text: () => `DATABASE_URL=postgres://app:${r.alnum(18)}@db.internal:5432/app` },
  ];
  return secrets;
}

/**
 * The file tree for `vigil scan`: source files copied (and repeated in copy-N folders when the package
 * trees hold fewer) up to `targetFiles` files, with planted secrets appended to known files.
 * Returns { dir, files, bytes, planted: [{ path, line, type }] }.
 */
export function buildTree({ name, targetFiles, targetBytes, maxFileBytes = 64 * 1024 }) {
  const dir = join(CORPUS_DIR, name);
  const manifestPath = join(dir, ".manifest.json");
  const key = `${CORPUS_VERSION}:${targetFiles}:${targetBytes}:${maxFileBytes}`;
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    if (manifest.key === key) return { dir, ...manifest };
  }
  rmSync(dir, { recursive: true, force: true });
  const sources = listSourceFiles().filter((f) => f.size <= maxFileBytes);
  let files = 0;
  let bytes = 0;
  const written = [];
  for (let copy = 0; files < targetFiles && bytes < targetBytes; copy++) {
    for (const source of sources) {
      if (files >= targetFiles || bytes >= targetBytes) break;
      const rel = relative("/", source.path).replace(/node_modules\//g, "nm/");
      const target = join(dir, `copy-${copy}`, rel);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, readFileSync(source.path));
      written.push(target);
      files++;
      bytes += source.size;
    }
  }
  // Plant each secret kind several times, in files spread across the tree.
  const planted = [];
  const secrets = plantedSecrets();
  const picker = new ExampleRandom(99);
  for (let round = 0; round < 3; round++) {
    for (const secret of secrets) {
      const target = written[picker.next() % written.length];
      const before = readFileSync(target, "utf8");
      const prefix = before.endsWith("\n") ? "" : "\n";
      const line = before.split("\n").length + (prefix ? 1 : 0);
      writeFileSync(target, `${before}${prefix}${secret.text()}\n`);
      planted.push({ path: relative(dir, target), line, type: secret.type });
    }
  }
  const manifest = { key, files, bytes, planted };
  writeFileSync(manifestPath, JSON.stringify(manifest));
  // The manifest itself holds no secrets; keep the scanner from walking it anyway.
  writeFileSync(join(dir, ".vigilignore"), ".manifest.json\n");
  return { dir, ...manifest };
}

/** Concatenated source text for in-memory engine runs: the package files as separate buffers. */
export function loadSourceBuffers(maxBytes) {
  const out = [];
  let total = 0;
  for (const f of listSourceFiles()) {
    if (total >= maxBytes) break;
    const buffer = readFileSync(f.path);
    out.push(buffer);
    total += buffer.length;
  }
  return { buffers: out, bytes: total };
}

export function sha256(text) {
  return createHash("sha256").update(text).digest("hex");
}

export function gitVersion() {
  return execFileSync("git", ["--version"], { encoding: "utf8" }).trim();
}
