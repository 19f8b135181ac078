import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../config/config.js";
import { matcherSettingsFromConfig, type MatcherSettings } from "../../scan/matcher-settings.js";
import type { CommitLocation } from "../types.js";
import { openGitRepository, type GitRepository } from "./git-repository.js";
import { scanHistory, type HistoryScanOptions } from "./history-scanner.js";
import { scanStagedBlobs } from "./staged-scanner.js";
import { cloneDir, corruptLooseObject, createTempRepository, testGitEnv, type TempRepository } from "./temp-repository.js";

const r = new ExampleRandom(4004);
const token = (): string => r.githubToken("ghp");
const settings = matcherSettingsFromConfig(defaultConfig());
const limits = { maxFileSize: 1024 * 1024, scanBinaries: false };

function open(dir: string): GitRepository {
  const repo = openGitRepository(dir, testGitEnv());
  if (!repo) throw new Error(`not a repository: ${dir}`);
  return repo;
}

function scan(repo: GitRepository | TempRepository, options: Partial<HistoryScanOptions> = {}) {
  const opened = "git" in repo ? open(repo.dir) : repo;
  return scanHistory(opened, { settings, limits, threads: 0, ...options });
}

function locations(findings: Array<{ location: unknown }>): CommitLocation[] {
  return findings.map((f) => f.location as CommitLocation);
}

describe("scanHistory", () => {
  it("reports a secret added then deleted on a side branch at the commit that added it, with GitHub's location fields", async () => {
    const repo = createTempRepository();
    repo.commit("init", { "README.md": "hello\n" });
    repo.git("checkout", "-q", "-b", "feature");
    const secret = token();
    const added = repo.commit("add config", { "config/app.env": `# app\nGITHUB_TOKEN=${secret}\n` }, { date: "2024-03-04T05:06:07+01:00" });
    repo.remove("config/app.env");
    repo.commit("remove config");
    repo.git("checkout", "-q", "main");

    const { findings, stats } = await scan(repo);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding!.finding.secret.reveal()).toBe(secret);
    expect(finding!.finding).toMatchObject({ secretType: "github_personal_access_token", startLine: 2, startColumn: 14, endLine: 2 });
    expect(finding!.location).toEqual({
      type: "commit",
      path: "config/app.env",
      commitSha: added,
      blobSha: repo.git("rev-parse", `${added}:config/app.env`),
      authorName: "Ada Author",
      authorEmail: "ada@example.com",
      authorDate: "2024-03-04T05:06:07+01:00",
      committerName: "Carl Committer",
      committerEmail: "carl@example.com",
      committerDate: "2024-03-04T05:06:07+01:00",
    });
    expect(stats.extra).toMatchObject({ commits: 3, blobs: 2 });
  });

  it("reports the same blob once per location: a second branch holding it at another path", async () => {
    const repo = createTempRepository();
    repo.commit("init", { "README.md": "hello\n" });
    const content = `token: ${token()}\n`;
    repo.git("checkout", "-q", "-b", "one");
    const first = repo.commit("one", { "a/secret.yml": content });
    repo.git("checkout", "-q", "main");
    repo.git("checkout", "-q", "-b", "two");
    const second = repo.commit("two", { "b/copied.yml": content });
    const { findings, stats } = await scan(repo);
    expect(locations(findings).map((l) => [l.path, l.commitSha])).toEqual([
      ["a/secret.yml", first],
      ["b/copied.yml", second],
    ]);
    expect(new Set(locations(findings).map((l) => l.blobSha)).size).toBe(1);
    expect(stats.extra!["blobs"]).toBe(2); // README and the one secret blob, each read once
  });

  it("gives a clean merge no location of its own, and a merge that changes a file one", async () => {
    const repo = createTempRepository();
    repo.commit("init", { "README.md": "hello\n" });
    repo.git("checkout", "-q", "-b", "side");
    const side = repo.commit("side", { "side.env": `T=${token()}\n` });
    repo.git("checkout", "-q", "main");
    repo.commit("main work", { "main.txt": "x\n" });
    repo.git("merge", "-q", "--no-edit", "side");
    repo.git("checkout", "-q", "-b", "topic");
    repo.commit("topic", { "topic.txt": "t\n" });
    repo.git("checkout", "-q", "main");
    repo.git("merge", "-q", "--no-ff", "--no-commit", "topic");
    repo.write({ "evil.env": `T=${token()}\n` });
    const evil = repo.commit("evil merge");
    const { findings } = await scan(repo);
    expect(locations(findings).map((l) => [l.path, l.commitSha])).toEqual([
      ["evil.env", evil],
      ["side.env", side],
    ]);
  });

  it("walks every ref: tags, pull-request refs, and a bare repository", async () => {
    const repo = createTempRepository();
    repo.commit("init", { "README.md": "hello\n" });
    repo.git("checkout", "-q", "-b", "tmp");
    const tagged = repo.commit("tagged", { "tag.env": `T=${token()}\n` });
    repo.git("tag", "-a", "v1", "-m", "release");
    repo.commit("pull", { "pull.env": `T=${token()}\n` });
    repo.git("update-ref", "refs/pull/7/head", "HEAD");
    repo.git("checkout", "-q", "main");
    repo.git("branch", "-q", "-D", "tmp");
    repo.git("tag", "tree-tag", "HEAD^{tree}");
    const bare = cloneDir(".git");
    execFileSync("git", ["clone", "-q", "--mirror", repo.dir, bare], { env: testGitEnv() });
    for (const dir of [repo.dir, bare]) {
      const { findings } = await scan(open(dir));
      expect(locations(findings).map((l) => l.path)).toEqual(["pull.env", "tag.env"]);
      expect(locations(findings)[1]!.commitSha).toBe(tagged);
    }
    expect(open(bare)).toMatchObject({ bare: true, workTree: undefined });
  });

  it("skips binaries and LFS pointers, and does not buffer blobs over the size limit", async () => {
    const repo = createTempRepository();
    const secret = token();
    repo.commit("files", {
      "image.png": Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]), Buffer.from(` ${secret} `)]),
      "model.bin": `version https://git-lfs.github.com/spec/v1\noid sha256:${"ab".repeat(32)}\nsize 12345\n# ${secret}\n`,
      "big.log": `${"x".repeat(4096)}\n${secret}\n`,
      "ok.txt": "fine\n",
    });
    const { findings, stats } = await scan(repo, { limits: { maxFileSize: 2048, scanBinaries: false } });
    expect(findings).toEqual([]);
    expect(stats).toMatchObject({ skippedBinary: 1, skippedLfs: 1, skippedTooLarge: 1, filesScanned: 1 });
  });

  it("leaves out allowlisted paths", async () => {
    const repo = createTempRepository();
    repo.commit("c", { "test/fixture.env": `T=${token()}\n`, "src/app.env": `T=${token()}\n` });
    const { findings, stats } = await scan(repo, { skipPath: (path) => path.startsWith("test/") });
    expect(locations(findings).map((l) => l.path)).toEqual(["src/app.env"]);
    expect(stats.skippedAllowlisted).toBe(1);
  });

  it("warns about missing and corrupt objects and scans the rest", async () => {
    const repo = createTempRepository();
    const secret = token();
    repo.commit("c", { "gone.txt": "will be missing\n", "corrupt.txt": `${"padding line\n".repeat(800)}`, "live.env": `T=${secret}\n` });
    const gone = repo.git("rev-parse", "HEAD:gone.txt");
    rmSync(join(repo.dir, ".git", "objects", gone.slice(0, 2), gone.slice(2)));
    corruptLooseObject(join(repo.dir, ".git", "objects"), repo.git("rev-parse", "HEAD:corrupt.txt"));
    const { findings, stats } = await scan(repo);
    expect(locations(findings).map((l) => l.path)).toEqual(["live.env"]);
    expect(stats.unreadable).toBe(2);
    expect(stats.warnings.join("\n")).toContain(`1 blob missing from the repository, not scanned: ${gone}`);
    expect(stats.warnings.join("\n")).toMatch(/could not be read/);
  });

  it("scans a partial clone without downloading: blobs not there are counted", async () => {
    const origin = createTempRepository();
    origin.commit("one", { "a.env": `T=${token()}\n` });
    origin.commit("two", { "b.txt": "beta\n" });
    origin.git("config", "uploadpack.allowFilter", "true");
    const clone = cloneDir();
    execFileSync("git", ["clone", "-q", "--filter=blob:none", "--no-checkout", `file://${origin.dir}`, clone], { env: testGitEnv() });
    const repo = open(clone);
    expect(repo.partial).toBe(true);
    const { findings, stats } = await scan(repo);
    expect(findings).toEqual([]);
    expect(stats.unreadable).toBe(2);
    expect(stats.warnings.join("\n")).toContain("partial clone: 2 blobs were not downloaded");
  });

  it("scans a shallow clone to its boundary, with a warning", async () => {
    const origin = createTempRepository();
    origin.commit("one", { "old.env": `T=${token()}\n` });
    origin.commit("two", { "new.env": `T=${token()}\n` });
    const clone = cloneDir();
    execFileSync("git", ["clone", "-q", "--depth=1", `file://${origin.dir}`, clone], { env: testGitEnv() });
    const { findings, stats, state } = await scan(open(clone), { trackState: true });
    expect(locations(findings).map((l) => l.path)).toEqual(["new.env", "old.env"]);
    expect(new Set(locations(findings).map((l) => l.commitSha)).size).toBe(1); // both at the boundary commit
    expect(stats.warnings.join("\n")).toContain("shallow clone");
    // Deepening brings older commits behind the tips scanned: a full scan, with the true locations.
    execFileSync("git", ["fetch", "-q", "--unshallow"], { cwd: clone, env: testGitEnv() });
    const deeper = await scan(open(clone), { trackState: true, previous: state! });
    expect(deeper.mode).toBe("full");
    expect(new Set(locations(deeper.findings).map((l) => l.commitSha)).size).toBe(2);
  });

  it("scans a range, and a single commit as what no remote-tracking ref reaches", async () => {
    const repo = createTempRepository();
    const base = repo.commit("base", { "base.env": `T=${token()}\n` });
    repo.git("update-ref", "refs/remotes/origin/main", base);
    const mid = repo.commit("mid", { "mid.env": `T=${token()}\n` });
    repo.commit("head", { "head.env": `T=${token()}\n` });
    const range = await scan(repo, { revisions: [`${mid}..HEAD`] });
    expect(locations(range.findings).map((l) => l.path)).toEqual(["head.env"]);
    expect(range.mode).toBe("range");
    const notPushed = await scan(repo, { revisions: ["HEAD", "--not", "--remotes"] });
    expect(locations(notPushed.findings).map((l) => l.path)).toEqual(["head.env", "mid.env"]);
  });
});

describe("scanHistory incremental", () => {
  it("reads only new commits, rereads blobs that had findings, and reports the same findings", async () => {
    const repo = createTempRepository();
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`src/file${i}.txt`] = `plain ${i}\n`;
    repo.commit("init", { ...files, "old.env": `T=${token()}\n` });
    repo.commit("more", { "src/file3.txt": "changed\n" });
    const first = await scan(repo, { trackState: true });
    expect(first.mode).toBe("full");
    expect(first.stats.extra).toMatchObject({ commits: 2, blobs: 22 });
    expect(Object.keys(first.state!.findings)).toHaveLength(1);
    expect(JSON.stringify(first.state)).not.toContain(first.findings[0]!.finding.secret.reveal());

    const again = await scan(repo, { trackState: true, previous: first.state! });
    expect(again.mode).toBe("incremental");
    expect(again.stats.extra).toMatchObject({ "new commits": 0, blobs: 1 });
    expect(again.findings.map((f) => f.location)).toEqual(first.findings.map((f) => f.location));

    repo.git("checkout", "-q", "-b", "next");
    const added = repo.commit("new", { "new.env": `T=${token()}\n`, "src/file4.txt": "also changed\n" });
    const third = await scan(repo, { trackState: true, previous: again.state! });
    expect(third.stats.extra).toMatchObject({ "new commits": 1, blobs: 3 });
    expect(locations(third.findings).map((l) => [l.path, l.commitSha === added])).toEqual([
      ["new.env", true],
      ["old.env", false],
    ]);
    expect(Object.keys(third.state!.findings)).toHaveLength(2);
  });

  it("runs a new or changed pattern alone over the old history", async () => {
    const repo = createTempRepository();
    const custom = `acme_${r.lowerAlnum(24)}`;
    repo.commit("init", { "acme.txt": `key = ${custom}\n`, "gh.env": `T=${token()}\n` });
    const first = await scan(repo, { trackState: true });
    expect(first.findings).toHaveLength(1);
    repo.commit("later", { "later.txt": "nothing\n" });
    const withCustom: MatcherSettings = { ...settings, custom: [{ name: "Acme key", pattern: "acme_[a-z0-9]{24}" }] };
    const second = await scan(repo, { settings: withCustom, trackState: true, previous: first.state! });
    expect(second.mode).toBe("incremental");
    expect(second.findings.map((f) => f.finding.secretType).sort()).toEqual(["acme_key", "github_personal_access_token"]);
    expect(second.stats.extra).toMatchObject({ "new commits": 1, "commits rescanned for 1 new or changed pattern": 1 });
    // Now known: a third scan reads nothing new but reports both.
    const third = await scan(repo, { settings: withCustom, trackState: true, previous: second.state! });
    expect(third.findings).toHaveLength(2);
    expect(third.stats.extra).toMatchObject({ "new commits": 0, blobs: 2 });
    expect(third.stats.extra!["commits rescanned for 1 new or changed pattern"]).toBeUndefined();
  });

  it("scans everything again when history was rewritten or settings changed", async () => {
    const repo = createTempRepository();
    repo.commit("one", { "a.env": `T=${token()}\n` });
    repo.commit("two", { "b.txt": "b\n" });
    const first = await scan(repo, { trackState: true });
    repo.git("reset", "-q", "--hard", "HEAD~1");
    repo.commit("two again", { "c.txt": "c\n" });
    const rewritten = await scan(repo, { trackState: true, previous: first.state! });
    expect(rewritten.mode).toBe("full");
    const otherLimits = await scan(repo, { trackState: true, previous: rewritten.state!, limits: { ...limits, maxFileSize: 4096 } });
    expect(otherLimits.mode).toBe("full");
  });
});

describe("scanStagedBlobs", () => {
  it("scans the staged changes only, reporting paths and blob ids", async () => {
    const repo = createTempRepository();
    repo.commit("init", { "old.env": `T=${token()}\n` });
    repo.write({ "staged.env": `T=${token()}\n`, "unstaged.env": `T=${token()}\n` });
    repo.git("add", "staged.env");
    const { findings, stats } = await scanStagedBlobs(open(repo.dir), { settings, limits });
    expect(findings.map((f) => f.location)).toEqual([{ type: "file", path: "staged.env", blobSha: repo.git("rev-parse", ":staged.env") }]);
    expect(stats.extra).toEqual({ "staged files": 1 });
  });
});
