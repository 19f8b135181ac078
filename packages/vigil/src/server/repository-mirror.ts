import { execFile } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { promisify } from "node:util";
import { sanitizeGitMessage } from "./git-error-message.js";
import { installPreReceiveHook } from "./hosted-hook.js";

const run = promisify(execFile);
const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "true" };

/**
 * Keeps a bare mirror of a repository in the data directory: `git clone --mirror` the first time,
 * `git remote update --prune` after. Returns whether any ref changed, so that unchanged
 * repositories are not rescanned. Errors name the repository, never the URL's credentials.
 */
export async function updateMirror(sourceUrl: string, mirrorPath: string): Promise<{ changed: boolean }> {
  if (!existsSync(mirrorPath)) {
    mkdirSync(dirname(mirrorPath), { recursive: true });
    await git(["clone", "--mirror", "--quiet", sourceUrl, mirrorPath], undefined);
    return { changed: true };
  }
  const before = await refsOf(mirrorPath);
  await git(["remote", "update", "--prune"], mirrorPath);
  return { changed: (await refsOf(mirrorPath)) !== before };
}

/**
 * Creates an empty bare repository for a repository hosted by Vigil itself, with push protection's
 * hook. An existing one is left as it is: the server rewrites every hosted repository's hook once, at
 * start, not on each git request.
 */
export async function initBareRepository(path: string): Promise<void> {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  await git(["init", "--bare", "--quiet", path], undefined);
  installPreReceiveHook(path);
}

export async function refsOf(gitDir: string): Promise<string> {
  const { stdout } = await run("git", ["--git-dir", gitDir, "for-each-ref", "--format=%(objectname) %(refname)"], { env: GIT_ENV, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

async function git(args: string[], gitDir: string | undefined): Promise<void> {
  try {
    await run("git", gitDir ? ["--git-dir", gitDir, ...args] : args, { env: GIT_ENV, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? "").trim();
    throw new Error(`git ${args[0]} failed: ${sanitizeGitMessage(stderr) || "no message from git"}`);
  }
}

export { redactUrlCredentials } from "./git-error-message.js";
