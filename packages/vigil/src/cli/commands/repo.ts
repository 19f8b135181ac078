import type { Command } from "commander";
import { createInterface } from "node:readline/promises";
import { StoreConflictError } from "../../alerts/alert-store.js";
import type { Repository } from "../../alerts/types.js";
import { webUrlTemplateProblem } from "../../api/web-url-template.js";
import { VigilError } from "../../errors.js";
import { recordRepository, removeRepository } from "../../server/repository-service.js";
import { hasControlCharacter, loginProblem, printableName, repositoryNameProblem } from "../../alerts/names.js";
import { maskUrlCredentials } from "../../alerts/mask-url.js";
import { openStoreLazily } from "../open-store-lazily.js";
import { addStoreOptions, storeLocation, type StoreCommandOptions } from "../store-options.js";
import { registerRepoBackfillCommand } from "./repo-backfill.js";


export function registerRepoCommand(program: Command): void {
  const repo = program.command("repo").description("Register, list, change and remove the repositories the server mirrors, hosts and scans (works while the server runs)");
  addStoreOptions(
    repo
      .command("add")
      .description("Register OWNER/NAME; the server mirrors SOURCE and scans its full history in the background. Without SOURCE the server hosts the repository itself")
      .argument("<owner/name>", "the repository's name on this server")
      .argument("[source]", "git URL or local path to mirror from")
      .option("--web-url-template <url>", "link to a file in the git server's web view: {owner} {repo} {commit} {path} {line} {end_line}")
      .option("--public", "the repository is public: its alerts are publicly leaked and reported to partners"),
  ).action(async (fullName: string, source: string | undefined, options: StoreCommandOptions & { webUrlTemplate?: string; public?: boolean }) => {
    const [owner, name] = parseFullName(fullName);
    // The operator may mirror a local path; git never sees a source as an option (updateMirror passes it after "--").
    if (source !== undefined && hasControlCharacter(source)) throw new VigilError("ERR_CLI_USAGE", "the source must not contain control characters");
    const template = options.webUrlTemplate === undefined ? undefined : checkTemplate(options.webUrlTemplate);
    const location = storeLocation(options);
    const sourceUrl = source === undefined ? null : /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || source.includes("@") ? source : (await import("node:path")).resolve(source);
    const opened = await openStoreLazily({ ...location, env: process.env });
    try {
      const created = await recordRepository(opened.store, location.dataDir, { owner, name, sourceUrl, isPublic: options.public === true });
      if (template !== undefined) await opened.store.updateRepository(created.id, { webUrlTemplate: template });
      process.stderr.write(`vigil: registered ${created.fullName}; the server scans it in the background (see GET /api/v3/repos/${created.fullName}/secret-scanning/scan-history)\n`);
    } catch (error) {
      if (error instanceof StoreConflictError) throw new VigilError("ERR_REPO_EXISTS", `repository ${fullName} is already registered`);
      throw error;
    } finally {
      await opened.close();
    }
  });
  registerRepoBackfillCommand(repo);
  addStoreOptions(
    repo.command("list").description("List registered repositories: name, source, last scan's status, and why the mirror or the scan failed"),
  ).action(async (options: StoreCommandOptions) => {
    const opened = await openStoreLazily({ ...storeLocation(options), env: process.env });
    try {
      for (const r of await opened.store.listRepositories()) {
        const [last] = await opened.store.listScans(r.id, 1);
        let status = last?.status ?? "never scanned";
        if (r.mirrorError !== null) status += ` (mirror failed ${r.mirrorFailedAt ?? ""}: ${r.mirrorError})`.replace(" :", ":");
        else if (last?.status === "failed" && last.error) status += ` (${last.error})`;
        process.stdout.write(`${r.fullName}\t${r.sourceUrl === null ? "(hosted)" : maskUrlCredentials(r.sourceUrl)}\t${status}${r.isPublic ? "\tpublic" : ""}\n`);
      }
    } finally {
      await opened.close();
    }
  });

  addStoreOptions(
    repo
      .command("edit")
      .description("Change a repository's settings")
      .argument("<owner/name>", "the repository")
      .requiredOption("--web-url-template <url>", "link to a file in the git server's web view ({owner} {repo} {commit} {path} {line} {end_line}); none removes it"),
  ).action(async (fullName: string, options: StoreCommandOptions & { webUrlTemplate: string }) => {
    const [owner, name] = parseFullName(fullName);
    const template = options.webUrlTemplate === "none" ? null : checkTemplate(options.webUrlTemplate);
    const opened = await openStoreLazily({ ...storeLocation(options), env: process.env });
    try {
      const found = await opened.store.getRepository(owner, name);
      if (!found) throw new VigilError("ERR_REPO_NOT_FOUND", `no repository ${fullName} is registered (vigil repo list shows them)`);
      await opened.store.updateRepository(found.id, { webUrlTemplate: template });
      process.stderr.write(`vigil: ${found.fullName}: ${template === null ? "alert locations link to the API's git objects" : `alert locations link to ${template}`}\n`);
    } finally {
      await opened.close();
    }
  });

  addStoreOptions(
    repo
      .command("remove")
      .description("Remove a repository: its alerts, scans and roles (one transaction), and its git directory (the mirror, or the hosted repository)")
      .argument("<owner/name>", "the repository")
      .option("-y, --yes", "do not ask for confirmation"),
  )
    .addHelpText(
      "after",
      `
Kept: the organization and its settings, users and their tokens, and the source a mirror was
fetched from. A hosted repository's git directory is its only copy on this server: clone it first
if you need its history.`,
    )
    .action(async (fullName: string, options: StoreCommandOptions & { yes?: boolean }) => {
      const [owner, name] = parseFullName(fullName);
      const location = storeLocation(options);
      const opened = await openStoreLazily({ ...location, env: process.env });
      try {
        const found = await opened.store.getRepository(owner, name);
        if (!found) throw new VigilError("ERR_REPO_NOT_FOUND", `no repository ${fullName} is registered (vigil repo list shows them)`);
        if (!options.yes) await confirmRemoval(found);
        const removed = await removeRepository(opened.store, location.dataDir, found);
        const git = removed.removedGitDir
          ? ` and its git directory ${removed.removedGitDir}`
          : removed.keptGitDir
            ? `; its git directory ${removed.keptGitDir} is outside ${location.dataDir}/repos and was left in place`
            : "";
        process.stderr.write(`vigil: removed ${found.fullName} with its alerts, scans and roles${git}\n`);
      } finally {
        await opened.close();
      }
    });
}

function parseFullName(fullName: string): [string, string] {
  const [owner = "", name = "", ...extra] = fullName.split("/");
  const problem = extra.length > 0 ? "it has more than one /" : (loginProblem(owner) ?? repositoryNameProblem(name));
  if (problem) throw new VigilError("ERR_CLI_USAGE", `"${printableName(fullName)}" is not OWNER/NAME: ${problem}`);
  return [owner, name];
}

function checkTemplate(template: string): string {
  const problem = webUrlTemplateProblem(template);
  if (problem) throw new VigilError("ERR_REPO_WEB_URL_TEMPLATE", `--web-url-template ${problem}`);
  return template;
}

/** Asks on the terminal for the repository's name; without a terminal, --yes is required. */
async function confirmRemoval(repo: Repository): Promise<void> {
  if (!process.stdin.isTTY) {
    throw new VigilError("ERR_REPO_NOT_CONFIRMED", `not removing ${repo.fullName}: add --yes to confirm (there is no terminal to ask on)`);
  }
  const what = repo.sourceUrl === null ? "the hosted git repository itself" : "its mirror";
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`This removes ${repo.fullName}: every alert, scan and role, and ${what}. Type ${repo.fullName} to confirm: `);
    if (answer.trim() !== repo.fullName) throw new VigilError("ERR_REPO_NOT_CONFIRMED", `not removing ${repo.fullName}: the answer was not its name`);
  } finally {
    rl.close();
  }
}
