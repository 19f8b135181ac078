import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { describe, expect, it } from "vitest";
import type { FindingRecord } from "../../output/finding-record.js";
import { cloneDir, createTempRepository, testGitEnv, type TempRepository } from "../../sources/git/temp-repository.js";
import { runCli } from "../../test-support/run-cli.js";

const r = new ExampleRandom(4242);
const token = (): string => r.githubToken("ghp");

function vigil(cwd: string, ...args: string[]) {
  return runCli(["scan", ...args], { cwd, env: testGitEnv({ CI: "true", NO_COLOR: "1" }) });
}

function json(cwd: string, ...args: string[]): { status: number | null; findings: FindingRecord[]; stderr: string } {
  const result = vigil(cwd, "-f", "json", ...args);
  if (result.status === 2) throw new Error(result.stderr);
  return { status: result.status, findings: JSON.parse(result.stdout) as FindingRecord[], stderr: result.stderr };
}

/** The counters of the summary line, e.g. { "new commits": 1, blobs: 2, files: 0 }. */
function summary(stderr: string): Record<string, number> {
  const line = stderr.split("\n").find((l) => l.startsWith("vigil: scanned ")) ?? "";
  const what = /^vigil: scanned (.*?) \(/.exec(line)?.[1] ?? "";
  // Keys in the plural whatever the count ("1 commit" is "commits": 1).
  return Object.fromEntries(what.split(", ").map((part) => [part.replace(/^\d+ /, "").replace(/\b(commit|blob|file)\b/, "$1s"), Number(/^\d+/.exec(part)?.[0])]));
}

/** main with a README; `feature` adds a secret then deletes it; `copy` holds the same blob at another path. */
function sideBranchRepo(): { repo: TempRepository; secret: string; added: string; copied: string } {
  const repo = createTempRepository();
  repo.commit("init", { "README.md": "# project\n" });
  repo.git("checkout", "-q", "-b", "feature");
  const secret = token();
  const content = `# service settings\nGITHUB_TOKEN=${secret}\n`;
  const added = repo.commit("add settings", { "config/settings.env": content }, { date: "2024-05-06T07:08:09+02:00" });
  repo.remove("config/settings.env");
  repo.commit("oops, remove settings");
  repo.git("checkout", "-q", "main");
  repo.git("checkout", "-q", "-b", "copy");
  const copied = repo.commit("copy settings", { "deploy/prod.env": content }, { date: "2024-05-07T07:08:09+02:00" });
  repo.git("checkout", "-q", "main");
  return { repo, secret, added, copied };
}

describe("vigil scan of a git repository (built CLI)", () => {
  it("reports a secret added and deleted on a side branch at the commit that added it, and the same blob on another branch as a second location", () => {
    const { repo, secret, added, copied } = sideBranchRepo();
    const { status, findings, stderr } = json(repo.dir);
    expect(status).toBe(1);
    const blob = repo.git("rev-parse", `${added}:config/settings.env`);
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatchObject({
      secret_type: "github_personal_access_token",
      path: "config/settings.env",
      start_line: 2,
      start_column: 14,
      end_column: 53,
      commit_sha: added,
      blob_sha: blob,
      author_name: "Ada Author",
      author_email: "ada@example.com",
      committer_email: "carl@example.com",
      commit_date: "2024-05-06T07:08:09+02:00",
    });
    expect(findings[1]).toMatchObject({ path: "deploy/prod.env", commit_sha: copied, blob_sha: blob, start_line: 2 });
    // A fingerprint names the secret at its place: the copy at another path is another place.
    expect(findings[0]!.fingerprint).not.toBe(findings[1]!.fingerprint);
    expect(summary(stderr)).toMatchObject({ commits: 4, blobs: 2 });
    expect(stderr + JSON.stringify(findings)).not.toContain(secret);
  });

  it("carries the commit fields in CSV, SARIF and the table", () => {
    const { repo, added } = sideBranchRepo();
    const csv = vigil(repo.dir, "-f", "csv").stdout.split("\r\n");
    const header = csv[0]!.split(",");
    const row = csv[1]!.split(",");
    expect(row[header.indexOf("commit_sha")]).toBe(added);
    expect(row[header.indexOf("author_email")]).toBe("ada@example.com");
    expect(row[header.indexOf("commit_date")]).toBe("2024-05-06T07:08:09+02:00");
    const sarif = JSON.parse(vigil(repo.dir, "-f", "sarif").stdout) as { runs: Array<{ results: Array<{ properties?: Record<string, string> }> }> };
    expect(sarif.runs[0]!.results[0]!.properties).toMatchObject({ commit_sha: added, author_email: "ada@example.com" });
    expect(vigil(repo.dir).stdout).toContain(`commit ${added.slice(0, 12)} by ada@example.com on 2024-05-06T07:08:09+02:00`);
  });

  it("scans again incrementally: only new commits are read, blobs with findings are reread, the report is the same", () => {
    const { repo, secret, added } = sideBranchRepo();
    const first = json(repo.dir);
    const state = readFileSync(join(repo.dir, ".git", "vigil", "scan-state.json"), "utf8");
    expect(state).toContain(first.findings[0]!.blob_sha);
    expect(state).not.toContain(secret);
    const second = json(repo.dir);
    expect(second.findings).toEqual(first.findings);
    expect(summary(second.stderr)).toMatchObject({ "new commits": 0, blobs: 1 });

    repo.commit("more docs", { "docs/a.md": "a\n", "docs/b.md": "b\n" });
    const third = json(repo.dir);
    expect(summary(third.stderr)).toMatchObject({ "new commits": 1, blobs: 3 });
    expect(third.findings).toEqual(first.findings);
    const full = json(repo.dir, "--full");
    expect(summary(full.stderr)).toMatchObject({ commits: 5, blobs: 4 });
    expect(full.findings).toEqual(third.findings);
    // Commits the copy branch does not reach: the feature branch and the docs commit.
    const since = json(repo.dir, "--since", "copy");
    expect(summary(since.stderr)).toMatchObject({ commits: 3, blobs: 3 });
    expect(since.findings.map((f) => [f.path, f.commit_sha])).toEqual([["config/settings.env", added]]);
  });

  it("gives the same result on worker threads, also when a new custom pattern is run alone over old history", () => {
    const { repo } = sideBranchRepo();
    const custom = `acme_${r.lowerAlnum(24)}`;
    repo.commit("acme", { "acme.txt": `key = ${custom}\n` });
    const single = json(repo.dir, "--threads", "0", "--full");
    const pooled = json(repo.dir, "--threads", "2", "--full");
    expect(pooled.findings).toEqual(single.findings);
    expect(pooled.findings).toHaveLength(2);
    repo.write({ "vigil.config.yaml": 'patterns:\n  custom:\n    - name: Acme key\n      pattern: "acme_[a-z0-9]{24}"\n' });
    repo.git("add", "vigil.config.yaml");
    repo.commit("config");
    const rescan = json(repo.dir, "--threads", "2");
    expect(summary(rescan.stderr)).toMatchObject({ "new commits": 1, "commits rescanned for 1 new or changed pattern": 5 });
    expect(rescan.findings.map((f) => [f.secret_type, f.path])).toEqual([
      ["acme_key", "acme.txt"],
      ["github_personal_access_token", "config/settings.env"],
      ["github_personal_access_token", "deploy/prod.env"],
    ]);
  });

  it("also scans the work tree's uncommitted files (changed or untracked, not ignored), and only the files with --no-history", () => {
    const repo = createTempRepository();
    repo.commit("init", { ".gitignore": "ignored.env\n", "tracked.txt": "clean\n", "old.env": `T=${token()}\n` });
    repo.write({ "tracked.txt": `now T=${token()}\n`, "untracked.env": `T=${token()}\n`, "ignored.env": `T=${token()}\n` });
    const { findings, stderr } = json(repo.dir);
    expect(findings.map((f) => [f.path, f.commit_sha === undefined])).toEqual([
      ["old.env", false],
      ["tracked.txt", true],
      ["untracked.env", true],
    ]);
    expect(summary(stderr)).toMatchObject({ commits: 1, blobs: 3, files: 2 });
    const filesOnly = json(repo.dir, "--no-history");
    expect(filesOnly.findings.map((f) => [f.path, f.commit_sha])).toEqual([
      ["old.env", undefined],
      ["tracked.txt", undefined],
      ["untracked.env", undefined],
    ]);
    expect(filesOnly.stderr).toMatch(/scanned 4 files/);
  });

  it("scans a bare repository (all refs, pull-request refs and tags included)", () => {
    const { repo } = sideBranchRepo();
    repo.git("checkout", "-q", "-b", "pr");
    repo.commit("pr", { "pr.env": `T=${token()}\n` });
    repo.git("update-ref", "refs/pull/12/head", "HEAD");
    repo.git("checkout", "-q", "main");
    repo.git("tag", "-a", "v1.0", "-m", "release", "feature~1");
    repo.git("branch", "-q", "-D", "pr", "feature", "copy");
    const bare = cloneDir(".git");
    execFileSync("git", ["clone", "-q", "--mirror", repo.dir, bare], { env: testGitEnv() });
    const { status, findings } = json(bare);
    expect(status).toBe(1);
    expect(findings.map((f) => f.path)).toEqual(["config/settings.env", "pr.env"]);
  });

  it("warns about objects missing from a partial or shallow clone, without failing (exit 0 or 1, never 2)", () => {
    const origin = createTempRepository();
    origin.commit("one", { "old.env": `T=${token()}\n` });
    origin.commit("two", { "b.txt": "b\n" });
    origin.git("config", "uploadpack.allowFilter", "true");
    const partial = cloneDir();
    execFileSync("git", ["clone", "-q", "--filter=blob:none", "--no-checkout", `file://${origin.dir}`, partial], { env: testGitEnv() });
    const scanned = vigil(partial);
    expect(scanned.status).toBe(0);
    expect(scanned.stderr).toContain("warning: partial clone: 2 blobs were not downloaded");
    expect(scanned.stderr).toMatch(/2 unreadable/);
    const shallow = cloneDir();
    execFileSync("git", ["clone", "-q", "--depth=1", `file://${origin.dir}`, shallow], { env: testGitEnv() });
    const shallowScan = vigil(shallow);
    expect(shallowScan.status).toBe(1);
    expect(shallowScan.stderr).toContain("warning: shallow clone");
    const broken = createTempRepository();
    broken.commit("c", { "a.txt": "a\n" });
    const blob = broken.git("rev-parse", "HEAD:a.txt");
    rmSync(join(broken.dir, ".git", "objects", blob.slice(0, 2), blob.slice(2)));
    const brokenScan = vigil(broken.dir, "--no-progress");
    expect(brokenScan.status).toBe(0);
    expect(brokenScan.stderr).toContain(`1 blob missing from the repository, not scanned: ${blob}`);
  });

  it("skips binaries and LFS pointers in history, counted in the summary", () => {
    const repo = createTempRepository();
    const secret = token();
    repo.commit("assets", {
      "logo.png": Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]), Buffer.from(secret)]),
      "weights.bin": `version https://git-lfs.github.com/spec/v1\noid sha256:${"cd".repeat(32)}\nsize 99\n${secret}\n`,
    });
    const result = vigil(repo.dir);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/skipped 1 binary, 1 LFS pointer/);
  });
});

describe("vigil scan --staged and --range", () => {
  it("--staged scans what is about to be committed, exit 1 on findings", () => {
    const repo = createTempRepository();
    repo.commit("init", { "committed.env": `T=${token()}\n` });
    repo.write({ "notes.txt": `T=${token()}\n` });
    expect(vigil(repo.dir, "--staged").status).toBe(0);
    repo.write({ "staged.env": `T=${token()}\n` });
    repo.git("add", "staged.env");
    const { status, findings } = json(repo.dir, "--staged");
    expect(status).toBe(1);
    expect(findings.map((f) => [f.path, f.blob_sha])).toEqual([["staged.env", repo.git("rev-parse", ":staged.env")]]);
    // From a subdirectory too, as a hook may run.
    repo.write({ "sub/x.txt": "x\n" });
    expect(vigil(join(repo.dir, "sub"), "--staged").status).toBe(1);
  });

  it("--range A..B scans those commits; --range SHA the commits no remote-tracking branch has", () => {
    const repo = createTempRepository();
    const base = repo.commit("base", { "base.env": `T=${token()}\n` });
    repo.git("update-ref", "refs/remotes/origin/main", base);
    const mid = repo.commit("mid", { "mid.txt": "fine\n" });
    const head = repo.commit("head", { "head.env": `T=${token()}\n` });
    const clean = json(repo.dir, "--range", `${base}..${mid}`);
    expect(clean.status).toBe(0);
    expect(summary(clean.stderr)).toMatchObject({ commits: 1, blobs: 1 });
    const pr = json(repo.dir, "--range", `${mid}..${head}`);
    expect(pr.status).toBe(1);
    expect(pr.findings.map((f) => [f.path, f.commit_sha])).toEqual([["head.env", head]]);
    const newBranch = json(repo.dir, "--range", head);
    expect(newBranch.findings.map((f) => f.path)).toEqual(["head.env"]);
    expect(summary(newBranch.stderr)).toMatchObject({ commits: 2 });
    // --range does not touch the incremental state.
    expect(existsSync(join(repo.dir, ".git", "vigil"))).toBe(false);
  });

  it("rejects a revision that names no commit, and conflicting flags, exit 2", () => {
    const repo = createTempRepository();
    repo.commit("init", { "a.txt": "a\n" });
    const bad = vigil(repo.dir, "--range", "nope..HEAD");
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe(`vigil: --range: "nope" names no commit in ${repo.dir}`);
    expect(vigil(repo.dir, "--range", "--all").status).toBe(2);
    expect(vigil(repo.dir, "--since", "missing").status).toBe(2);
    expect(vigil(repo.dir, "--staged", "--range", "HEAD").stderr).toContain("--staged and --range cannot be used together");
    const notRepo = mkdtempSync(join(tmpdir(), "vigil-plain-"));
    expect(vigil(notRepo, "--staged")).toMatchObject({ status: 2, stderr: expect.stringContaining("is not in a git repository") });
  });
});
