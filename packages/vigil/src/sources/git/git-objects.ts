import { runGit } from "./run-git.js";

export type GitObjectType = "commit" | "tree" | "blob" | "tag";

export interface GitObject {
  type: GitObjectType;
  size: number;
  /** null when the object is larger than the `maxSize` asked for (it is then not read). */
  content: Buffer | null;
}

/** A full object id: SHA-1 (40 hex digits) or SHA-256 (64). */
export const FULL_OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * One object of a (bare) repository by its full id, or null when the repository has no such object
 * (or is not there). Reads it with `git cat-file`, given the id on standard input, so that nothing
 * is resolved as a revision or a name; an object larger than `maxSize` is described but not read.
 */
export async function readGitObject(
  gitDir: string,
  objectId: string,
  options: { maxSize?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<GitObject | null> {
  if (!FULL_OBJECT_ID.test(objectId)) return null;
  const env = options.env ?? process.env;
  const check = await runGit(["--git-dir", gitDir, "cat-file", "--batch-check"], {
    cwd: gitDir,
    env,
    input: `${objectId}\n`,
  });
  if (check.code !== 0) return null;
  const [id, rawType, rawSize] = check.stdout.toString("utf8").trim().split(" ");
  const size = Number(rawSize);
  if (id !== objectId || !Number.isInteger(size) || !["commit", "tree", "blob", "tag"].includes(rawType ?? ""))
    return null;
  const type = rawType as GitObjectType;
  if (options.maxSize !== undefined && size > options.maxSize) return { type, size, content: null };
  const read = await runGit(["--git-dir", gitDir, "cat-file", "--batch"], { cwd: gitDir, env, input: `${objectId}\n` });
  const newline = read.stdout.indexOf(0x0a);
  if (read.code !== 0 || newline < 0 || read.stdout.length < newline + 1 + size) return null;
  return { type, size, content: read.stdout.subarray(newline + 1, newline + 1 + size) };
}
