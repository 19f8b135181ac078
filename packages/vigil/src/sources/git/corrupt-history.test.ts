import { readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../config/config.js";
import { matcherSettingsFromConfig } from "../../scan/matcher-settings.js";
import { runCli } from "../../test-support/run-cli.js";
import type { CommitLocation } from "../types.js";
import { openGitRepository } from "./git-repository.js";
import { scanHistory } from "./history-scanner.js";
import { HistoryWalkError } from "./recovery-walk.js";
import { createTempRepository, testGitEnv, type TempRepository } from "./temp-repository.js";

// Real repositories damaged the ways disks and bad copies damage them: a loose object whose zlib
// stream is garbage, an object removed, a pack cut short. Each kind of object: tree, commit, tag, blob.

const r = new ExampleRandom(1010);
const token = (): string => r.githubToken("ghp");
const settings = matcherSettingsFromConfig(defaultConfig());
const limits = { maxFileSize: 1024 * 1024, scanBinaries: false };

function scan(repo: TempRepository) {
  const opened = openGitRepository(repo.dir, testGitEnv());
  if (!opened) throw new Error("not a repository");
  return scanHistory(opened, { settings, limits, threads: 0, trackState: true });
}

function looseFile(repo: TempRepository, oid: string): string {
  return join(repo.dir, ".git", "objects", oid.slice(0, 2), oid.slice(2));
}

/** Replaces a loose object with bytes that are not a zlib stream. */
function garbage(repo: TempRepository, oid: string): void {
  const file = looseFile(repo, oid);
  chmodSync(file, 0o644);
  writeFileSync(file, "this is not zlib data at all");
}

function removeObject(repo: TempRepository, oid: string): void {
  rmSync(looseFile(repo, oid));
}

function secretsOf(findings: Array<{ finding: { secret: { reveal(): string } } }>): string[] {
  return findings.map((f) => f.finding.secret.reveal()).sort();
}

/**
 * main: c1 adds old/a.env (secret A) and keep/b.env (secret B); c2 adds new.env (secret C); c3 adds
 * late.env (secret D). The tree `old` of c1 holds only A.
 */
function history() {
  const repo = createTempRepository();
  const secrets = { a: token(), b: token(), c: token(), d: token() };
  const c1 = repo.commit("one", { "old/a.env": `A=${secrets.a}\n`, "keep/b.env": `B=${secrets.b}\n` });
  const c2 = repo.commit("two", { "new.env": `C=${secrets.c}\n` });
  const c3 = repo.commit("three", { "late.env": `D=${secrets.d}\n` });
  return { repo, secrets, c1, c2, c3 };
}

describe("a history with corrupt or missing objects", () => {
  it("a corrupt tree (garbage zlib): every secret still reachable is reported and the tree is named", async () => {
    const { repo, secrets, c1 } = history();
    const tree = repo.git("rev-parse", `${c1}:old`);
    garbage(repo, tree);
    const { findings, stats, state } = await scan(repo);
    expect(secretsOf(findings)).toEqual([secrets.b, secrets.c, secrets.d].sort());
    expect(stats.warnings.join("\n")).toContain(`tree of old ${tree} could not be read`);
    expect(stats.unreadable).toBeGreaterThan(0);
    expect(stats.extra!["commits"]).toBe(3);
    // Nothing is remembered as scanned: the next scan tries the whole history again.
    expect(state).toBeUndefined();
  });

  it("git log stopping in the middle of a long history: every commit is counted once and every reachable secret found", async () => {
    const repo = createTempRepository();
    const secrets: string[] = [];
    let damaged = "";
    for (let c = 0; c < 12; c++) {
      const secret = token();
      secrets.push(secret);
      const commit = repo.commit(`c${c}`, { [`d${c % 3}/c${c}.env`]: `T=${secret}\n` });
      if (c === 4) damaged = repo.git("rev-parse", `${commit}:d1`);
    }
    garbage(repo, damaged);
    const { findings, stats } = await scan(repo);
    expect(stats.extra!["commits"]).toBe(12);
    // d1 at c4 (c1.env, c4.env) is unreadable; c7 changes d1 again, and with its parent's d1 unreadable
    // every file of its d1 counts as introduced there: c4.env is still found, at c7.
    expect([...new Set(secretsOf(findings))].sort()).toEqual([...secrets].sort());
    const c7 = repo.git("rev-parse", "main~4");
    expect(findings.filter((f) => f.finding.secret.reveal() === secrets[4]).map((f) => f.location)).toEqual([
      expect.objectContaining({ path: "d1/c4.env", commitSha: c7 }),
    ]);
    expect(stats.warnings.join("\n")).toContain(damaged);
  });

  it("a missing root tree: the other commits are scanned, the commit's own files are skipped with a warning", async () => {
    const { repo, secrets, c2 } = history();
    const root = repo.git("rev-parse", `${c2}^{tree}`);
    removeObject(repo, root);
    const { findings, stats } = await scan(repo);
    // c2's tree is gone, so c3 is compared with nothing: every file of c3's tree counts as introduced
    // there, and new.env's secret is still found (at c3). c1's files are found at c1.
    expect([...new Set(secretsOf(findings))].sort()).toEqual(Object.values(secrets).sort());
    const c3 = repo.git("rev-parse", "main");
    expect(findings.filter((f) => f.finding.secret.reveal() === secrets.c).map((f) => f.location)).toEqual([
      expect.objectContaining({ path: "new.env", commitSha: c3 }),
    ]);
    expect(stats.warnings.join("\n")).toContain(`root tree ${root} could not be read`);
  });

  it("a corrupt commit: its descendants and the commits on other branches are still scanned", async () => {
    const { repo, secrets, c2 } = history();
    repo.git("branch", "side", c2);
    const c1 = repo.git("rev-parse", `${c2}^`);
    garbage(repo, c2);
    const side = createSideCommit(repo, c1);
    const { findings, stats } = await scan(repo);
    // c2 is unreadable; c3 (its child) is compared with nothing, so every file of c3's tree counts as
    // introduced there: new.env's secret is still found, at c3. c1 is reached through the side branch.
    expect(secretsOf(findings)).toEqual(
      expect.arrayContaining([secrets.a, secrets.b, secrets.c, secrets.d, side.secret]),
    );
    const c3 = repo.git("rev-parse", "main");
    expect(findings.find((f) => f.finding.secret.reveal() === secrets.c)!.location).toMatchObject({
      path: "new.env",
      commitSha: c3,
    });
    expect(stats.warnings.join("\n")).toContain(`commit ${c2} could not be read`);
  });

  it("a corrupt annotated tag: the tag is named and the history of every other ref is scanned", async () => {
    const { repo, secrets, c3 } = history();
    // A commit reachable only through the tag, and the tag object damaged.
    repo.git("checkout", "-q", "--detach", c3);
    const tagged = token();
    const hidden = repo.commit("tagged", { "tagged.env": `T=${tagged}\n` });
    repo.git("tag", "-a", "-m", "release", "v1", hidden);
    repo.git("checkout", "-q", "main");
    const tag = repo.git("rev-parse", "v1");
    garbage(repo, tag);
    const { findings, stats } = await scan(repo);
    expect(secretsOf(findings)).toEqual([secrets.a, secrets.b, secrets.c, secrets.d].sort());
    expect(stats.warnings.join("\n")).toMatch(new RegExp(`refs/tags/v1 could not be read \\(${tag}`));
  });

  it("a corrupt blob: that blob is named, every other secret is reported", async () => {
    const { repo, secrets, c2 } = history();
    const blob = repo.git("rev-parse", `${c2}:new.env`);
    garbage(repo, blob);
    const { findings, stats } = await scan(repo);
    expect(secretsOf(findings)).toEqual([secrets.a, secrets.b, secrets.d].sort());
    expect(stats.warnings.join("\n")).toContain(blob);
  });

  it.each(["tree", "commit", "tag", "blob"] as const)(
    "a removed %s object is named, and every secret still reachable is reported",
    async (kind) => {
      const { repo, secrets, c1, c2 } = history();
      repo.git("tag", "-a", "-m", "release", "v1", c2);
      const oid = {
        tree: repo.git("rev-parse", `${c1}:old`),
        commit: c2,
        tag: repo.git("rev-parse", "v1"),
        blob: repo.git("rev-parse", `${c2}:new.env`),
      }[kind];
      removeObject(repo, oid);
      const { findings, stats } = await scan(repo);
      const found = new Set(secretsOf(findings));
      expect(stats.warnings.join("\n")).toContain(oid);
      // What each removal takes away, and no more: the tree holds only A; the blob is C; a removed
      // commit's files are still reached through its child's tree; the tag adds nothing of its own.
      const lost: string[] = { tree: [secrets.a], commit: [], tag: [], blob: [secrets.c] }[kind];
      expect([...found].sort()).toEqual(
        Object.values(secrets)
          .filter((s) => !lost.includes(s))
          .sort(),
      );
    },
  );

  it("a truncated pack: what is still readable is reported, and the scan is never silently clean", async () => {
    const { repo, secrets } = history();
    repo.git("repack", "-a", "-d", "-q");
    repo.git("prune-packed");
    const packDir = join(repo.dir, ".git", "objects", "pack");
    const pack = readdirSync(packDir).find((f) => f.endsWith(".pack"))!;
    const file = join(packDir, pack);
    chmodSync(file, 0o644);
    truncateSync(file, Math.floor(statSync(file).size * 0.6));
    let outcome: { found: string[]; warnings: string } | Error;
    try {
      const { findings, stats } = await scan(repo);
      outcome = { found: secretsOf(findings), warnings: stats.warnings.join("\n") };
    } catch (error) {
      outcome = error as Error;
    }
    if (outcome instanceof Error) {
      expect(outcome).toBeInstanceOf(HistoryWalkError);
    } else {
      // Some objects are gone: the scan says so, and reports what it could read.
      expect(outcome.found.length).toBeLessThan(4);
      expect(outcome.warnings).toMatch(/could not be read|missing/);
      for (const secret of outcome.found) expect(Object.values(secrets)).toContain(secret);
    }
  });

  it("every ref broken: the walk cannot start, and the scan fails instead of reporting clean", async () => {
    const { repo, c3 } = history();
    garbage(repo, c3);
    await expect(scan(repo)).rejects.toBeInstanceOf(HistoryWalkError);
  });
});

describe("vigil scan on a corrupt history", () => {
  it("reports what it reaches with exit 1 and names the skipped tree", () => {
    const { repo, secrets, c1 } = history();
    const tree = repo.git("rev-parse", `${c1}:old`);
    garbage(repo, tree);
    const result = runCli(["scan", "--no-progress", "-f", "json", "--show-secrets", repo.dir]);
    expect(result.status).toBe(1);
    const reported = (JSON.parse(result.stdout) as Array<{ secret: string; location: CommitLocation }>)
      .map((f) => f.secret)
      .sort();
    expect(reported).toEqual(expect.arrayContaining([secrets.b, secrets.c, secrets.d]));
    expect(result.stderr).toContain(tree);
  });

  it("exits 2 with a vigil: line when no commit can be read", () => {
    const { repo, c3 } = history();
    garbage(repo, c3);
    const result = runCli(["scan", "--no-progress", repo.dir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^vigil: cannot walk the history of .*: no ref leads to a readable commit/m);
    expect(result.stderr).not.toContain("no secrets found");
  });
});

function createSideCommit(repo: TempRepository, base: string): { secret: string } {
  const secret = token();
  const current = readFileSync(join(repo.dir, ".git", "HEAD"), "utf8");
  repo.git("checkout", "-q", "-f", "-b", "other", base);
  repo.commit("side", { "side.env": `S=${secret}\n` });
  writeFileSync(join(repo.dir, ".git", "HEAD"), current);
  return { secret };
}
