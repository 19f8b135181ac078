import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { DEFAULT_MAX_FILE_SIZE, findConfigFile } from "../../config/config-file.js";
import type { VigilConfig } from "../../config/config.js";
import { VigilError } from "../../errors.js";
import {
  checkPush,
  groupBySecret,
  refCarrying,
  toBlockedSecret,
  type PushCheckOptions,
} from "../../push-protection/check-push.js";
import { parseRefUpdates, isDeletion } from "../../push-protection/ref-updates.js";
import { formatRejectionMessage, type BlockedSecret } from "../../push-protection/rejection-message.js";
import { locationFingerprint } from "../../output/location-fingerprint.js";
import { matcherSettingsFromConfig } from "../../scan/matcher-settings.js";
import { addStoreOptions, storeLocation, type StoreCommandOptions } from "../store-options.js";

export const PUSH_PROTECTION_HELP_URL =
  "https://github.com/vigil-scanner/vigil/blob/main/docs/push-protection.md#resolving-a-blocked-push";

interface PreReceiveOptions extends StoreCommandOptions {
  config?: string;
  timeout: string;
  failClosed?: boolean;
  repository?: string;
  pusher?: string;
  publicUrl?: string;
}

export function registerPreReceiveCommand(program: Command): void {
  addStoreOptions(
    program
      .command("pre-receive")
      .description("git pre-receive hook: reject a push that adds secrets (reads ref updates on standard input)")
      .option(
        "-c, --config <file>",
        "config for standalone mode (default: vigil.config.yaml in the repository's git dir)",
      )
      .option(
        "--timeout <seconds>",
        "scan time budget in seconds (fractions allowed; or $VIGIL_PUSH_TIMEOUT); past it the push is allowed, or rejected with --fail-closed",
        process.env.VIGIL_PUSH_TIMEOUT ?? "10",
      )
      .option("--fail-closed", "reject the push when the scan runs out of time")
      .option("--repository <owner/name>", "connect to the Vigil store as this repository (default: $VIGIL_REPOSITORY)")
      .option(
        "--pusher <login>",
        "the pushing user's Vigil login (default: $VIGIL_PUSHER_LOGIN, $GITEA_PUSHER_NAME or $GL_USERNAME)",
      )
      .option("--public-url <url>", "the Vigil server's URL, for allow links (default: $VIGIL_PUBLIC_URL)"),
  )
    .addHelpText(
      "after",
      `
Standalone (any git server): every secret found by a push-protection pattern rejects the push.
Connected (--repository or $VIGIL_REPOSITORY, with the server's --data-dir/--database-url): the
repository's push-protection setting and pattern configuration apply, secrets that already have an
alert pass, and the message links to a page where the pusher can allow the secret.

Install on a bare repository:  printf '#!/bin/sh\\nexec vigil pre-receive\\n' > hooks/pre-receive && chmod +x hooks/pre-receive`,
    )
    .action(async (options: PreReceiveOptions) => {
      process.exitCode = await runPreReceive(options);
    });
}

async function runPreReceive(options: PreReceiveOptions): Promise<number> {
  const timeoutMs = parseTimeout(options.timeout);
  const updates = parseRefUpdates(readFileSync(0, "utf8"));
  const pushed = updates.filter((u) => !isDeletion(u));
  if (pushed.length === 0) return 0;
  const ref = pushed[0]!.ref;
  const gitDir = process.env.GIT_DIR ?? ".";
  const repository = options.repository ?? process.env.VIGIL_REPOSITORY;

  if (!repository) {
    // Standalone: the local config decides; every eligible secret blocks. The config parser loads only when there is a config file.
    const path = findConfigFile(options.config, [gitDir]);
    const config =
      path === undefined ? undefined : (await import("../../config/config.js")).loadConfig(path, []).config;
    const result = await checkPush({ gitDir, updates, timeoutMs, ...(await standalonePolicy(config)) });
    if (result.timedOut) return timeoutOutcome(options.failClosed === true, ref, false);
    // allowlist.fingerprints silences a finding here as in the client's hooks (the same fingerprint: type, path, tag).
    const allowed = new Set(config?.allowlist.fingerprints ?? []);
    const findings =
      allowed.size > 0 ? result.findings.filter((f) => !allowed.has(locationFingerprint(f))) : result.findings;
    const blocked = groupBySecret(findings).map((g) => toBlockedSecret(g.findings));
    return reject(
      refCarrying(gitDir, updates, blocked[0]?.locations[0]?.commitSha),
      blocked,
      null,
      "Remove the secret from your commits, or mark a false positive with a `vigil:allow` comment on its line.",
    );
  }

  // Loaded only when connected: the store (database drivers, migrations) costs a standalone hook start-up time.
  const [{ openStore }, { decidePush, effectivePushPatterns }, { toPatternInput }] = await Promise.all([
    import("../../store/index.js"),
    import("../../push-protection/server-push-policy.js"),
    import("../../custom-patterns/to-pattern-input.js"),
  ]);
  const [owner, name] = repository.split("/");
  const opened = await openStore({ ...storeLocation(options), env: process.env });
  try {
    const { store, pushProtection } = opened;
    const repo = owner && name ? await store.getRepository(owner, name) : null;
    if (!repo) throw new VigilError("ERR_PUSH_REPOSITORY", `repository ${repository} is not registered with Vigil`);
    const org = (await store.getOrganizationById(repo.orgId))!;
    if (!repo.pushProtectionEnabled || !repo.secretScanningEnabled || !org.secretScanningEnabled) return 0;
    const login =
      options.pusher ?? process.env.VIGIL_PUSHER_LOGIN ?? process.env.GITEA_PUSHER_NAME ?? process.env.GL_USERNAME;
    const pusher = login ? await store.getUserByLogin(login) : null;
    const only = effectivePushPatterns(
      await pushProtection.getPatternConfig(`org:${org.id}`),
      await pushProtection.getPatternConfig("enterprise"),
    );
    // Custom patterns block only when published with push protection enabled on them (as on GitHub).
    const custom = (await opened.customPatterns.publishedFor(repo.id, org.id))
      .filter((p) => p.pushProtectionEnabled)
      .map(toPatternInput);
    const settings = {
      disabled: [],
      generic: false,
      custom,
      allowValues: [],
      allowRegexes: [],
      only: [...only, ...custom.map((p) => p.id!)],
    };
    const result = await checkPush({
      gitDir,
      updates,
      settings,
      limits: { maxFileSize: 10 * 1024 * 1024, scanBinaries: false },
      timeoutMs,
    });
    if (result.timedOut) {
      await pushProtection.recordPushEvent({
        repoId: repo.id,
        pusherId: pusher?.id ?? null,
        outcome: options.failClosed ? "timeout_rejected" : "timeout_allowed",
        secretTypes: [],
      });
      return timeoutOutcome(options.failClosed === true, ref, true);
    }
    const first = result.findings[0]?.location;
    const blockedRef = refCarrying(gitDir, updates, first?.type === "commit" ? first.commitSha : undefined);
    const decision = await decidePush({
      store,
      pushProtection,
      repo,
      org,
      pusher,
      ref: blockedRef,
      publicUrl: options.publicUrl ?? process.env.VIGIL_PUBLIC_URL ?? null,
      findings: result.findings,
      reviews: opened.reviews,
    });
    const hint = pusher
      ? undefined
      : `Ask a Vigil administrator to create the user ${login ?? "you push as"} so that you can allow a secret.`;
    return reject(blockedRef, decision.blocked, org.pushProtectionCustomLink, hint);
  } finally {
    await opened.close();
  }
}

/** What a standalone hook scans with: push-protection patterns only, the config's allowlist, no binaries. */
export async function standalonePolicy(
  config: VigilConfig | undefined,
): Promise<Pick<PushCheckOptions, "settings" | "limits" | "skipPath">> {
  if (!config) {
    // The same as `defaultConfig()` gives (a test holds them together), without loading the config schema.
    const settings = {
      disabled: [],
      generic: true,
      custom: [],
      allowValues: [],
      allowRegexes: [],
      pushProtectionOnly: true,
    };
    return { settings, limits: { maxFileSize: DEFAULT_MAX_FILE_SIZE, scanBinaries: false } };
  }
  const settings = { ...matcherSettingsFromConfig(config), pushProtectionOnly: true };
  const limits = { maxFileSize: config.limits.max_file_size, scanBinaries: false };
  if (config.allowlist.paths.length === 0) return { settings, limits };
  // Allowlisted paths are left out of push protection too (GitHub: `paths-ignore`).
  const { default: picomatch } = await import("picomatch");
  return { settings, limits, skipPath: picomatch(config.allowlist.paths, { dot: true }) };
}

/** Seconds, fractions allowed (`0.5`), from a millisecond to an hour. */
export function parseTimeout(value: string): number {
  const seconds = Number(value);
  if (value.trim() === "" || !Number.isFinite(seconds) || seconds < 0.001 || seconds > 3600) {
    throw new VigilError("ERR_CLI_USAGE", `--timeout: "${value}" must be a number of seconds from 0.001 to 3600`);
  }
  return Math.round(seconds * 1000);
}

function reject(
  ref: string,
  blocked: BlockedSecret[],
  customLink: string | null,
  localAllowHint: string | undefined,
): number {
  if (blocked.length === 0) return 0;
  process.stderr.write(
    formatRejectionMessage({
      ref,
      secrets: blocked,
      customLink,
      helpUrl: PUSH_PROTECTION_HELP_URL,
      ...(localAllowHint ? { localAllowHint } : {}),
    }) + "\n",
  );
  return 1;
}

/** Past the budget: reject (fail-closed) or allow. Only a Vigil server scans the pushed commits later; a standalone hook says so. */
function timeoutOutcome(failClosed: boolean, ref: string, connected: boolean): number {
  if (failClosed) {
    process.stderr.write(
      `error: Vigil push protection could not finish scanning ${ref} in time; this server rejects such pushes (fail-closed). Push fewer commits at once, or ask an administrator.\n`,
    );
    return 1;
  }
  process.stderr.write(
    `warning: Vigil push protection ran out of time scanning ${ref}; the push is allowed${
      connected
        ? " and will be scanned afterwards"
        : " without a complete scan (run `vigil scan` on the repository to check it)"
    }.\n`,
  );
  return 0;
}
