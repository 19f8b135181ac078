import { displayPathBytes } from "../path-bytes.js";
import type { CatFileReader } from "./cat-file-reader.js";
import type { CommitLogHandlers } from "./commit-log.js";
import type { GitRepository } from "./git-repository.js";
import { lastErrorLine, runGit } from "./run-git.js";

export interface RecoveryWalkOptions {
  repo: GitRepository;
  /** A reader of its own (not one a `readAll` is streaming from). */
  reader: CatFileReader;
  /** The revisions `git log` was given. */
  args?: string[];
  stdin?: string[];
  /** Whether `git log` delivered this commit in full before it stopped: not walked again. */
  delivered: (oid: string) => boolean;
  handlers: CommitLogHandlers;
  /** One line per object skipped (names objects, never content). */
  warn: (message: string) => void;
  signal?: AbortSignal;
}

export interface RecoveryWalkResult {
  /** Commits walked here (not counting those `git log` delivered). */
  commits: number;
  /** Objects that could not be read and were skipped. */
  skipped: number;
  /** Whether this commit was walked here. */
  walked(oid: string): boolean;
}

/** The history walk cannot go on: no commit could be listed or read. The scan must fail, not report "clean". */
export class HistoryWalkError extends Error {
  constructor(readonly reason: string) {
    super(`cannot walk the history: ${reason}`);
    this.name = "HistoryWalkError";
  }
}

/**
 * Walks what `git log` could not: git stops the whole walk at the first corrupt or missing commit or
 * tree, which would hide every older secret. This walk lists the commits with `git rev-list` (which
 * reads no trees) or, when a commit itself is broken, follows parents through `cat-file`, and diffs
 * each commit against its parents tree by tree itself, with `-c` semantics (a blob is introduced at a
 * path when it differs there from every parent). An unreadable commit or tree is skipped with a
 * warning naming it; everything else reachable is delivered to the same handlers as `git log`'s.
 */
export async function recoverHistoryWalk(options: RecoveryWalkOptions): Promise<RecoveryWalkResult> {
  const walker = new Walker(options);
  const commits = await walker.listCommits();
  const walked = new Set<string>();
  for (const oid of commits) {
    if (options.signal?.aborted) break;
    if (options.delivered(oid)) continue;
    if (await walker.diffCommit(oid)) walked.add(oid);
  }
  return { commits: walked.size, skipped: walker.skipped, walked: (oid) => walked.has(oid) };
}

interface ParsedCommit {
  tree: string;
  parents: string[];
}

interface TreeEntry {
  mode: string;
  oid: string;
}

class Walker {
  skipped = 0;
  private readonly warned = new Set<string>();
  /** Objects read lately (a commit is read as a child's parent, then as itself). Failures are not kept: they are warned about where they matter. */
  private readonly commitCache = new Map<string, ParsedCommit>();
  private readonly treeCache = new Map<string, Map<string, TreeEntry>>();

  constructor(private readonly options: RecoveryWalkOptions) {}

  async listCommits(): Promise<string[]> {
    const { repo, args, stdin } = this.options;
    const listed = await runGit(["rev-list", ...(stdin ? ["--stdin"] : []), ...(args ?? [])], {
      cwd: repo.cwd,
      env: repo.env,
      ...(stdin ? { input: stdin.map((line) => line + "\n").join("") } : {}),
    });
    if (listed.code === 0) return splitLines(listed.stdout.toString("latin1"));
    const reason = lastErrorLine(listed.stderr) || `git rev-list exited with code ${listed.code}`;
    // A range given as arguments (A..B, --not --remotes) is git's to resolve: without it there is no walk.
    if (!stdin) throw new HistoryWalkError(reason);
    return this.walkParents(stdin, reason);
  }

  /** Commits reachable from the positive tips and not from the `^` ones, following parents through cat-file. */
  private async walkParents(lines: string[], reason: string): Promise<string[]> {
    const positive = lines.filter((line) => !line.startsWith("^"));
    const negative = lines.filter((line) => line.startsWith("^")).map((line) => line.slice(1));
    const excluded = new Set<string>();
    await this.reach(negative, (oid) => excluded.add(oid), excluded);
    const found: string[] = [];
    const seen = new Set<string>(excluded);
    await this.reach(positive, (oid) => found.push(oid), seen);
    if (found.length === 0 && positive.length > 0) throw new HistoryWalkError(`no commit could be read (${reason})`);
    return found;
  }

  private async reach(tips: string[], visit: (oid: string) => void, seen: Set<string>): Promise<void> {
    const stack = [...tips];
    while (stack.length > 0) {
      if (this.options.signal?.aborted) return;
      const oid = stack.pop()!;
      if (seen.has(oid)) continue;
      seen.add(oid);
      const commit = await this.readCommit(oid, true);
      if (!commit) continue;
      visit(oid);
      for (const parent of commit.parents) if (!seen.has(parent)) stack.push(parent);
    }
  }

  /** Reports the commit and the blobs it introduces; false when the commit itself could not be read. */
  async diffCommit(oid: string): Promise<boolean> {
    const commit = await this.readCommit(oid, true);
    if (!commit) return false;
    const parentTrees: Array<string | undefined> = [];
    for (const parent of commit.parents) parentTrees.push((await this.readCommit(parent, false))?.tree);
    this.options.handlers.commit(oid);
    await this.diffTree(commit.tree, commit.parents.length === 0 ? [] : parentTrees, "");
    return true;
  }

  private async diffTree(tree: string, parents: Array<string | undefined>, prefix: string): Promise<void> {
    const entries = await this.readTree(tree, prefix, true);
    if (!entries) return;
    const parentEntries: Array<Map<string, TreeEntry> | undefined> = [];
    for (const parent of parents)
      parentEntries.push(parent === undefined ? undefined : await this.readTree(parent, prefix, false));
    for (const [name, entry] of entries) {
      if (entry.mode === "160000") continue; // a submodule: a commit of another repository
      const before = parentEntries.map((p) => p?.get(name));
      if (before.some((b) => b?.oid === entry.oid)) continue; // same as one parent: introduced by none
      const path = prefix + name;
      if (entry.mode === "40000") {
        await this.diffTree(
          entry.oid,
          before.map((b) => (b?.mode === "40000" ? b.oid : undefined)),
          path + "/",
        );
      } else {
        this.options.handlers.blob(entry.oid, path, entry.mode);
      }
    }
  }

  private async readCommit(oid: string, warn: boolean): Promise<ParsedCommit | undefined> {
    const cached = this.commitCache.get(oid);
    if (cached) return cached;
    const object = await this.options.reader.readObject(oid);
    let parsed: ParsedCommit | undefined;
    if (object.outcome === "found" && object.type === "commit") parsed = parseCommitHeader(object.content!);
    if (!parsed && warn)
      this.skip(
        oid,
        `commit ${oid} could not be read (${object.reason ?? describeType(object.type, "commit")}): its files, and history reached only through it, are not scanned`,
      );
    if (parsed) cacheSet(this.commitCache, oid, parsed);
    return parsed;
  }

  private async readTree(oid: string, prefix: string, warn: boolean): Promise<Map<string, TreeEntry> | undefined> {
    const cached = this.treeCache.get(oid);
    if (cached) return cached;
    const object = await this.options.reader.readObject(oid);
    let entries: Map<string, TreeEntry> | undefined;
    if (object.outcome === "found" && object.type === "tree") entries = parseTree(object.content!, oid.length / 2);
    if (!entries && warn) {
      const where = prefix === "" ? "root tree" : `tree of ${prefix.slice(0, -1)}`;
      this.skip(
        oid,
        `${where} ${oid} could not be read (${object.reason ?? describeType(object.type, "tree")}): the files under it are not scanned`,
      );
    }
    if (entries) cacheSet(this.treeCache, oid, entries);
    return entries;
  }

  private skip(oid: string, message: string): void {
    if (this.warned.has(oid)) return;
    this.warned.add(oid);
    this.skipped++;
    this.options.warn(message);
  }
}

function describeType(type: string, expected: string): string {
  return type === "" ? "unreadable" : `a ${type}, not a ${expected}`;
}

function cacheSet<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= 4096) cache.clear();
  cache.set(key, value);
}

function splitLines(text: string): string[] {
  return text.split("\n").filter((line) => line.length > 0);
}

/** The tree and parents of a raw commit object; undefined when it has no tree line (not a commit). */
export function parseCommitHeader(content: Buffer): ParsedCommit | undefined {
  let end = content.indexOf("\n\n");
  if (end < 0) end = content.length;
  let tree: string | undefined;
  const parents: string[] = [];
  for (const line of content.toString("latin1", 0, end).split("\n")) {
    if (line.startsWith("tree ")) tree ??= line.slice(5).trim();
    else if (line.startsWith("parent ")) parents.push(line.slice(7).trim());
  }
  return tree === undefined || !/^[0-9a-f]{40,64}$/.test(tree) ? undefined : { tree, parents };
}

/** A raw tree object: `<mode> <name>\0<binary id>` entries. Names are shown as `git log`'s paths are (`displayPathBytes`). Undefined when malformed. */
export function parseTree(content: Buffer, hashBytes: number): Map<string, TreeEntry> | undefined {
  const entries = new Map<string, TreeEntry>();
  let pos = 0;
  while (pos < content.length) {
    const space = content.indexOf(0x20, pos);
    const nul = space < 0 ? -1 : content.indexOf(0x00, space + 1);
    if (space < 0 || nul < 0 || nul + 1 + hashBytes > content.length) return undefined;
    const mode = content.toString("latin1", pos, space);
    const name = displayPathBytes(content.subarray(space + 1, nul));
    const oid = content.toString("hex", nul + 1, nul + 1 + hashBytes);
    entries.set(name, { mode, oid });
    pos = nul + 1 + hashBytes;
  }
  return entries;
}
