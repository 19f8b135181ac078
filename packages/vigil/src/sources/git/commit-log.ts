import { spawn } from "node:child_process";
import { displayPathBytes } from "../path-bytes.js";
import { gitEnv } from "./git-env.js";
import { lastErrorLine } from "./run-git.js";

export interface CommitLogOptions {
  cwd: string;
  /** Base environment (see `gitEnv`). */
  env: NodeJS.ProcessEnv;
  /** Revision arguments for `git log`, e.g. `["A..B"]` or `["abc123", "--not", "--remotes"]`. */
  args?: string[];
  /** Revisions fed on standard input, one a line (`oid`, `^oid`, `A..B`): for long lists of ref tips. */
  stdin?: string[];
  signal?: AbortSignal;
  git?: string;
}

export interface CommitLogHandlers {
  /** A commit starts; the blobs that follow are its. */
  commit(oid: string): void;
  /**
   * A blob this commit introduces at `path`: the file differs from every parent there (a root
   * commit introduces all its files; a merge only what it resolved differently from all its
   * parents). Deleted files and submodules are left out.
   */
  blob(oid: string, path: string, mode: string): void;
}

export interface CommitLogResult {
  commits: number;
  /** Why git stopped early (a missing tree in a partial clone, a bad revision); the commits before it were delivered. */
  error?: string;
}

/**
 * The git arguments: raw diffs against each parent, merges as combined diffs (only paths that
 * differ from all parents), root commits as creations, no rename detection (a renamed file is a
 * new path for the same blob), full ids, NUL-separated so any path survives. Settings a user may
 * have that change the output (signatures, colours, external diff drivers) are switched off.
 */
export const COMMIT_LOG_ARGS = [
  "log",
  "--raw",
  "-c",
  "--root",
  "--no-renames",
  "--no-abbrev",
  "--no-color",
  "--no-show-signature",
  "--no-ext-diff",
  "--no-textconv",
  "-z",
  "--format=%x01%H",
] as const;

const NUL = 0x00;
const LF = 0x0a;
const SOH = 0x01;
const COLON = 0x3a;

/**
 * Streams `git log` and reports each commit and the blobs it introduces, as they come: the history
 * is never held in memory. Only commit and blob ids and paths are read, never file contents.
 */
export function readCommitLog(options: CommitLogOptions, handlers: CommitLogHandlers): Promise<CommitLogResult> {
  const args = [...COMMIT_LOG_ARGS, ...(options.stdin ? ["--stdin"] : []), ...(options.args ?? [])];
  const child = spawn(options.git ?? "git", args, {
    cwd: options.cwd,
    env: gitEnv(options.env),
    stdio: ["pipe", "pipe", "pipe"],
  });
  const parser = new CommitLogParser(handlers);
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => parser.push(chunk));
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (text: string) => (stderr = (stderr + text).slice(-4096)));
  child.stdin.on("error", () => {});
  if (options.stdin) child.stdin.end(options.stdin.map((line) => line + "\n").join(""));
  else child.stdin.end();
  const abort = (): void => void child.kill();
  options.signal?.addEventListener("abort", abort, { once: true });
  return new Promise((resolve) => {
    child.on("error", (error) => {
      options.signal?.removeEventListener("abort", abort);
      resolve({
        commits: parser.commits,
        error: `cannot run git: ${(error as NodeJS.ErrnoException).code ?? error.message}`,
      });
    });
    child.on("close", (code) => {
      options.signal?.removeEventListener("abort", abort);
      parser.end();
      if (code === 0 || options.signal?.aborted) resolve({ commits: parser.commits });
      else resolve({ commits: parser.commits, error: lastErrorLine(stderr) || `git log exited with code ${code}` });
    });
  });
}

/** Parses `git log -z --raw --format=%x01%H` output: NUL-separated tokens, a path after each raw line. */
export class CommitLogParser {
  commits = 0;
  private rest: Buffer | undefined;
  /** The raw line before the path to come: the blob and its mode, or null when the path is to be skipped. */
  private pendingPath: { oid: string; mode: string } | null | undefined;

  constructor(private readonly handlers: CommitLogHandlers) {}

  push(chunk: Buffer): void {
    let data = chunk;
    if (this.rest) {
      data = Buffer.concat([this.rest, chunk]);
      this.rest = undefined;
    }
    let start = 0;
    for (;;) {
      const end = data.indexOf(NUL, start);
      if (end < 0) break;
      this.token(data, start, end);
      start = end + 1;
    }
    if (start < data.length) this.rest = Buffer.from(data.subarray(start));
  }

  end(): void {
    if (this.rest) this.token(this.rest, 0, this.rest.length);
    this.rest = undefined;
  }

  private token(data: Buffer, start: number, end: number): void {
    if (this.pendingPath !== undefined) {
      const pending = this.pendingPath;
      this.pendingPath = undefined;
      // -z: the path's own bytes, never quoted; bytes that are not UTF-8 are shown \xNN.
      if (pending) this.handlers.blob(pending.oid, displayPathBytes(data.subarray(start, end)), pending.mode);
      return;
    }
    while (start < end && data[start] === LF) start++;
    if (start === end) return;
    const first = data[start];
    if (first === SOH) {
      this.commits++;
      this.handlers.commit(data.toString("latin1", start + 1, end));
    } else if (first === COLON) {
      this.pendingPath = parseRawLine(data, start, end);
    }
  }
}

/**
 * A raw diff line, `:<mode>… <oid>… <status>` with one colon per parent (combined diffs of merges
 * have several): returns the resulting blob and mode, or null when there is none to scan.
 */
function parseRawLine(data: Buffer, start: number, end: number): { oid: string; mode: string } | null {
  let parents = 0;
  while (data[start + parents] === COLON) parents++;
  const fields = data.toString("latin1", start + parents, end).split(" ");
  // parents + 1 modes, parents + 1 ids, status.
  if (fields.length < 2 * parents + 3) return null;
  const mode = fields[parents]!;
  const oid = fields[2 * parents + 1]!;
  if (mode === "000000" || mode === "160000" || (oid.startsWith("0000000000") && /^0+$/.test(oid))) return null;
  return { oid, mode };
}
