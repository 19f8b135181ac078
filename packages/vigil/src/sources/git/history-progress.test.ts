import { defaultConfig } from "../../config/config.js";
import { describe, expect, it } from "vitest";
import { matcherSettingsFromConfig } from "../../scan/matcher-settings.js";
import { openGitRepository } from "./git-repository.js";
import { scanHistory, type HistoryProgress } from "./history-scanner.js";
import { createTempRepository, testGitEnv } from "./temp-repository.js";

const settings = matcherSettingsFromConfig(defaultConfig());
const limits = { maxFileSize: 1024 * 1024, scanBinaries: false };

describe("history scan progress", () => {
  it("counts the commits to walk first: a total that never changes, and every commit done at the end", async () => {
    const repo = createTempRepository();
    for (let i = 0; i < 12; i++) repo.commit(`c${i}`, { [`f${i % 4}.txt`]: `line ${i}\n`.repeat(i + 1) });
    repo.git("checkout", "-q", "-b", "side", "HEAD~5");
    for (let i = 0; i < 3; i++) repo.commit(`s${i}`, { [`side${i}.txt`]: `side ${i}\n` });
    const seen: HistoryProgress[] = [];
    const opened = openGitRepository(repo.dir, testGitEnv())!;
    const result = await scanHistory(opened, {
      settings,
      limits,
      threads: 0,
      countCommits: true,
      onProgress: (p) => seen.push({ ...p }),
    });
    expect(result.stats.extra?.["commits"]).toBe(15);
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen.map((p) => p.commitsTotal))).toEqual(new Set([15]));
    const done = seen.map((p) => p.commitsDone);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(seen.at(-1)).toMatchObject({ commitsDone: 15, commitsTotal: 15 });

    // A range: the commits of the range only.
    const range: HistoryProgress[] = [];
    await scanHistory(opened, {
      settings,
      limits,
      threads: 0,
      revisions: ["main..side"],
      countCommits: true,
      onProgress: (p) => range.push({ ...p }),
    });
    expect(range.at(-1)).toMatchObject({ commitsDone: 3, commitsTotal: 3 });
  });

  it("does not count unless asked", async () => {
    const repo = createTempRepository();
    repo.commit("one", { "a.txt": "a\n" });
    const seen: HistoryProgress[] = [];
    await scanHistory(openGitRepository(repo.dir, testGitEnv())!, {
      settings,
      limits,
      threads: 0,
      onProgress: (p) => seen.push({ ...p }),
    });
    expect(seen.at(-1)?.commitsTotal).toBeUndefined();
    expect(seen.at(-1)?.commitsDone).toBe(1);
  });
});
