// Builds, reproducibly, a git repository with a long history for the history-scan benchmark:
// real source files of the installed npm packages replayed as commits (additions, edits, renames,
// deletions), a few branches (most merged back, some not), tags, and planted secrets that later
// commits remove. One `git fast-import` stream, so 20,000 commits take seconds, not hours.
//
//   node bench/history/make-repo.mjs [--commits N] [--seed S]   prints the repository path
//
// The repository (bare) and a manifest of what was planted (types, paths, lines, blobs and commits:
// never the secrets) are cached under bench/.cache/, keyed by the parameters and the source files.
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ExampleRandom } from "../../packages/engine/dist/index.js";
import { plantedSecrets } from "../corpus.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(HERE, "..", "..");
export const CACHE_DIR = join(ROOT, "bench", ".cache");
/** Bump when the generator changes what it builds. */
const GENERATOR_VERSION = 1;
const SOURCE_ROOT = join(ROOT, "node_modules");
const SOURCE_FILE = /\.(js|mjs|cjs|ts|json|md)$/;
const MAX_SOURCE_FILE = 64 * 1024;
const START_TIME = 1_577_836_800; // 2020-01-01T00:00:00Z
const AUTHORS = [
  "Ada Moreau",
  "Bilal Haddad",
  "Chen Wei",
  "Dara O'Neill",
  "Emeka Obi",
  "Freya Lund",
  "Gabriel Souza",
  "Hana Kobayashi",
  "Ines Duarte",
  "Jonas Weber",
  "Kavya Rao",
  "Luca Bianchi",
].map((name) => ({ name, email: `${name.toLowerCase().replace(/[^a-z]+/g, ".")}@example.com` }));

/** The js/ts/json/md files of the installed packages, sorted (the replayed content). */
export function listHistorySources() {
  const out = [];
  const visit = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      // Dot entries (.bin, .vite, .package-lock.json) are tooling that changes as tests run.
      if (e.name.startsWith(".")) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) {
        visit(p);
      } else if (e.isFile() && SOURCE_FILE.test(e.name)) {
        const size = statSync(p).size;
        if (size > 0 && size <= MAX_SOURCE_FILE) out.push({ path: p, size });
      }
    }
  };
  visit(SOURCE_ROOT);
  return out;
}

/** Path inside the generated repository for a source file (only characters fast-import never quotes). */
function repoPath(sourcePath, cycle) {
  const rel = relative(SOURCE_ROOT, sourcePath).replace(/node_modules\//g, "");
  const clean = rel.replace(/[^A-Za-z0-9._@+/-]/g, "_");
  return `${cycle === 0 ? "packages" : `packages-${cycle}`}/${clean}`;
}

/**
 * Returns { dir, manifest } for a bare repository with about `commits` commits, built once per
 * parameter set and reused from bench/.cache/ afterwards.
 */
export async function makeHistoryRepo({ commits = 20_000, seed = 4242, log = () => {} } = {}) {
  const sources = listHistorySources();
  if (sources.length < 100)
    throw new Error(`too few source files under ${SOURCE_ROOT} (${sources.length}); run npm install`);
  const sourceKey = createHash("sha256")
    .update(sources.map((s) => `${relative(SOURCE_ROOT, s.path)}:${s.size}`).join("\n"))
    .digest("hex")
    .slice(0, 12);
  const name = `history-v${GENERATOR_VERSION}-c${commits}-s${seed}-${sourceKey}`;
  const base = join(CACHE_DIR, name);
  const manifestPath = join(base, "manifest.json");
  const dir = join(base, "repo.git");
  if (existsSync(manifestPath) && existsSync(dir))
    return { dir, manifest: JSON.parse(readFileSync(manifestPath, "utf8")) };

  // Older builds of these parameters (another generator version or other installed packages) go.
  for (const old of existsSync(CACHE_DIR) ? readdirSync(CACHE_DIR) : []) {
    if (old !== name && old.startsWith("history-") && old.includes(`-c${commits}-s${seed}-`))
      rmSync(join(CACHE_DIR, old), { recursive: true, force: true });
  }
  mkdirSync(base, { recursive: true });
  const started = performance.now();
  log(`building ${name}: ${commits} commits from ${sources.length} source files`);
  const tmp = join(base, `repo.git.tmp-${process.pid}`); // another run may be building the same
  execFileSync("git", ["init", "--bare", "-q", tmp]);
  execFileSync("git", ["-C", tmp, "symbolic-ref", "HEAD", "refs/heads/main"]);
  const marksPath = join(base, `marks-${process.pid}`);
  const child = spawn("git", ["-C", tmp, "fast-import", "--quiet", "--done", `--export-marks=${marksPath}`], {
    stdio: ["pipe", "inherit", "inherit"],
  });
  const exited = new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import exited ${code}`))));
  });
  const stats = await generate({ commits, seed, sources, write: streamWriter(child.stdin) });
  child.stdin.end();
  await exited;

  // Marks to commit ids, for the manifest.
  const marks = new Map();
  for (const line of readFileSync(marksPath, "utf8").split("\n")) {
    const [mark, sha] = line.split(" ");
    if (mark && sha) marks.set(Number(mark.slice(1)), sha);
  }
  for (const p of stats.planted) {
    p.commit = marks.get(p.mark);
    p.removedIn = marks.get(p.removedMark);
    delete p.mark;
    delete p.removedMark;
  }
  // Pack as a server would send it: deltas across versions of a file.
  execFileSync("git", ["-C", tmp, "repack", "-a", "-d", "-q", "--window=10", "--depth=50"]);
  execFileSync("git", ["-C", tmp, "pack-refs", "--all"]);
  const objects = execFileSync(
    "git",
    ["-C", tmp, "cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectsize)"],
    {
      encoding: "utf8",
      maxBuffer: 1 << 30,
    },
  );
  const counts = { commit: 0, tree: 0, blob: 0, tag: 0 };
  let blobBytes = 0;
  for (const line of objects.split("\n")) {
    const [type, size] = line.split(" ");
    if (!type) continue;
    counts[type] = (counts[type] ?? 0) + 1;
    if (type === "blob") blobBytes += Number(size);
  }
  const packBytes = readdirSync(join(tmp, "objects", "pack"))
    .filter((f) => f.endsWith(".pack"))
    .reduce((sum, f) => sum + statSync(join(tmp, "objects", "pack", f)).size, 0);
  const manifest = {
    name,
    generatorVersion: GENERATOR_VERSION,
    commits: stats.commits,
    merges: stats.merges,
    branches: stats.branches,
    tags: stats.tags,
    objects: counts,
    blobBytes,
    packBytes,
    head: execFileSync("git", ["-C", tmp, "rev-parse", "refs/heads/main"], { encoding: "utf8" }).trim(),
    refs: execFileSync("git", ["-C", tmp, "for-each-ref", "--format=%(refname)"], { encoding: "utf8" })
      .trim()
      .split("\n").length,
    planted: stats.planted,
    buildSeconds: (performance.now() - started) / 1000,
  };
  rmSync(marksPath, { force: true });
  if (existsSync(dir))
    rmSync(tmp, { recursive: true, force: true }); // the same build finished first elsewhere
  else renameSync(tmp, dir);
  writeFileSync(`${manifestPath}.${process.pid}`, JSON.stringify(manifest, null, 1));
  renameSync(`${manifestPath}.${process.pid}`, manifestPath);
  log(
    `built in ${manifest.buildSeconds.toFixed(1)} s: ${manifest.commits} commits, ${counts.blob} blobs, ${(blobBytes / 1e6).toFixed(1)} MB of blobs`,
  );
  return { dir, manifest };
}

/** Buffered writes to a stream, honouring back-pressure. Strings are latin1: one char, one byte. */
function streamWriter(stream) {
  let pending = [];
  let size = 0;
  const flush = async () => {
    if (size === 0) return;
    const chunk = Buffer.from(pending.join(""), "latin1");
    pending = [];
    size = 0;
    if (!stream.write(chunk)) await new Promise((resolve) => stream.once("drain", resolve));
  };
  const write = async (text) => {
    pending.push(text);
    size += text.length;
    if (size >= 1 << 20) await flush();
  };
  write.flush = flush;
  return write;
}

function blobSha(content) {
  return createHash("sha1").update(`blob ${content.length}\0`, "latin1").update(content, "latin1").digest("hex");
}

/** Writes the fast-import stream; returns what it built. */
async function generate({ commits, seed, sources, write }) {
  const r = new ExampleRandom(seed);
  const rand = () => r.next() / 2 ** 32;
  const int = (n) => r.next() % n;
  const pick = (array) => array[int(array.length)];
  const secretKinds = plantedSecrets(seed + 1);
  const read = (source) => readFileSync(source.path, "latin1");

  // Donor lines for edits: a fixed sample of the sources.
  const donors = [];
  for (let i = 0; i < 200; i++) donors.push(read(sources[(i * 7919) % sources.length]).split("\n"));

  let nextSource = 0;
  let cycle = 0;
  const takeSource = () => {
    const source = sources[nextSource];
    const path = repoPath(source.path, cycle);
    if (++nextSource === sources.length) {
      nextSource = 0;
      cycle++;
    }
    return { path, content: read(source) };
  };

  let mark = 0;
  let clock = START_TIME;
  let commitCount = 0;
  let merges = 0;
  let tags = 0;
  const planted = [];

  const main = {
    name: "main",
    ref: "refs/heads/main",
    ws: new Map(),
    locked: new Set(),
    active: [],
    tip: 0,
    touched: null,
  };
  const lines = [main];

  function editContent(content) {
    const text = content.split("\n");
    const hunks = 1 + int(3);
    for (let h = 0; h < hunks; h++) {
      const at = int(text.length + 1);
      const remove = Math.min(int(6) + (content.length > 96 * 1024 ? 8 : 0), text.length - at);
      const donor = pick(donors);
      const from = int(Math.max(1, donor.length));
      const insert = donor.slice(from, from + int(9));
      text.splice(at, remove, ...insert);
    }
    return text.join("\n");
  }

  function freePaths(line) {
    const out = [];
    for (const path of line.ws.keys()) if (!line.locked.has(path)) out.push(path);
    return out;
  }

  /** One commit on `line`: normal work plus, when due, planting or removing a secret. */
  async function commit(line, { index, plant = false, merge = null, message = null }) {
    const changes = [];
    const set = (path, content) => {
      line.ws.set(path, content);
      line.touched?.add(path);
      changes.push(`M 100644 inline ${path}\ndata ${content.length}\n${content}\n`);
    };
    const del = (path) => {
      line.ws.delete(path);
      line.touched?.add(path);
      changes.push(`D ${path}\n`);
    };
    let summary = message;
    const thisMark = ++mark;

    if (merge) {
      for (const path of merge.touched) {
        if (line.locked.has(path)) continue;
        const theirs = merge.ws.get(path);
        if (theirs === undefined) {
          if (line.ws.has(path)) del(path);
        } else if (line.ws.get(path) !== theirs) set(path, theirs);
      }
    } else {
      // Removals that are due.
      for (const secret of [...line.active]) {
        if (index < secret.removeAt) continue;
        line.active.splice(line.active.indexOf(secret), 1);
        line.locked.delete(secret.path);
        if (secret.before === null) del(secret.path);
        else set(secret.path, secret.before);
        secret.record.removedMark = thisMark;
        summary ??= pick([
          "Remove credentials committed by mistake",
          "Move secret to environment",
          "chore: drop leaked key",
        ]);
      }
      // Ordinary work.
      const ops = 1 + (rand() < 0.5 ? 1 : 0) + (rand() < 0.25 ? 1 : 0) + (rand() < 0.1 ? 2 : 0);
      for (let o = 0; o < ops; o++) {
        const size = line.ws.size;
        let roll = rand();
        if (size < 300)
          roll = 0.9; // grow first
        else if (size > 3000) roll = roll < 0.5 ? 0.72 : roll; // shrink
        const free = freePaths(line);
        if (roll < 0.62 && free.length > 0) {
          const path = pick(free);
          set(path, editContent(line.ws.get(path)));
          summary ??= `Update ${path.split("/").pop()}`;
        } else if (roll < 0.7 && free.length > 0) {
          const path = pick(free);
          del(path);
          summary ??= `Remove ${path.split("/").pop()}`;
        } else if (roll < 0.78 && free.length > 0) {
          const from = pick(free);
          const parts = from.split("/");
          const base = parts.pop();
          const to =
            rand() < 0.5
              ? [...parts, `${pick(["new", "old", "v2", "impl", "core"])}-${base}`].join("/")
              : [...parts.slice(0, -1), pick(["src", "lib", "internal", "legacy"]), base].join("/");
          if (to === from || line.ws.has(to)) continue;
          const content = line.ws.get(from);
          line.ws.delete(from);
          line.touched?.add(from);
          if (rand() < 0.3) {
            changes.push(`D ${from}\n`);
            set(to, editContent(content));
          } else {
            line.ws.set(to, content);
            line.touched?.add(to);
            changes.push(`R ${from} ${to}\n`);
          }
          summary ??= `Move ${base}`;
        } else {
          const added = takeSource();
          if (line.ws.has(added.path)) continue;
          set(added.path, added.content);
          summary ??= `Add ${added.path.split("/").pop()}`;
        }
      }
      // A secret, when due: in a new config file or inserted as a line of an existing file.
      if (plant) {
        const kind = secretKinds[planted.length % secretKinds.length];
        const secretText = kind.text();
        const free = freePaths(line);
        let path;
        let before;
        let after;
        let lineNo;
        if (rand() < 0.3 || free.length === 0) {
          path = `config/${pick(["prod", "staging", "deploy", "ci", "local"])}-${planted.length}.env`;
          before = null;
          after = `# ${pick(["deployment", "service", "integration"])} settings\nAPP_ENV=production\n${secretText}\nLOG_LEVEL=info\n`;
          lineNo = 3;
        } else {
          path = pick(free);
          before = line.ws.get(path);
          const text = before.split("\n");
          const at = int(text.length);
          text.splice(at, 0, secretText);
          after = text.join("\n");
          lineNo = at + 1;
        }
        set(path, after);
        line.locked.add(path);
        const record = { type: kind.type, path, line: lineNo, blob: blobSha(after), ref: line.ref, mark: thisMark };
        planted.push(record);
        const removeAt = line === main ? index + 1 + int(400) : Infinity; // a branch removes it at 2/3 of its work
        line.active.push({ path, before, removeAt, record });
        summary = pick(["Add deployment config", "wip", "Fix integration settings", "Update service config"]);
      }
    }
    if (changes.length === 0) {
      const added = takeSource();
      set(added.path, added.content);
    }
    clock += 300 + int(7200);
    const author = pick(AUTHORS);
    const committer = rand() < 0.8 ? author : pick(AUTHORS);
    const msg = `${summary ?? "Update"}\n`;
    let out = `commit ${line.ref}\nmark :${thisMark}\nauthor ${author.name} <${author.email}> ${clock} +0000\ncommitter ${committer.name} <${committer.email}> ${clock} +0000\ndata ${msg.length}\n${msg}`;
    if (line.tip) out += `from :${line.tip}\n`;
    if (merge) out += `merge :${merge.tip}\n`;
    await write(out + changes.join("") + "\n");
    line.tip = thisMark;
    commitCount++;
    return thisMark;
  }

  // The plan: branches, tags and planted secrets at fixed points of the sequence.
  const branchCount = Math.max(2, Math.min(8, Math.round(commits / 2500)));
  const branchPlans = [];
  for (let b = 0; b < branchCount; b++) {
    const length = 10 + int(Math.max(10, Math.min(300, Math.floor(commits / 40))));
    const start = Math.floor(commits * (0.02 + 0.8 * rand()));
    const last = b === branchCount - 1;
    branchPlans.push({ start, length, merged: b % 3 !== 2 && !last, secret: b === 2 || last });
  }
  branchPlans.sort((a, b) => a.start - b.start);
  const plantCount = Math.max(6, Math.round(commits / 500));
  const plantAt = [];
  for (let i = 0; i < plantCount; i++) plantAt.push(Math.floor(commits * (0.03 + 0.85 * rand())));
  plantAt.sort((a, b) => a - b);
  const tagEvery = Math.max(50, Math.floor(commits / 10));
  let nextTagAt = tagEvery;

  let branchNo = 0;
  const activeBranches = [];
  let i = 0;
  while (i < commits) {
    // Start branches that are due, once main carries no live secret (a fork would copy it).
    while (branchPlans.length > 0 && branchPlans[0].start <= i && main.active.length === 0 && main.tip) {
      const plan = branchPlans.shift();
      const name = `feature/${pick(["search", "billing", "auth", "export", "sync", "theme", "api-v2", "cache"])}-${++branchNo}`;
      const line = {
        name,
        ref: `refs/heads/${name}`,
        ws: new Map(main.ws),
        locked: new Set(),
        active: [],
        tip: main.tip,
        touched: new Set(),
        plan,
        done: 0,
      };
      if (plan.secret) line.plantAt = Math.floor(plan.length / 3);
      activeBranches.push(line);
      lines.push(line);
    }
    // Finish a branch whose work is done: merge it into main, or leave it unmerged.
    const finished = activeBranches.find((b) => b.done >= b.plan.length && b.active.length === 0);
    if (finished) {
      activeBranches.splice(activeBranches.indexOf(finished), 1);
      if (finished.plan.merged) {
        await commit(main, { index: i, merge: finished, message: `Merge branch '${finished.name}'` });
        merges++;
        i++;
      }
      continue;
    }
    const onBranch = activeBranches.length > 0 && rand() < 0.35;
    if (onBranch) {
      const line = pick(activeBranches);
      const plant = line.plantAt !== undefined && line.done === line.plantAt;
      if (line.plantAt !== undefined && line.done > Math.floor((2 * line.plan.length) / 3))
        for (const secret of line.active) secret.removeAt = -1;
      await commit(line, { index: i, plant });
      line.done++;
    } else {
      const plant = plantAt.length > 0 && plantAt[0] <= i && main.active.length < 3;
      if (plant) plantAt.shift();
      await commit(main, { index: i, plant });
      if (i >= nextTagAt) {
        nextTagAt += tagEvery;
        tags++;
        const msg = `Release ${tags}\n`;
        const tagger = pick(AUTHORS);
        await write(
          `tag v1.${tags}.0\nfrom :${main.tip}\ntagger ${tagger.name} <${tagger.email}> ${clock} +0000\ndata ${msg.length}\n${msg}\n`,
        );
        if (tags % 2 === 0) await write(`reset refs/tags/deploy-${tags}\nfrom :${main.tip}\n\n`);
      }
    }
    i++;
  }
  // Whatever is still live is removed in closing commits.
  for (const line of lines) {
    if (line.active.length === 0) continue;
    for (const secret of line.active) secret.removeAt = -1;
    await commit(line, { index: Infinity });
  }
  await write("done\n");
  await write.flush();
  return { commits: commitCount, merges, branches: branchNo, tags, planted };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name, fallback) => {
    const at = process.argv.indexOf(name);
    return at > 0 && process.argv[at + 1] !== undefined ? Number(process.argv[at + 1]) : fallback;
  };
  const { dir, manifest } = await makeHistoryRepo({
    commits: arg("--commits", Number(process.env.VIGIL_BENCH_COMMITS ?? 20_000)),
    seed: arg("--seed", 4242),
    log: (m) => console.error(m),
  });
  console.error(
    `${manifest.commits} commits (${manifest.merges} merges), ${manifest.branches} branches, ${manifest.tags} tags, ${manifest.planted.length} planted secrets`,
  );
  console.log(dir);
}
