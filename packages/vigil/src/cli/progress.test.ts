import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createTempRepository, testGitEnv } from "../sources/git/temp-repository.js";
import { CLI } from "../test-support/run-cli.js";
import { formatEta } from "./progress.js";
import { countOf, formatSummary } from "./summary.js";
import { emptyStats } from "../sources/types.js";

const hasScript = spawnSync("script", ["--version"]).status === 0;

describe("progress and summary wording", () => {
  it("estimates the time left from the rate so far", () => {
    expect(formatEta(0, 10, 5000)).toBe("–");
    expect(formatEta(5, 10, 5000)).toBe("5s");
    expect(formatEta(1, 100, 2000)).toBe("3m 18s");
    expect(formatEta(1, 10_000, 1000)).toBe("2h 46m");
    expect(formatEta(10, 10, 5000)).toBe("0s");
  });

  it("says 1 file, 1 commit, 1 secret, 1 LFS pointer", () => {
    expect(countOf(1, "file")).toBe("1 file");
    expect(countOf(2, "file")).toBe("2 files");
    const one = { ...emptyStats(), filesScanned: 1, skippedLfs: 1 };
    expect(formatSummary(1, one)).toMatch(
      /^vigil: scanned 1 file \(0\.0 MB\) in 0\.00s: 1 secret found; skipped 1 LFS pointer$/,
    );
    const history = { ...emptyStats(), extra: { commits: 1, blobs: 1, "new commits": 1 } };
    expect(formatSummary(0, history)).toContain("scanned 1 commit, 1 blob, 1 new commit (");
    expect(formatSummary(2, { ...emptyStats(), extra: { commits: 2, blobs: 3 } })).toContain(
      "scanned 2 commits, 3 blobs (",
    );
    expect(formatSummary(3, emptyStats(), { blocking: 1 })).toContain(
      "3 secrets found, 1 of a type push protection blocks (the other 2 are reported, not blocking; --block all blocks every type)",
    );
    expect(formatSummary(2, emptyStats(), { blocking: 1 })).toContain("(the other 1 is reported, not blocking");
    expect(formatSummary(2, emptyStats(), { blocking: 2 })).toMatch(/2 secrets found$/);
    expect(formatSummary(0, emptyStats(), { suppressed: { baseline: 2, fingerprints: 1 }, config: undefined })).toMatch(
      /no secrets found; not reported: 2 in the baseline, 1 allowlisted by fingerprint; config: none$/,
    );
  });

  it.skipIf(!hasScript)("draws a bar with a total counted first and the time left, on a terminal", () => {
    const repo = createTempRepository();
    for (let i = 0; i < 4; i++) repo.commit(`c${i}`, { [`f${i}.txt`]: `${i}\n` });
    const env = testGitEnv({ NO_COLOR: "1" });
    const result = spawnSync("script", ["-qec", `'${process.execPath}' '${CLI}' scan --threads 0 .`, "/dev/null"], {
      cwd: repo.dir,
      env,
      encoding: "utf8",
    });
    const frames = result.stdout
      .split(new RegExp(`\r|${String.fromCharCode(27)}\\[1G`))
      .filter((f) => f.includes("% | "));
    expect(frames.length, result.stdout).toBeGreaterThan(0);
    for (const frame of frames)
      expect(frame).toMatch(/\d+% \| \d\/4 commits \| \d blobs? \| [\d.]+ MB\/s \| \d findings? \| ETA (–|\d+s)/);
    expect(frames.at(-1)).toContain("4/4 commits");
  });
});
