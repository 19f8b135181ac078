import { spawnSync } from "node:child_process";
import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import { displayPathBytes } from "../path-bytes.js";
import { gitEnv } from "./git-env.js";
import { ObjectIdIndex } from "./object-id-index.js";
import { lastErrorLine, runGit } from "./run-git.js";

/** A git repository Vigil scans: a work tree's top level, a bare repository, or a `.git` directory. */
export interface GitRepository {
  /** Where git commands run. */
  cwd: string;
  /** The repository's git directory (shared by all its worktrees). */
  gitDir: string;
  /** The work tree's top level; undefined for a bare repository or a git dir. */
  workTree: string | undefined;
  bare: boolean;
  /** A shallow clone: history stops at the boundary commits. */
  shallow: boolean;
  /** A partial clone (promisor remote): objects may be missing and are never downloaded. */
  partial: boolean;
  /** Base environment for git (see `gitEnv`). */
  env: NodeJS.ProcessEnv;
}

/**
 * Opens `path` as a repository when it is one: the top level of a work tree, a bare repository or a
 * git dir. A subdirectory of a work tree or a plain directory gives undefined (scan it as files),
 * unless `discover` is set: then any directory inside a repository opens it (git's own discovery).
 * `GIT_DIR`/`GIT_WORK_TREE` of the caller are ignored so the path decides; other variables (a
 * hook's temporary index, a pre-receive quarantine) are kept.
 */
export function openGitRepository(
  path: string,
  env: NodeJS.ProcessEnv,
  options: { discover?: boolean } = {},
): GitRepository | undefined {
  const base = { ...env };
  delete base["GIT_DIR"];
  delete base["GIT_WORK_TREE"];
  const cwd = resolve(path);
  const result = spawnSync(
    "git",
    [
      "rev-parse",
      "--is-bare-repository",
      "--is-shallow-repository",
      "--absolute-git-dir",
      "--path-format=absolute",
      "--git-common-dir",
      "--show-toplevel",
    ],
    { cwd, env: gitEnv(base), encoding: "utf8" },
  );
  if (result.error) return undefined;
  const [bare, shallow, absoluteGitDir, commonDir, topLevel] = result.stdout.split("\n");
  if (!absoluteGitDir || !commonDir) return undefined;
  const real = safeRealpath(cwd);
  const workTree = topLevel && result.status === 0 ? topLevel : undefined;
  const isRoot =
    workTree !== undefined
      ? safeRealpath(workTree) === real
      : safeRealpath(absoluteGitDir) === real || safeRealpath(commonDir) === real;
  if (!isRoot && !options.discover) return undefined;
  const config = spawnSync("git", ["config", "--get-regexp", "^(remote\\..+\\.promisor|extensions\\.partialclone)$"], {
    cwd,
    env: gitEnv(base),
    encoding: "utf8",
  });
  const partial = config.stdout
    .split("\n")
    .some((line) => /^extensions\.partialclone \S/i.test(line) || /\.promisor true$/i.test(line));
  return {
    cwd: workTree ?? cwd,
    gitDir: commonDir,
    workTree,
    bare: bare === "true",
    shallow: shallow === "true",
    partial,
    env: base,
  };
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** A ref and the commit it points at (tags peeled). */
export interface RefTip {
  ref: string;
  commit: string;
}

/**
 * Every ref that leads to a commit (branches, tags, remote-tracking refs, pull-request refs, notes,
 * stash) plus a detached HEAD, with tags peeled to their commit. Refs to trees or blobs are left out.
 */
export async function listRefTips(
  repo: GitRepository,
  onUnreadable?: (ref: string, reason: string) => void,
): Promise<RefTip[]> {
  const refs = await runGit(["for-each-ref", "--format=%(objectname) %(refname)"], repo);
  if (refs.code !== 0) throw new Error(`git for-each-ref failed: ${lastErrorLine(refs.stderr)}`);
  const entries = refs.stdout
    .toString("utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => ({ oid: line.slice(0, line.indexOf(" ")), ref: line.slice(line.indexOf(" ") + 1) }));
  const head = await runGit(["rev-parse", "--verify", "--quiet", "HEAD"], repo);
  if (head.code === 0) entries.push({ oid: head.stdout.toString("latin1").trim(), ref: "HEAD" });
  // Each object once (a branch and HEAD often share one); git dies on a corrupt one, and a missing
  // one peels to nothing just as a ref to a tree does: those are told apart and reported.
  const oids = [...new Set(entries.map((e) => e.oid))];
  const refsOf = (oid: string): string =>
    entries
      .filter((e) => e.oid === oid)
      .map((e) => e.ref)
      .join(", ");
  const peeledOids = await peelToCommits(repo, oids, (oid, reason) => onUnreadable?.(refsOf(oid), `${oid}: ${reason}`));
  const notCommits = oids.filter((_, i) => peeledOids[i] === undefined);
  if (notCommits.length > 0 && onUnreadable) {
    const types = await runGit(["cat-file", "--batch-check=%(objectname) %(objecttype)"], {
      ...repo,
      input: notCommits.map((oid) => oid + "\n").join(""),
    });
    const lines = types.stdout.toString("latin1").split("\n");
    notCommits.forEach((oid, i) => {
      if (lines[i]?.endsWith(" missing")) onUnreadable(refsOf(oid), `${oid}: object missing`);
    });
  }
  const byOid = new Map(oids.map((oid, i) => [oid, peeledOids[i]]));
  const peeled = entries.map((e) => byOid.get(e.oid));
  const tips: RefTip[] = [];
  entries.forEach((entry, i) => {
    const commit = peeled[i];
    if (commit) tips.push({ ref: entry.ref, commit });
  });
  return tips;
}

/**
 * Each name peeled to a commit id, or undefined when it is no commit (or missing). One git process for
 * all, unless git dies on a corrupt object (a damaged tag): that name is undefined, `onUnreadable`
 * hears of it, and a new process answers the rest.
 */
export async function peelToCommits(
  repo: GitRepository,
  names: string[],
  onUnreadable?: (name: string, reason: string) => void,
): Promise<Array<string | undefined>> {
  const peeled: Array<string | undefined> = [];
  while (peeled.length < names.length) {
    const rest = names.slice(peeled.length);
    const result = await runGit(["cat-file", "--batch-check=%(objectname) %(objecttype)"], {
      ...repo,
      input: rest.map((name) => `${name}^{commit}\n`).join(""),
    });
    const lines = result.stdout.toString("latin1").split("\n");
    const answered = result.code === 0 ? rest.length : Math.min(rest.length, lines.length - 1);
    for (let i = 0; i < answered; i++) {
      const [oid, type] = (lines[i] ?? "").split(" ");
      peeled.push(type === "commit" ? oid : undefined);
    }
    if (answered < rest.length) {
      // git died on this name's object.
      onUnreadable?.(rest[answered]!, lastErrorLine(result.stderr) || `git cat-file exited with code ${result.code}`);
      peeled.push(undefined);
    }
  }
  return peeled;
}

/** Resolves a revision to a commit id; undefined when it names no commit. */
export async function resolveCommit(repo: GitRepository, revision: string): Promise<string | undefined> {
  if (revision.startsWith("-") || /[\n\r]/.test(revision)) return undefined;
  return (await peelToCommits(repo, [revision]))[0];
}

/** Whether some commit reachable from `oldTips` is not reachable from `newTips` (history was rewritten or refs deleted). */
export async function hasUnreachableCommits(
  repo: GitRepository,
  oldTips: string[],
  newTips: string[],
): Promise<boolean> {
  if (oldTips.length === 0) return false;
  const input = [...oldTips, ...newTips.map((tip) => `^${tip}`)].join("\n") + "\n";
  const result = await runGit(["rev-list", "--max-count=1", "--stdin"], { ...repo, input });
  if (result.code !== 0) return true;
  return result.stdout.length > 0;
}

/**
 * Files of the work tree that differ from HEAD (modified, staged, added) plus untracked files that
 * are not ignored (all untracked files with `includeIgnored`), as paths relative to the top level.
 * Deleted files are left out. Without commits, every file of the work tree.
 */
export async function listUncommittedFiles(
  repo: GitRepository,
  options: { includeIgnored?: boolean } = {},
): Promise<UncommittedFile[]> {
  if (!repo.workTree) return [];
  const paths = new Map<string, Buffer>();
  const head = await runGit(["rev-parse", "--verify", "--quiet", "HEAD"], repo);
  const changed =
    head.code === 0
      ? await runGit(
          [
            "diff",
            "HEAD",
            "--name-only",
            "--no-renames",
            "--diff-filter=d",
            "-z",
            "--no-ext-diff",
            "--ignore-submodules",
          ],
          repo,
        )
      : await runGit(["ls-files", "--cached", "-z"], repo);
  if (changed.code !== 0) throw new Error(`git diff failed: ${lastErrorLine(changed.stderr)}`);
  for (const raw of splitNulBytes(changed.stdout)) paths.set(displayPathBytes(raw), raw);
  const untracked = await runGit(
    ["ls-files", "--others", "-z", ...(options.includeIgnored ? [] : ["--exclude-standard"])],
    repo,
  );
  if (untracked.code !== 0) throw new Error(`git ls-files failed: ${lastErrorLine(untracked.stderr)}`);
  for (const raw of splitNulBytes(untracked.stdout)) paths.set(displayPathBytes(raw), raw);
  return [...paths].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([path, raw]) => ({ path, raw }));
}

/** A path of the work tree: as shown (bytes that are not UTF-8 escaped as \`\\xNN\`), and its bytes relative to the top level. */
export interface UncommittedFile {
  path: string;
  raw: Buffer;
}

/** A blob in the index that differs from HEAD: what `git commit` would record. */
export interface StagedBlob {
  oid: string;
  path: string;
  mode: string;
}

/** The staged changes (`git diff --cached`): added, modified and type-changed files, not deletions or submodules. */
export async function listStagedBlobs(repo: GitRepository): Promise<StagedBlob[]> {
  const result = await runGit(
    ["diff", "--cached", "--raw", "--no-abbrev", "--no-renames", "-z", "--no-ext-diff", "--no-color"],
    repo,
  );
  if (result.code !== 0) throw new Error(`git diff --cached failed: ${lastErrorLine(result.stderr)}`);
  const tokens = splitNul(result.stdout);
  const blobs: StagedBlob[] = [];
  for (let i = 0; i + 1 < tokens.length; i += 2) {
    const fields = tokens[i]!.replace(/^\n*:/, "").split(" ");
    const mode = fields[1] ?? "";
    const oid = fields[3] ?? "";
    if (mode === "000000" || mode === "160000" || /^0+$/.test(oid) || oid === "") continue;
    blobs.push({ oid, path: tokens[i + 1]!, mode });
  }
  return blobs;
}

/**
 * The blobs present in the object database, for partial clones: asking git for a missing one would
 * either download it or (with lazy fetch off) make older git exit, so missing blobs are told apart
 * up front. Lists only what is on disk; never fetches.
 */
export async function listPresentBlobs(repo: GitRepository): Promise<ObjectIdIndex> {
  const result = await runGit(
    ["cat-file", "--batch-all-objects", "--unordered", "--batch-check=%(objecttype) %(objectname)"],
    repo,
  );
  const index = new ObjectIdIndex();
  const text = result.stdout.toString("latin1");
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    if (text.startsWith("blob ", start)) index.add(text.slice(start + 5, end));
    start = end + 1;
  }
  return index;
}

function splitNulBytes(buffer: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (;;) {
    const end = buffer.indexOf(0, start);
    if (end < 0) break;
    parts.push(buffer.subarray(start, end));
    start = end + 1;
  }
  if (start < buffer.length) parts.push(buffer.subarray(start));
  return parts;
}

function splitNul(buffer: Buffer): string[] {
  return splitNulBytes(buffer).map(displayPathBytes);
}
