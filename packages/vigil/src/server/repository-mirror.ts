import { execFile } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { promisify } from "node:util";
import { sanitizeGitMessage } from "./git-error-message.js";
import { urlCredentials } from "../alerts/mask-url.js";
import { installPreReceiveHook } from "./hosted-hook.js";

const run = promisify(execFile);
const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "true" };

/**
 * Keeps a bare mirror of a repository in the data directory: `git clone --mirror` the first time,
 * `git remote update --prune` after. Returns whether any ref changed, so that unchanged
 * repositories are not rescanned. Errors name the repository, never the URL's credentials.
 */
export async function updateMirror(sourceUrl: string, mirrorPath: string): Promise<{ changed: boolean }> {
  // Credentials go to git as an HTTP header through the environment, never in the URL it writes into
  // the mirror's config (the data directory holds no plaintext secret) nor on its command line.
  const { bare, basic } = urlCredentials(sourceUrl);
  const env = basic === null ? GIT_ENV : { ...GIT_ENV, ...gitConfigEnv({ "http.extraHeader": `Authorization: Basic ${Buffer.from(basic).toString("base64")}` }) };
  if (!existsSync(mirrorPath)) {
    mkdirSync(dirname(mirrorPath), { recursive: true });
    // "--": a source (or path) that begins with "-" is a repository, never an option of git clone.
    await git(["clone", "--mirror", "--quiet", "--", bare, mirrorPath], undefined, env);
    return { changed: true };
  }
  const before = await refsOf(mirrorPath);
  // A mirror cloned before credentials were kept apart has them in its config: replace the URL.
  await git(["config", "remote.origin.url", bare], mirrorPath, env);
  await git(["remote", "update", "--prune"], mirrorPath, env);
  return { changed: (await refsOf(mirrorPath)) !== before };
}

/** Git configuration through the environment (GIT_CONFIG_COUNT), which other users cannot read in `ps`. */
function gitConfigEnv(entries: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  const pairs = Object.entries(entries);
  pairs.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  env.GIT_CONFIG_COUNT = String(pairs.length);
  return env;
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

async function git(args: string[], gitDir: string | undefined, env: NodeJS.ProcessEnv = GIT_ENV): Promise<void> {
  try {
    await run("git", gitDir ? ["--git-dir", gitDir, ...args] : args, { env, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? "").trim();
    throw new Error(`git ${args[0]} failed: ${sanitizeGitMessage(stderr) || "no message from git"}`);
  }
}

export { redactUrlCredentials } from "./git-error-message.js";
