import { execFileSync } from "node:child_process";
import { closeSync, openSync, readdirSync, renameSync } from "node:fs";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../../config/config.js";
import { matcherSettingsFromConfig } from "../../../scan/matcher-settings.js";
import type { CommitLocation, ReportedFinding } from "../../types.js";
import { openGitRepository, type GitRepository } from "../git-repository.js";
import { scanHistory, type HistoryScanOptions } from "../history-scanner.js";
import { createTempRepository, testGitEnv, type TempRepository } from "../temp-repository.js";
import { readPackIndex } from "./pack-index.js";
import { readPackObject } from "./pack-object.js";
import { OBJ_BLOB, OBJ_OFS_DELTA, OBJ_REF_DELTA, planPack, type PackPlan } from "./pack-plan.js";
import { listPacks, scanPacks } from "./pack-scanner.js";

const r = new ExampleRandom(1718);
const settings = matcherSettingsFromConfig(defaultConfig());
const limits = { maxFileSize: 1024 * 1024, scanBinaries: false };

/** A source file long enough for git to store its revisions as deltas. */
function source(lines: number, seed: string): string {
  return Array.from(
    { length: lines },
    (_, i) => `export function ${seed}${i}(a, b) { return a * ${i} + b; } // ${seed}${i}\n`,
  ).join("");
}

/**
 * A history of many small revisions, as real ones are: secrets inserted into a file, split across
 * an edit (half in old text, half inserted), kept while lines are added around them (copied).
 */
function makeHistory(repo: TempRepository): void {
  let app = source(120, "app");
  let config = source(80, "cfg");
  repo.commit("init", { "src/app.js": app, "src/config.js": config, "README.md": "hello\n" });
  for (let i = 0; i < 30; i++) {
    const at = app.indexOf("\n", (i * 997) % app.length) + 1;
    let added = `export const step${i} = ${i};\n`;
    if (i % 7 === 3) added = `const token${i} = "${r.githubToken("ghp")}";\n`; // inserted
    app = app.slice(0, at) + added + app.slice(at);
    if (i % 10 === 5) {
      // A secret split across the edit: its head is old text, its tail is inserted.
      const secret = r.githubToken("ghs");
      const line = `// cfg${i}`;
      expect(config).toContain(`${line}\n`);
      config = config.replace(`${line}\n`, `${line} ${secret.slice(0, 12)}\n`);
      repo.commit(`half ${i}`, { "src/config.js": config });
      config = config.replace(`${secret.slice(0, 12)}\n`, `${secret}\n`);
    }
    config = `// revision ${i}\n` + config; // everything below is copied, at a new offset and line
    repo.commit(`change ${i}`, { "src/app.js": app, "src/config.js": config });
  }
}

function open(dir: string): GitRepository {
  const repo = openGitRepository(dir, testGitEnv());
  if (!repo) throw new Error(`not a repository: ${dir}`);
  return repo;
}

function plainFindings(findings: ReportedFinding[]): unknown[] {
  return findings.map(({ finding: { secret, paired, ...rest }, location }) => ({
    ...rest,
    secret: secret.reveal(),
    paired: paired?.secret.reveal(),
    location,
  }));
}

async function both(repo: TempRepository, options: Partial<HistoryScanOptions> = {}) {
  const opened = open(repo.dir);
  const viaGit = await scanHistory(opened, { settings, limits, threads: 0, ...options });
  const viaPacks = await scanHistory(opened, { settings, limits, threads: 0, readPacks: true, ...options });
  return { viaGit, viaPacks };
}

function withPlan<T>(repo: TempRepository, fn: (plan: PackPlan, fd: number, oid: (p: number) => string) => T): T[] {
  return listPacks(join(repo.dir, ".git")).map(({ idx, pack }) => {
    const index = readPackIndex(idx);
    const plan = planPack(pack, index);
    const fd = openSync(pack, "r");
    try {
      return fn(plan, fd, (p) =>
        index.oids.toString("hex", plan.indexPositions[p]! * 20, plan.indexPositions[p]! * 20 + 20),
      );
    } finally {
      closeSync(fd);
    }
  });
}

describe("pack reader", () => {
  it.each([
    ["offset deltas", [], OBJ_OFS_DELTA],
    ["reference deltas", ["-c", "repack.useDeltaBaseOffset=false"], OBJ_REF_DELTA],
  ])("reads every blob of a pack with %s as git does", (_, config, kind) => {
    const repo = createTempRepository();
    makeHistory(repo);
    repo.git(...config, "repack", "-adf", "-q");
    const [kinds] = withPlan(repo, (plan, fd, oid) => {
      let blobs = 0;
      for (let p = 0; p < plan.count; p++) {
        if (plan.types[p] !== OBJ_BLOB) continue;
        const expected = execFileSync("git", ["cat-file", "blob", oid(p)], { cwd: repo.dir, env: testGitEnv() });
        expect(readPackObject(fd, plan, p).equals(expected)).toBe(true);
        blobs++;
      }
      const types = repo.git("cat-file", "--batch-all-objects", "--batch-check=%(objecttype)").split("\n");
      expect(blobs).toBe(types.filter((type) => type === "blob").length);
      return new Set(plan.kinds);
    });
    expect(kinds!.has(kind)).toBe(true);
  });

  it("finds in packs, loose objects and a second pack exactly what git cat-file reads give", async () => {
    const repo = createTempRepository();
    makeHistory(repo);
    repo.git("repack", "-adf", "-q");
    const secretInSecondPack = r.githubToken("ghp");
    repo.commit("second pack", { "src/second.js": source(40, "second") + `const t = "${secretInSecondPack}";\n` });
    repo.git("repack", "-d", "-q"); // packs only the new (loose) objects: a second pack
    const secretLoose = r.githubToken("ghp");
    repo.commit("loose", { "src/loose.js": `const t = "${secretLoose}";\n` });
    expect(listPacks(join(repo.dir, ".git"))).toHaveLength(2);

    const { viaGit, viaPacks } = await both(repo);
    expect(plainFindings(viaPacks.findings)).toEqual(plainFindings(viaGit.findings));
    const secrets = viaPacks.findings.map((f) => f.finding.secret.reveal());
    expect(secrets).toContain(secretInSecondPack);
    expect(secrets).toContain(secretLoose);
    // Inserted (4 tokens), split across an edit (3), the two above.
    expect(new Set(secrets).size).toBe(4 + 3 + 2);
    expect(viaPacks.stats.extra).toEqual(viaGit.stats.extra);
    // Every blob but the loose commit's came from the packs.
    expect(viaGit.blobsFromPacks).toBe(0);
    expect(viaPacks.blobsFromPacks).toBe(Number(viaGit.stats.extra!["blobs"]) - 1);
    expect(viaPacks.stats.filesScanned).toBe(viaGit.stats.filesScanned);
    expect(viaPacks.stats.bytesScanned).toBe(viaGit.stats.bytesScanned);
    const paths = new Set(viaPacks.findings.map((f) => (f.location as CommitLocation).path));
    expect([...paths].sort()).toEqual(["src/app.js", "src/config.js", "src/loose.js", "src/second.js"]);
  });

  it("leaves a pack whose index it does not read (version 1) to git, and still finds everything", async () => {
    const repo = createTempRepository();
    makeHistory(repo);
    repo.git("repack", "-adf", "-q");
    const [{ idx, pack }] = listPacks(join(repo.dir, ".git")) as [{ idx: string; pack: string }];
    renameSync(idx, idx + ".v2");
    repo.git("index-pack", "--index-version=1", "-o", idx, pack);
    const scan = await scanPacks(join(repo.dir, ".git"), { settings, limits, threads: 0 });
    expect({ packs: scan.packs, skipped: scan.skippedPacks }).toEqual({ packs: 0, skipped: 1 });

    const { viaGit, viaPacks } = await both(repo);
    expect(viaPacks.findings.length).toBeGreaterThan(0);
    expect(plainFindings(viaPacks.findings)).toEqual(plainFindings(viaGit.findings));
  });

  it("reads a blob whose pack data is damaged through git, which names it", async () => {
    const repo = createTempRepository();
    const secret = r.githubToken("ghp");
    repo.commit("one", { "a.js": source(200, "a") + `const t = "${secret}";\n` });
    repo.git("repack", "-adf", "-q");
    const blob = repo.git("rev-parse", "HEAD:a.js");
    // Damage the blob's compressed bytes in the pack (not its header).
    withPlan(repo, (plan, _fd, oid) => {
      for (let p = 0; p < plan.count; p++) {
        if (oid(p) !== blob) continue;
        const at = plan.dataStarts[p]! + 40;
        execFileSync("sh", [
          "-c",
          `chmod u+w "$1" && printf '\\377\\377\\377\\377' | dd of="$1" bs=1 seek=${at} conv=notrunc status=none`,
          "sh",
          plan.packPath,
        ]);
      }
    });
    const result = await scanHistory(open(repo.dir), { settings, limits, threads: 0, readPacks: true });
    expect(result.findings).toEqual([]);
    expect(result.stats.unreadable).toBeGreaterThan(0);
    expect(result.stats.warnings.join("\n")).toContain(blob);
  });
});

describe("history scan from packs", () => {
  it("finds what the git cat-file path finds on a generated history, with the same locations", async () => {
    const repo = createTempRepository();
    makeHistory(repo);
    repo.git("gc", "-q", "--aggressive");
    expect(readdirSync(join(repo.dir, ".git", "objects", "pack")).some((n) => n.endsWith(".pack"))).toBe(true);
    const { viaGit, viaPacks } = await both(repo);
    expect(viaGit.findings.length).toBeGreaterThan(20);
    expect(viaPacks.blobsFromPacks).toBe(viaGit.stats.extra!["blobs"]);
    expect(plainFindings(viaPacks.findings)).toEqual(plainFindings(viaGit.findings));
    expect(viaPacks.stats.warnings).toEqual(viaGit.stats.warnings);
  });
});
