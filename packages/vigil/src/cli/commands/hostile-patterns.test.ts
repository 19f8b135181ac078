import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, runCli } from "../../test-support/run-cli.js";

// Custom patterns RE2 keeps linear but slow: thousands of overlapping alternatives scanned 1 MB in
// about a minute. Too large ones are refused when the config loads; the push time budget stops a
// slow scan whatever it is doing.

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "vigil-patterns-"));
  dirs.push(dir);
  return dir;
}

/** `count` overlapping alternatives: each can start at almost any word, so RE2 runs them all at once. */
function overlapping(count: number): string {
  return Array.from({ length: count }, (_, i) => `[a-z0-9]{4,${8 + (i % 7)}}[0-9]${i % 10}`).join("|");
}

function configWith(dir: string, name: string, pattern: string): string {
  const path = join(dir, "vigil.config.yaml");
  writeFileSync(
    path,
    `patterns:\n  custom:\n    - name: ${name}\n      pattern: "(?:${pattern})"\n      push_protection: true\n`,
  );
  return path;
}

/** Text that the overlapping alternatives match all over. */
function wordyText(bytes: number, seed: number): string {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `line ${i} some text with words and numbers ${(i + seed) * 7919} key_${i} token=${(((i + seed) * 2654435761) >>> 0).toString(36)}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join("\n") + "\n";
}

describe("hostile custom patterns", () => {
  it("a pattern of 2,000 alternatives is refused when the config loads, naming the pattern (ERR_CONFIG_PATTERN)", () => {
    const dir = tempDir();
    const config = configWith(dir, "Hostile", overlapping(2000));
    writeFileSync(join(dir, "a.txt"), "nothing\n");
    const result = runCli(["scan", "--no-progress", "-c", config, join(dir, "a.txt")]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^vigil: .*vigil\.config\.yaml: patterns\.custom\[0\] \("Hostile"\): pattern: too large to scan at speed: .*alternatives \(at most 1,000\)/m,
    );
  });

  it("a pattern whose repetitions make its program too large is refused too; the built-in catalog is not", () => {
    const dir = tempDir();
    const config = configWith(dir, "Wide", "(?:[a-z]{100}[0-9]{100}){40}");
    const result = runCli(["scan", "--no-progress", "-c", config, config]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /"Wide"\): pattern: too large to scan at speed: about [\d,]+ RE2 instructions \(at most 20,000\)/,
    );
    // Every built-in pattern compiles under the same limits.
    const builtin = runCli(["patterns", "list"]);
    expect(builtin.status, builtin.stderr).toBe(0);
  });

  it("pre-receive --timeout 3 answers within the budget plus start-up while a slow pattern scans a large push", () => {
    const root = tempDir();
    const bare = join(root, "server.git");
    const clone = join(root, "clone");
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_AUTHOR_NAME: "T",
      GIT_AUTHOR_EMAIL: "t@example.com",
      GIT_COMMITTER_NAME: "T",
      GIT_COMMITTER_EMAIL: "t@example.com",
      CI: "true",
    };
    delete env.VIGIL_REPOSITORY;
    delete env.VIGIL_PUSH_TIMEOUT;
    const git = (cwd: string, ...args: string[]) => {
      const result = spawnSync("git", args, { cwd, env, encoding: "utf8" });
      if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
      return result;
    };
    git(root, "init", "-q", "--bare", "-b", "main", bare);
    git(root, "init", "-q", "-b", "main", clone);
    // Accepted (under the limits) but slow: about a second per MB here, so 16 MB is well past the budget.
    const config = configWith(root, "Slow", overlapping(250));
    for (let f = 0; f < 16; f++) writeFileSync(join(clone, `log${f}.txt`), wordyText(1024 * 1024, f * 100_000));
    git(clone, "add", ".");
    git(clone, "commit", "-qm", "logs");
    const hook = join(bare, "hooks", "pre-receive");
    writeFileSync(
      hook,
      `#!/bin/sh\nexec "${process.execPath}" "${CLI}" pre-receive --timeout 3 --config '${config}'\n`,
    );
    chmodSync(hook, 0o755);
    const started = performance.now();
    const push = spawnSync("git", ["push", "-q", bare, "main"], {
      cwd: clone,
      env,
      encoding: "utf8",
      timeout: 120_000,
    });
    const seconds = (performance.now() - started) / 1000;
    // Fail-open, as on GitHub: the push goes through with a warning that the scan was not complete.
    expect(push.status, push.stderr).toBe(0);
    expect(push.stderr).toContain("ran out of time scanning refs/heads/main");
    // The budget is a bound on the answer, not on the scan: 3 s plus start-up and git's own work,
    // where the whole scan takes tens of seconds.
    expect(seconds).toBeLessThan(3 + 10);
  }, 180_000);
});
