import type { Command } from "commander";
import { StoreConflictError } from "../../alerts/alert-store.js";
import { VigilError } from "../../errors.js";
import { hasControlCharacter, loginProblem, printableName, repositoryNameProblem } from "../../alerts/names.js";
import { maskUrlCredentials } from "../../alerts/mask-url.js";
import { recordRepository } from "../../server/repository-service.js";
import { openStoreLazily } from "../open-store-lazily.js";
import { addStoreOptions, storeLocation, type StoreCommandOptions } from "../store-options.js";


export function registerRepoCommand(program: Command): void {
  const repo = program.command("repo").description("Register repositories for the server to mirror and scan (works while the server runs)");
  addStoreOptions(
    repo
      .command("add")
      .description("Register OWNER/NAME; the server mirrors SOURCE and scans its full history in the background. Without SOURCE the server hosts the repository itself")
      .argument("<owner/name>", "the repository's name on this server")
      .argument("[source]", "git URL or local path to mirror from"),
  ).action(async (fullName: string, source: string | undefined, options: StoreCommandOptions) => {
    const [owner = "", name = "", ...extra] = fullName.split("/");
    const problem = extra.length > 0 ? "it has more than one /" : (loginProblem(owner) ?? repositoryNameProblem(name));
    if (problem) throw new VigilError("ERR_CLI_USAGE", `"${printableName(fullName)}" is not OWNER/NAME: ${problem}`);
    // The operator may mirror a local path; git never sees a source as an option (updateMirror passes it after "--").
    if (source !== undefined && hasControlCharacter(source)) throw new VigilError("ERR_CLI_USAGE", "the source must not contain control characters");
    const location = storeLocation(options);
    const sourceUrl = source === undefined ? null : /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || source.includes("@") ? source : (await import("node:path")).resolve(source);
    const opened = await openStoreLazily({ ...location, env: process.env });
    try {
      const created = await recordRepository(opened.store, location.dataDir, { owner, name, sourceUrl });
      process.stderr.write(`vigil: registered ${created.fullName}; the server scans it in the background (see GET /api/v3/repos/${created.fullName}/secret-scanning/scan-history)\n`);
    } catch (error) {
      if (error instanceof StoreConflictError) throw new VigilError("ERR_REPO_EXISTS", `repository ${fullName} is already registered`);
      throw error;
    } finally {
      await opened.close();
    }
  });
  addStoreOptions(repo.command("list").description("List registered repositories")).action(async (options: StoreCommandOptions) => {
    const opened = await openStoreLazily({ ...storeLocation(options), env: process.env });
    try {
      for (const r of await opened.store.listRepositories()) {
        const scans = await opened.store.listScans(r.id, 1);
        process.stdout.write(`${r.fullName}\t${r.sourceUrl === null ? "(hosted)" : maskUrlCredentials(r.sourceUrl)}\t${scans[0]?.status ?? "never scanned"}\n`);
      }
    } finally {
      await opened.close();
    }
  });
}
