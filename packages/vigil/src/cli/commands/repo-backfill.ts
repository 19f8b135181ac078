import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Command } from "commander";
import { VigilError } from "../../errors.js";
import { openStoreLazily } from "../open-store-lazily.js";
import { addStoreOptions, storeLocation, type StoreCommandOptions } from "../store-options.js";

interface BackfillCommandOptions extends StoreCommandOptions {
  forgeUrl: string;
  forgeRepo?: string;
  maxWait: string;
  queue?: boolean;
}

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

/** `vigil repo backfill`: existing issues, pull requests and comments through the forge's REST API. */
export function registerRepoBackfillCommand(repo: Command): void {
  addStoreOptions(
    repo
      .command("backfill")
      .description(
        "Scan a repository's existing issues, pull requests and comments through its forge's GitHub-compatible REST API (resumable; the token is read from VIGIL_FORGE_TOKEN)",
      )
      .argument("<owner/name>", "the repository registered with Vigil")
      .requiredOption(
        "--forge-url <url>",
        "the forge's API root: https://api.github.com, https://ghe.example/api/v3, https://gitea.example/api/v1",
      )
      .option("--forge-repo <owner/name>", "the repository's name on the forge, when it differs")
      .option(
        "--max-wait <seconds>",
        "wait at most this long for a rate limit to reset; beyond it stop (run again to resume)",
        "900",
      )
      .option(
        "--queue",
        "queue it as a content-backfill job instead (run by vigil serve or vigil worker, with retries; the worker's VIGIL_FORGE_TOKEN is used)",
      ),
  ).action(async (fullName: string, options: BackfillCommandOptions) => {
    if (!NAME.test(fullName)) throw new VigilError("ERR_CLI_USAGE", `"${fullName.slice(0, 80)}" is not OWNER/NAME`);
    if (options.forgeRepo !== undefined && !NAME.test(options.forgeRepo))
      throw new VigilError("ERR_CLI_USAGE", `--forge-repo: "${options.forgeRepo.slice(0, 80)}" is not OWNER/NAME`);
    let base: URL;
    try {
      base = new URL(options.forgeUrl);
      if (base.protocol !== "https:" && base.protocol !== "http:") throw new Error();
    } catch {
      throw new VigilError("ERR_CLI_USAGE", `--forge-url: "${options.forgeUrl.slice(0, 100)}" is not an http(s) URL`);
    }
    const maxWait = Number(options.maxWait);
    if (!Number.isInteger(maxWait) || maxWait < 0)
      throw new VigilError("ERR_CLI_USAGE", "--max-wait: a number of seconds, 0 or more");
    const [owner, name] = fullName.split("/") as [string, string];
    const location = storeLocation(options);
    const [
      { backfillFromForge, BackfillError },
      { recordContent },
      { buildMatcher, matcherSettingsFromConfig },
      { defaultConfig },
    ] = await Promise.all([
      import("../../content/forge-backfill.js"),
      import("../../content/content-scanner.js"),
      import("../../scan/matcher-settings.js"),
      import("../../config/default-config.js"),
    ]);
    const opened = await openStoreLazily({ ...location, env: process.env });
    try {
      const target = await opened.store.getRepository(owner, name);
      if (!target)
        throw new VigilError(
          "ERR_REPO_NOT_FOUND",
          `repository ${fullName} is not registered (vigil repo add ${fullName})`,
        );
      if (options.queue) {
        const [{ openJobRunner }, { queueContentBackfill, CONTENT_BACKFILL_POLICY }] = await Promise.all([
          import("../../jobs/open-job-runner.js"),
          import("../../content/content-backfill-job.js"),
        ]);
        const runner = await openJobRunner({ db: opened.db, redisUrl: process.env.VIGIL_REDIS_URL, redisPrefix: process.env.VIGIL_REDIS_PREFIX });
        runner.kinds.register({ ...CONTENT_BACKFILL_POLICY, run: () => Promise.reject(new Error("queued only: vigil serve or vigil worker runs it")) });
        try {
          const queued = await queueContentBackfill(runner, target, { forgeUrl: base.toString(), forgeRepo: options.forgeRepo ?? fullName });
          process.stderr.write(queued ? `vigil: content backfill of ${fullName} queued\n` : `vigil: a content backfill of ${fullName} is queued already\n`);
        } finally {
          await runner.close();
        }
        return;
      }
      const matcher = buildMatcher(matcherSettingsFromConfig(defaultConfig()));
      const statePath = join(location.dataDir, "backfill", owner, `${name}.json`);
      const scan = await opened.store.createScan({ repoId: target.id, kind: "backfill", type: "issue" });
      await opened.store.updateScan(scan.id, { status: "running", startedAt: new Date().toISOString() });
      let created = 0;
      let findings = 0;
      try {
        const result = await backfillFromForge({
          baseUrl: base.toString(),
          repository: options.forgeRepo ?? fullName,
          ...(process.env.VIGIL_FORGE_TOKEN ? { token: process.env.VIGIL_FORGE_TOKEN } : {}),
          maxWaitMs: maxWait * 1000,
          async onItems(items) {
            const recorded = await recordContent(opened.store, matcher, target, items);
            created += recorded.created.length;
            findings += recorded.findings;
          },
          loadState: () => {
            try {
              return Promise.resolve(JSON.parse(readFileSync(statePath, "utf8")) as never);
            } catch {
              return Promise.resolve(null);
            }
          },
          saveState: (state) => {
            mkdirSync(dirname(statePath), { recursive: true });
            writeFileSync(`${statePath}.tmp`, JSON.stringify(state));
            renameSync(`${statePath}.tmp`, statePath);
            return Promise.resolve();
          },
        });
        await opened.store.updateScan(scan.id, {
          status: result.stoppedAt ? "pending" : "completed",
          completedAt: result.stoppedAt ? null : new Date().toISOString(),
        });
        const summary = `${result.pages} pages, ${result.state.items} texts so far, ${findings} secrets found now, ${created} new alerts`;
        if (result.stoppedAt)
          process.stderr.write(
            `vigil: backfill of ${fullName} stopped at the forge's rate limit until ${new Date(result.stoppedAt.resetAt).toISOString()} (${summary}); run it again to resume\n`,
          );
        else process.stderr.write(`vigil: backfill of ${fullName} complete (${summary})\n`);
      } catch (error) {
        await opened.store.updateScan(scan.id, {
          status: "failed",
          completedAt: new Date().toISOString(),
          error: error instanceof Error ? error.message : String(error),
        });
        if (error instanceof BackfillError)
          throw new VigilError(
            "ERR_BACKFILL_FORGE",
            `backfill of ${fullName}: ${error.message}; run it again to resume`,
          );
        throw error;
      }
    } finally {
      await opened.close();
    }
  });
}
