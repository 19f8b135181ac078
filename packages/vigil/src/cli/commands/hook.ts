import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { VigilError } from "../../errors.js";
import { VIGIL_VERSION } from "../../version.js";

/** The client-side hooks Vigil installs. */
export const HOOK_NAMES = ["pre-commit", "pre-push"] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/** Every script Vigil writes carries this line; a hook without it is someone else's. */
export const HOOK_MARKER = "# vigil-hook:";
/** Where `--force` keeps a foreign hook it replaces; `vigil hook uninstall` puts it back. */
export const BACKUP_SUFFIX = ".vigil-backup";

export interface HookCommandOptions {
  preCommit?: boolean;
  prePush?: boolean;
  force?: boolean;
}

export interface HookInvocation {
  /** Absolute path of the Node.js binary. */
  node: string;
  /** Absolute path of the CLI script (`packages/vigil/bin/vigil.js`). */
  cli: string;
}

export function registerHookCommand(program: Command): void {
  const hook = program
    .command("hook")
    .description("Install git hooks that block commits and pushes carrying secrets")
    .addHelpText(
      "after",
      `
Hooks go where git looks for them (git rev-parse --git-path hooks), so core.hooksPath and
worktrees work. pre-commit scans the staged changes (vigil scan --staged); pre-push scans
the commits being pushed (vigil scan --range). Skip them once with --no-verify.`,
    );
  hook
    .command("install")
    .description("Install the pre-commit and pre-push hooks into the current repository")
    .option("--pre-commit", "install only the pre-commit hook")
    .option("--pre-push", "install only the pre-push hook")
    .option("--force", `replace a hook that Vigil did not install (it is kept as <hook>${BACKUP_SUFFIX})`)
    .action((options: HookCommandOptions) => {
      const lines = installHooks(process.cwd(), selectedHooks(options), {
        force: options.force === true,
        invocation: currentInvocation(),
      });
      process.stderr.write(lines.join("\n") + "\n");
    });
  hook
    .command("uninstall")
    .description("Remove the hooks Vigil installed (hooks it did not install are left alone)")
    .option("--pre-commit", "remove only the pre-commit hook")
    .option("--pre-push", "remove only the pre-push hook")
    .action((options: HookCommandOptions) => {
      const lines = uninstallHooks(process.cwd(), selectedHooks(options));
      process.stderr.write(lines.join("\n") + "\n");
    });
}

function selectedHooks(options: HookCommandOptions): HookName[] {
  const chosen = HOOK_NAMES.filter((name) => (name === "pre-commit" ? options.preCommit : options.prePush));
  return chosen.length > 0 ? chosen : [...HOOK_NAMES];
}

/** The Node binary and CLI script running now: what the hooks call, whatever PATH says when they run. */
export function currentInvocation(): HookInvocation {
  const cli = fileURLToPath(new URL("../../../bin/vigil.js", import.meta.url));
  return { node: process.execPath, cli: existsSync(cli) ? realpathSync(cli) : cli };
}

/** The repository's hooks directory, absolute (`git rev-parse --git-path hooks`, which honours core.hooksPath). */
export function hooksDirectory(cwd: string): string {
  const result = spawnSync("git", ["rev-parse", "--git-path", "hooks"], { cwd, encoding: "utf8" });
  if (result.error)
    throw new VigilError("ERR_HOOK_GIT", `cannot run git: ${(result.error as NodeJS.ErrnoException).code ?? "error"}`);
  if (result.status !== 0) {
    throw new VigilError(
      "ERR_HOOK_NOT_A_REPO",
      `${cwd} is not in a git repository; run vigil hook in the repository to protect`,
    );
  }
  const dir = result.stdout.trim();
  return isAbsolute(dir) ? dir : resolve(cwd, dir);
}

export function isVigilHook(content: string): boolean {
  return content.split("\n").some((line) => line.startsWith(HOOK_MARKER));
}

/** Installs the hooks; returns one line per hook saying what was done. */
export function installHooks(
  cwd: string,
  names: readonly HookName[],
  options: { force: boolean; invocation: HookInvocation },
): string[] {
  const dir = hooksDirectory(cwd);
  const plan: Array<{ name: HookName; path: string; existing: "none" | "vigil" | "foreign" }> = [];
  for (const name of names) {
    const path = join(dir, name);
    let existing: "none" | "vigil" | "foreign" = "none";
    if (existsSync(path)) existing = isVigilHook(readText(path)) ? "vigil" : "foreign";
    plan.push({ name, path, existing });
  }
  // Check every hook before writing any, so a refusal leaves nothing half installed.
  const foreign = plan.filter((p) => p.existing === "foreign");
  if (foreign.length > 0 && !options.force) {
    const files = foreign.map((p) => p.path).join(", ");
    throw new VigilError(
      "ERR_HOOK_EXISTS",
      `${files} ${foreign.length === 1 ? "exists and was" : "exist and were"} not installed by Vigil; ` +
        `run vigil hook install --force to replace (the old hook is kept as <hook>${BACKUP_SUFFIX}), or call vigil from it`,
    );
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new VigilError("ERR_HOOK_WRITE", `cannot create ${dir}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
  const lines: string[] = [];
  for (const { name, path, existing } of plan) {
    try {
      if (existing === "foreign") renameSync(path, path + BACKUP_SUFFIX);
      writeFileSync(path, hookScript(name, options.invocation), { mode: 0o755 });
      chmodSync(path, 0o755);
    } catch (error) {
      throw new VigilError(
        "ERR_HOOK_WRITE",
        `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
      );
    }
    const verb =
      existing === "vigil"
        ? "updated"
        : existing === "foreign"
          ? `installed (previous hook kept as ${name}${BACKUP_SUFFIX})`
          : "installed";
    lines.push(`vigil: ${name} hook ${verb}: ${path}`);
  }
  return lines;
}

/** Removes the hooks Vigil installed, restoring a hook `--force` had set aside; returns one line per hook. */
export function uninstallHooks(cwd: string, names: readonly HookName[]): string[] {
  const dir = hooksDirectory(cwd);
  const lines: string[] = [];
  for (const name of names) {
    const path = join(dir, name);
    if (!existsSync(path)) {
      lines.push(`vigil: no ${name} hook installed`);
      continue;
    }
    if (!isVigilHook(readText(path))) {
      lines.push(`vigil: ${path} was not installed by Vigil; left alone`);
      continue;
    }
    try {
      rmSync(path);
      if (existsSync(path + BACKUP_SUFFIX)) {
        renameSync(path + BACKUP_SUFFIX, path);
        lines.push(`vigil: ${name} hook removed; the previous hook is back in place: ${path}`);
      } else {
        lines.push(`vigil: ${name} hook removed: ${path}`);
      }
    } catch (error) {
      throw new VigilError(
        "ERR_HOOK_WRITE",
        `cannot remove ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`,
      );
    }
  }
  return lines;
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new VigilError("ERR_HOOK_WRITE", `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
  }
}

/** Quotes a value for a POSIX shell. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The POSIX shell script of a hook. It calls the CLI that installed it, falling back to `vigil` on PATH. */
export function hookScript(name: HookName, invocation: HookInvocation): string {
  const action = name === "pre-commit" ? "commit" : "push";
  const head = `#!/bin/sh
${HOOK_MARKER} ${name} (installed by vigil ${VIGIL_VERSION})
# Blocks a ${action} that carries secrets. Update it with \`vigil hook install\`,
# remove it with \`vigil hook uninstall\`, skip it once with \`git ${action} --no-verify\`.

VIGIL_NODE=${shellQuote(invocation.node)}
VIGIL_CLI=${shellQuote(invocation.cli)}

run_vigil() {
  if [ -x "$VIGIL_NODE" ] && [ -f "$VIGIL_CLI" ]; then
    "$VIGIL_NODE" "$VIGIL_CLI" "$@"
  elif command -v vigil >/dev/null 2>&1; then
    command vigil "$@"
  else
    echo "vigil: the ${name} hook cannot find Vigil (neither $VIGIL_CLI nor vigil on PATH)." >&2
    echo "vigil: reinstall it and run vigil hook install, or remove this hook: $0" >&2
    return 2
  fi
}

vigil_blocked() {
  # Everything goes to standard error, as git shows hook output (git push passes a hook's stdout on as its own).
  cat >&2 <<'VIGIL_EOF'

vigil: ${action} blocked: the secrets listed above (masked) would leave this machine.
  Remove each secret from the ${name === "pre-commit" ? "staged files" : "commits (e.g. git commit --amend, or git rebase -i)"}, and revoke it
  if it is real: it may already be copied elsewhere.
  A false positive? Allow it, then ${action} again:
    - a comment on the same line:  vigil:allow
    - its fingerprint (printed above) in vigil.config.yaml: allowlist.fingerprints
    - or an entry in allowlist.paths, allowlist.values or allowlist.regexes
  Last resort, skipping every check of this ${action}:  git ${action} --no-verify
VIGIL_EOF
}

vigil_failed() {
  echo "vigil: the scan failed (exit status $1, see above); the ${action} is stopped." >&2
  echo "vigil: fix the problem, or skip the check once with: git ${action} --no-verify" >&2
}
`;
  const body =
    name === "pre-commit"
      ? `
run_vigil scan --staged --no-progress </dev/null >&2
status=$?
case $status in
  0) exit 0 ;;
  1) vigil_blocked; exit 1 ;;
  *) vigil_failed "$status"; exit "$status" ;;
esac
`
      : `
# git writes one line per ref: <local ref> <local sha> <remote ref> <remote sha>
blocked=0
failed=0
while read -r local_ref local_sha remote_ref remote_sha; do
  [ -n "$local_sha" ] || continue
  case $local_sha in
    *[!0]*) ;;
    *) continue ;; # a deletion: nothing is sent
  esac
  range=$local_sha
  case $remote_sha in
    *[!0]*)
      # An update: the new commits only, when we have the remote's commit (else: everything
      # not on a remote-tracking branch).
      if git cat-file -e "$remote_sha^{commit}" 2>/dev/null; then range="$remote_sha..$local_sha"; fi ;;
  esac
  echo "vigil: scanning $local_ref -> $remote_ref ($range)" >&2
  run_vigil scan --range "$range" </dev/null >&2
  status=$?
  case $status in
    0) ;;
    1) blocked=1 ;;
    *) failed=$status ;;
  esac
done
if [ "$blocked" -ne 0 ]; then vigil_blocked; exit 1; fi
if [ "$failed" -ne 0 ]; then vigil_failed "$failed"; exit "$failed"; fi
exit 0
`;
  return head + body;
}
