import type { Command } from "commander";
import { StoreConflictError } from "../../alerts/alert-store.js";
import { VigilError } from "../../errors.js";
import { recordRepository } from "../../server/repository-service.js";
import { openStoreLazily } from "../open-store-lazily.js";
import { addStoreOptions, storeLocation, type StoreCommandOptions } from "../store-options.js";
import { registerRepoBackfillCommand } from "./repo-backfill.js";

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

export function registerRepoCommand(program: Command): void {
  const repo = program.command("repo").description("Register repositories for the server to mirror and scan (works while the server runs)");
  addStoreOptions(
    repo
      .command("add")
      .description("Register OWNER/NAME; the server mirrors SOURCE and scans its full history in the background. Without SOURCE the server hosts the repository itself")
      .argument("<owner/name>", "the repository's name on this server")
      .argument("[source]", "git URL or local path to mirror from")
      .option("--public", "the repository is public: its alerts are publicly leaked and reported to partners"),
  ).action(async (fullName: string, source: string | undefined, options: StoreCommandOptions & { public?: boolean }) => {
    if (!NAME.test(fullName) || fullName.endsWith("/.") || fullName.endsWith("/..")) {
      throw new VigilError("ERR_CLI_USAGE", `"${fullName.slice(0, 80)}" is not OWNER/NAME`);
    }
    const [owner, name] = fullName.split("/") as [string, string];
    const location = storeLocation(options);
    const sourceUrl = source === undefined ? null : /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || source.includes("@") ? source : (await import("node:path")).resolve(source);
    const opened = await openStoreLazily({ ...location, env: process.env });
    try {
      const created = await recordRepository(opened.store, location.dataDir, { owner, name, sourceUrl, isPublic: options.public === true });
      process.stderr.write(`vigil: registered ${created.fullName}; the server scans it in the background (see GET /api/v3/repos/${created.fullName}/secret-scanning/scan-history)\n`);
    } catch (error) {
      if (error instanceof StoreConflictError) throw new VigilError("ERR_REPO_EXISTS", `repository ${fullName} is already registered`);
      throw error;
    } finally {
      await opened.close();
    }
  });
  registerRepoBackfillCommand(repo);
  addStoreOptions(repo.command("list").description("List registered repositories")).action(async (options: StoreCommandOptions) => {
    const opened = await openStoreLazily({ ...storeLocation(options), env: process.env });
    try {
      for (const r of await opened.store.listRepositories()) {
        const scans = await opened.store.listScans(r.id, 1);
        process.stdout.write(`${r.fullName}\t${r.sourceUrl ?? "(hosted)"}\t${scans[0]?.status ?? "never scanned"}${r.isPublic ? "\tpublic" : ""}\n`);
      }
    } finally {
      await opened.close();
    }
  });
}
