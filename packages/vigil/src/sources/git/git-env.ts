/**
 * The environment every git process of Vigil runs with: the caller's environment (pass `process.env`
 * from the entry point; a pre-receive hook's quarantine variables must reach git) plus settings that
 * keep a scan read-only and offline.
 *
 * - `GIT_NO_LAZY_FETCH=1`: a partial clone never downloads a missing object; it is reported missing.
 * - `GIT_TERMINAL_PROMPT=0`: git never waits for a password.
 * - `GIT_OPTIONAL_LOCKS=0`: `git status` does not take the index lock (a scan never blocks a commit).
 * - `LC_ALL=C`: git's messages in English, for the reasons in warnings.
 */
export function gitEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...base, GIT_NO_LAZY_FETCH: "1", GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0", LC_ALL: "C" };
}
