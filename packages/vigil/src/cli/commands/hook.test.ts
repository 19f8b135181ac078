import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExampleRandom } from "vigil-secrets-engine";
import { describe, expect, it } from "vitest";
import { CLI, runCli } from "../../test-support/run-cli.js";
import { BACKUP_SUFFIX, HOOK_MARKER } from "./hook.js";

const r = new ExampleRandom(4711);
const token = r.githubToken("ghp");

/** Git with a fixed identity and no user or system config, so the tests see only what they set up. */
function git(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync("git", args, {
    cwd,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      GIT_AUTHOR_NAME: "Test",
      GIT_AUTHOR_EMAIL: "test@example.com",
      GIT_COMMITTER_NAME: "Test",
      GIT_COMMITTER_EMAIL: "test@example.com",
      NO_COLOR: "1",
      CI: "true",
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function gitOk(cwd: string, ...args: string[]): string {
  const result = git(cwd, ...args);
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout.trim();
}

function newRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), "vigil-hook-"));
  gitOk(dir, "init", "-q", "-b", "main");
  return dir;
}

function write(dir: string, path: string, content: string): void {
  mkdirSync(join(dir, path, ".."), { recursive: true });
  writeFileSync(join(dir, path), content);
}

describe("vigil hook install / uninstall", () => {
  it("installs executable pre-commit and pre-push hooks that call this CLI, and updates them in place", () => {
    const repo = newRepo();
    const first = runCli(["hook", "install"], { cwd: repo });
    expect(first.status).toBe(0);
    for (const name of ["pre-commit", "pre-push"]) {
      const path = join(repo, ".git", "hooks", name);
      const script = readFileSync(path, "utf8");
      expect(script.startsWith("#!/bin/sh\n")).toBe(true);
      expect(script).toContain(`${HOOK_MARKER} ${name}`);
      expect(script).toContain(`VIGIL_CLI='${CLI}'`);
      expect(script).toContain(`VIGIL_NODE='${process.execPath}'`);
      expect(statSync(path).mode & 0o111).toBe(0o111);
      expect(first.stderr).toContain(`${name} hook installed: ${path}`);
      expect(spawnSync("sh", ["-n", path]).status).toBe(0);
    }
    const again = runCli(["hook", "install"], { cwd: repo });
    expect(again.status).toBe(0);
    expect(again.stderr).toContain("pre-commit hook updated");
    expect(again.stderr).toContain("pre-push hook updated");
  });

  it("installs only the hook asked for", () => {
    const repo = newRepo();
    expect(runCli(["hook", "install", "--pre-push"], { cwd: repo }).status).toBe(0);
    expect(existsSync(join(repo, ".git", "hooks", "pre-push"))).toBe(true);
    expect(existsSync(join(repo, ".git", "hooks", "pre-commit"))).toBe(false);
  });

  it("refuses to overwrite a foreign hook, naming the file; --force keeps it aside and uninstall puts it back", () => {
    const repo = newRepo();
    const foreign = "#!/bin/sh\necho lint\n";
    const path = join(repo, ".git", "hooks", "pre-commit");
    writeFileSync(path, foreign, { mode: 0o755 });

    const refused = runCli(["hook", "install"], { cwd: repo });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(path);
    expect(refused.stderr).toContain("not installed by Vigil");
    expect(refused.stderr).toContain("--force");
    expect(readFileSync(path, "utf8")).toBe(foreign);
    // Nothing is half installed.
    expect(existsSync(join(repo, ".git", "hooks", "pre-push"))).toBe(false);

    const forced = runCli(["hook", "install", "--force"], { cwd: repo });
    expect(forced.status).toBe(0);
    expect(readFileSync(path, "utf8")).toContain(HOOK_MARKER);
    expect(readFileSync(path + BACKUP_SUFFIX, "utf8")).toBe(foreign);

    const removed = runCli(["hook", "uninstall"], { cwd: repo });
    expect(removed.status).toBe(0);
    expect(readFileSync(path, "utf8")).toBe(foreign);
    expect(existsSync(path + BACKUP_SUFFIX)).toBe(false);
    expect(existsSync(join(repo, ".git", "hooks", "pre-push"))).toBe(false);
    // A foreign hook is never removed.
    expect(runCli(["hook", "uninstall"], { cwd: repo }).stderr).toContain("not installed by Vigil; left alone");
    expect(readFileSync(path, "utf8")).toBe(foreign);
  });

  it("installs where git looks: core.hooksPath, and the shared hooks of a linked worktree", () => {
    const repo = newRepo();
    gitOk(repo, "config", "core.hooksPath", ".githooks");
    expect(runCli(["hook", "install"], { cwd: repo }).status).toBe(0);
    expect(readFileSync(join(repo, ".githooks", "pre-commit"), "utf8")).toContain(HOOK_MARKER);

    const other = newRepo();
    write(other, "README.md", "# readme\n");
    gitOk(other, "add", ".");
    gitOk(other, "commit", "-q", "-m", "init");
    const tree = join(other, "..", `${other.split("/").pop()}-wt`);
    gitOk(other, "worktree", "add", "-q", tree);
    expect(runCli(["hook", "install", "--pre-commit"], { cwd: tree }).status).toBe(0);
    expect(readFileSync(join(other, ".git", "hooks", "pre-commit"), "utf8")).toContain(HOOK_MARKER);
  });

  it("says so outside a git repository", () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-hook-norepo-"));
    const result = runCli(["hook", "install"], { cwd: dir, env: { GIT_CEILING_DIRECTORIES: tmpdir() } });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("is not in a git repository");
  });
});

describe("installed hooks (real git commits and pushes)", () => {
  it("blocks a commit that adds a secret, with the finding masked and how to allow it; a clean commit passes", () => {
    const repo = newRepo();
    expect(runCli(["hook", "install"], { cwd: repo }).status).toBe(0);

    write(repo, "src/app.js", "export const answer = 42;\n");
    gitOk(repo, "add", ".");
    const clean = git(repo, "commit", "-q", "-m", "clean");
    expect(clean.status).toBe(0);
    expect(clean.stderr).toContain("no secrets found");

    write(repo, "config/settings.env", `APP=web\nGITHUB_TOKEN=${token}\n`);
    gitOk(repo, "add", ".");
    const blocked = git(repo, "commit", "-q", "-m", "add settings");
    expect(blocked.status).not.toBe(0);
    const output = blocked.stdout + blocked.stderr;
    expect(output).toContain("GitHub Personal Access Token");
    expect(output).toContain("config/settings.env");
    expect(output).toContain("commit blocked");
    expect(output).toContain("vigil:allow");
    expect(output).toContain("vigil.config.yaml");
    expect(output).toContain("git commit --no-verify");
    expect(output).not.toContain(token);
    expect(gitOk(repo, "rev-list", "--count", "HEAD")).toBe("1");

    // The advice works: an inline allow comment lets the commit through.
    write(repo, "config/settings.env", `APP=web\nGITHUB_TOKEN=${token} # vigil:allow\n`);
    gitOk(repo, "add", ".");
    expect(git(repo, "commit", "-q", "-m", "add settings").status).toBe(0);
    expect(gitOk(repo, "rev-list", "--count", "HEAD")).toBe("2");
  });

  it("scans what `git commit -a` commits (git's temporary index)", () => {
    const repo = newRepo();
    write(repo, "app.env", "APP=web\n");
    gitOk(repo, "add", ".");
    gitOk(repo, "commit", "-q", "-m", "init");
    expect(runCli(["hook", "install", "--pre-commit"], { cwd: repo }).status).toBe(0);
    write(repo, "app.env", `APP=web\nGITHUB_TOKEN=${token}\n`);
    const blocked = git(repo, "commit", "-q", "-a", "-m", "oops");
    expect(blocked.status).not.toBe(0);
    expect(blocked.stderr).toContain("commit blocked");
    expect(gitOk(repo, "rev-list", "--count", "HEAD")).toBe("1");
  });

  it("blocks a push of new commits carrying a secret and leaves the remote ref unchanged; clean pushes and deletions pass", () => {
    const remote = mkdtempSync(join(tmpdir(), "vigil-hook-remote-"));
    gitOk(remote, "init", "-q", "--bare", "-b", "main");
    const repo = newRepo();
    gitOk(repo, "remote", "add", "origin", remote);
    expect(runCli(["hook", "install", "--pre-push"], { cwd: repo }).status).toBe(0);

    write(repo, "src/app.js", "export const answer = 42;\n");
    gitOk(repo, "add", ".");
    gitOk(repo, "commit", "-q", "-m", "clean");
    const first = git(repo, "push", "-q", "origin", "main");
    expect(first.status).toBe(0);
    const remoteBefore = gitOk(remote, "rev-parse", "refs/heads/main");

    // An update of an existing remote branch: only the new commits are scanned.
    write(repo, "deploy.env", `GITHUB_TOKEN=${token}\n`);
    gitOk(repo, "add", ".");
    gitOk(repo, "commit", "-q", "-m", "deploy settings");
    write(repo, "src/app.js", "export const answer = 43;\n");
    gitOk(repo, "commit", "-q", "-a", "-m", "later work");
    const blocked = git(repo, "push", "origin", "main");
    expect(blocked.status).not.toBe(0);
    expect(blocked.stderr).toContain("GitHub Personal Access Token");
    expect(blocked.stderr).toContain("deploy.env");
    expect(blocked.stderr).toContain("push blocked");
    expect(blocked.stderr).toContain("git push --no-verify");
    expect(blocked.stderr).not.toContain(token);
    expect(gitOk(remote, "rev-parse", "refs/heads/main")).toBe(remoteBefore);

    // A new remote branch: every commit not already on a remote-tracking branch is scanned.
    const newBranch = git(repo, "push", "origin", "main:refs/heads/feature");
    expect(newBranch.status).not.toBe(0);
    expect(newBranch.stderr).toContain("push blocked");
    expect(git(remote, "rev-parse", "--verify", "-q", "refs/heads/feature").status).not.toBe(0);

    // Once the secret is gone from the commits, the push passes.
    gitOk(repo, "reset", "-q", "--hard", remoteBefore);
    write(repo, "src/app.js", "export const answer = 44;\n");
    gitOk(repo, "commit", "-q", "-a", "-m", "clean again");
    expect(git(repo, "push", "-q", "origin", "main").status).toBe(0);
    expect(git(repo, "push", "-q", "origin", "main:refs/heads/old").status).toBe(0);
    // A deletion sends no commits and is never blocked.
    expect(git(repo, "push", "-q", "origin", ":refs/heads/old").status).toBe(0);
    expect(gitOk(remote, "rev-parse", "refs/heads/main")).toBe(gitOk(repo, "rev-parse", "HEAD"));
  });
});
