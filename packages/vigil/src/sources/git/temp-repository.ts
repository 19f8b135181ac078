import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { deflateSync, inflateSync } from "node:zlib";

/** A throw-away git repository driven by the real git binary, for tests. */
export interface TempRepository {
  dir: string;
  git(...args: string[]): string;
  /** Writes files (relative paths), creating directories. */
  write(files: Record<string, string | Buffer>): void;
  remove(...paths: string[]): void;
  /** Writes files, stages everything and commits; returns the commit id. */
  commit(message: string, files?: Record<string, string | Buffer>, options?: { date?: string }): string;
}

/** A fresh path (not yet existing) to clone into, e.g. `cloneDir(".git")` for a bare clone. */
export function cloneDir(suffix = ""): string {
  return join(mkdtempSync(join(tmpdir(), "vigil-clone-")), `repo${suffix}`);
}

/** Environment for tests' git: no user or system config, fixed identities. */
export function testGitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env["PATH"],
    HOME: tmpdir(),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_AUTHOR_NAME: "Ada Author",
    GIT_AUTHOR_EMAIL: "ada@example.com",
    GIT_COMMITTER_NAME: "Carl Committer",
    GIT_COMMITTER_EMAIL: "carl@example.com",
    ...extra,
  };
}

export function createTempRepository(options: { bare?: boolean; branch?: string } = {}): TempRepository {
  const dir = mkdtempSync(join(tmpdir(), "vigil-git-"));
  const git = (...args: string[]): string =>
    execFileSync("git", args, { cwd: dir, env: testGitEnv(), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trimEnd();
  git("init", "-q", ...(options.bare ? ["--bare"] : []), "-b", options.branch ?? "main");
  let tick = 0;
  const repo: TempRepository = {
    dir,
    git,
    write(files) {
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
    },
    remove(...paths) {
      for (const path of paths) rmSync(join(dir, path), { force: true });
    },
    commit(message, files = {}, commitOptions = {}) {
      repo.write(files);
      git("add", "-A");
      const date = commitOptions.date ?? `2024-01-0${Math.min(9, 1 + Math.floor(tick / 24))}T${String(tick++ % 24).padStart(2, "0")}:00:00+02:00`;
      execFileSync("git", ["commit", "-q", "--allow-empty", "-m", message], {
        cwd: dir,
        env: testGitEnv({ GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }),
        stdio: "ignore",
      });
      return git("rev-parse", "HEAD");
    },
  };
  return repo;
}

/**
 * Damages a loose object's compressed body, leaving its header readable, so git dies while streaming
 * it. `objectsDir` is the repository's `objects` directory. The object must be large enough (a few KB).
 */
export function corruptLooseObject(objectsDir: string, oid: string): void {
  const file = join(objectsDir, oid.slice(0, 2), oid.slice(2));
  const deflated = deflateSync(inflateSync(readFileSync(file)));
  deflated[deflated.length - 10]! ^= 0xff;
  deflated[deflated.length - 200]! ^= 0x55;
  chmodSync(file, 0o644);
  writeFileSync(file, deflated);
}
