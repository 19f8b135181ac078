/* global fetch */
// Forge webhook latency: from POSTing a signed GitHub `issue_comment` delivery carrying a PyPI-shaped
// token to `vigil serve` until its 200, by which time the alert is recorded (the route scans and
// records before answering). Each delivery carries a new token, so each creates an alert.
//
//   node bench/forge-webhook.mjs [--runs N] [--database-url postgres://…]
//
// Speed is reported, never asserted.
import { spawn, spawnSync } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../packages/vigil/bin/vigil.js", import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg("--runs", "200"));
// PostgreSQL: a fresh database of its own on that server, dropped at the end.
const serverUrl = arg("--database-url", undefined);
let databaseUrl;
const withClient = async (work) => {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
};
const dbName = `vigil_bench_forge_${randomBytes(4).toString("hex")}`;
if (serverUrl) {
  await withClient((c) => c.query(`create database ${dbName}`));
  const u = new URL(serverUrl);
  u.pathname = `/${dbName}`;
  databaseUrl = u.toString();
}
const SECRET = randomBytes(24).toString("hex");

function pypiToken() {
  const alnum = (n) =>
    randomBytes(n)
      .toString("base64")
      .replace(/[^A-Za-z0-9]/g, "a")
      .slice(0, n);
  const body = Buffer.concat([
    Buffer.from([2, 1, 8]),
    Buffer.from("pypi.org"),
    Buffer.from([2, 1, 36]),
    Buffer.from(alnum(36)),
    Buffer.from([0, 0, 6, 32]),
    Buffer.from(alnum(32)),
  ]);
  return `pypi-${body.toString("base64url")}`;
}

const dataDir = mkdtempSync(join(tmpdir(), "vigil-bench-forge-"));
const env = {
  ...process.env,
  VIGIL_SECRET_KEY: randomBytes(32).toString("base64"),
  VIGIL_LOG_LEVEL: "warn",
  VIGIL_FORGE_WEBHOOK_SECRET: SECRET,
};
const store = ["--data-dir", dataDir, ...(databaseUrl ? ["--database-url", databaseUrl] : [])];
spawnSync(process.execPath, [CLI, "repo", "add", "acme/site", "--public", ...store], { env });
const child = spawn(process.execPath, [CLI, "serve", "--port", "0", ...store], {
  env,
  stdio: ["ignore", "ignore", "pipe"],
});
const url = await new Promise((resolve, reject) => {
  let err = "";
  child.stderr.on("data", (c) => {
    err += c;
    const m = /serving (http:\/\/\S+)/.exec(err);
    if (m) resolve(m[1]);
  });
  child.once("exit", (code) => reject(new Error(`vigil serve exited ${code}: ${err}`)));
});

const times = [];
for (let i = 0; i < runs; i++) {
  const payload = JSON.stringify({
    action: "created",
    issue: {
      number: 1,
      title: "t",
      body: null,
      url: "https://forge.test/api/v3/repos/acme/site/issues/1",
      html_url: "https://forge.test/acme/site/issues/1",
    },
    comment: {
      id: i + 1,
      body: `twine upload --password ${pypiToken()}`,
      url: `https://forge.test/api/v3/repos/acme/site/issues/comments/${i + 1}`,
      html_url: `https://forge.test/acme/site/issues/1#issuecomment-${i + 1}`,
    },
    repository: { full_name: "acme/site" },
  });
  const start = performance.now();
  const res = await fetch(`${url}/webhooks/forge`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "issue_comment",
      "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(payload).digest("hex")}`,
    },
    body: payload,
  });
  const json = await res.json();
  times.push(performance.now() - start);
  if (res.status !== 200 || json.alerts_created.length !== 1)
    throw new Error(`delivery ${i}: ${res.status} ${JSON.stringify(json)}`);
}
child.kill("SIGTERM");
await new Promise((r) => child.once("exit", r));
rmSync(dataDir, { recursive: true, force: true });
if (serverUrl) await withClient((c) => c.query(`drop database if exists ${dbName} with (force)`));
times.sort((a, b) => a - b);
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
console.log(
  `forge webhook → alert (${databaseUrl ? "postgres" : "sqlite"}, ${runs} deliveries): median ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`,
);
