import { runGit } from "./run-git.js";

export type GitObjectType = "commit" | "tree" | "blob" | "tag";

export interface GitObject {
  type: GitObjectType;
  content: Buffer;
}

/** A full object id: SHA-1 (40 hex digits) or SHA-256 (64). */
export const FULL_OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * One object of a (bare) repository by its full id, or null when the repository has no such object
 * (or is not there). Reads it with `git cat-file --batch`, which never resolves revisions or names.
 */
export async function readGitObject(
  gitDir: string,
  objectId: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<GitObject | null> {
  if (!FULL_OBJECT_ID.test(objectId)) return null;
  const result = await runGit(["--git-dir", gitDir, "cat-file", "--batch"], {
    cwd: gitDir,
    env,
    input: `${objectId}\n`,
  });
  if (result.code !== 0) return null;
  const out = result.stdout;
  const newline = out.indexOf(0x0a);
  if (newline < 0) return null;
  const [id, type, size] = out.subarray(0, newline).toString("utf8").split(" ");
  if (id !== objectId || size === undefined || !["commit", "tree", "blob", "tag"].includes(type ?? "")) return null;
  return { type: type as GitObjectType, content: out.subarray(newline + 1, newline + 1 + Number(size)) };
}
