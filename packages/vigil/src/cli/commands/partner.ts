import type { Command } from "commander";
import { StoreConflictError } from "../../alerts/alert-store.js";
import { VigilError } from "../../errors.js";
import { openStoreLazily } from "../open-store-lazily.js";
import { addStoreOptions, storeLocation, type StoreCommandOptions } from "../store-options.js";

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const SECRET_TYPE = /^[a-z0-9_]{1,100}$/;

interface PartnerAddOptions extends StoreCommandOptions {
  types: string;
  allRepositories?: boolean;
}

function partnerUrl(url: string): string {
  if (url === "internal:vigil") return url;
  try {
    const parsed = new URL(url);
    if (parsed.protocol === "https:" || parsed.protocol === "http:") return url;
  } catch {
    // reported below
  }
  throw new VigilError("ERR_CLI_USAGE", `"${url.slice(0, 100)}" is not an http(s) URL`);
}

export function registerPartnerCommand(program: Command): void {
  const partner = program
    .command("partner")
    .description(
      "Token issuers Vigil reports leaked tokens to, and the keys reports are signed with (works while the server runs)",
    );
  addStoreOptions(
    partner
      .command("add")
      .description("Register a partner: reports of these secret types are POSTed to URL, signed as GitHub signs them")
      .argument("<name>", "a name for the partner (e.g. pypi)")
      .argument("<url>", "the endpoint reports are POSTed to")
      .requiredOption("--types <list>", "comma-separated secret types the partner accepts (e.g. pypi_api_token)")
      .option("--all-repositories", "report secrets found in any repository, not only public ones"),
  ).action(async (name: string, url: string, options: PartnerAddOptions) => {
    if (!NAME.test(name))
      throw new VigilError(
        "ERR_CLI_USAGE",
        `"${name.slice(0, 100)}" is not a partner name (letters, digits, '.', '_' and '-')`,
      );
    const types = options.types
      .split(",")
      .map((t) => t.trim())
      .filter(Boolean);
    const bad = types.find((t) => !SECRET_TYPE.test(t));
    if (types.length === 0 || bad !== undefined)
      throw new VigilError(
        "ERR_CLI_USAGE",
        `--types: "${(bad ?? "").slice(0, 100)}" is not a secret type slug (see vigil patterns list)`,
      );
    const opened = await openStoreLazily({ ...storeLocation(options), env: process.env });
    try {
      const added = await opened.partners.addPartner({
        name,
        url: partnerUrl(url),
        secretTypes: types,
        reportAll: options.allRepositories === true,
      });
      process.stderr.write(
        `vigil: partner ${added.name} receives ${added.secretTypes.join(", ")} found in ${added.reportAll ? "any repository" : "public repositories"}\n`,
      );
    } catch (error) {
      if (error instanceof StoreConflictError)
        throw new VigilError("ERR_PARTNER_EXISTS", `a partner named ${name} is already registered`);
      throw error;
    } finally {
      await opened.close();
    }
  });
  addStoreOptions(partner.command("list").description("List partners: name, URL, secret types, scope")).action(
    async (options: StoreCommandOptions) => {
      const opened = await openStoreLazily({ ...storeLocation(options), env: process.env });
      try {
        for (const p of await opened.partners.listPartners())
          process.stdout.write(
            `${p.name}\t${p.url}\t${p.secretTypes.join(",")}\t${p.reportAll ? "all repositories" : "public repositories"}\n`,
          );
      } finally {
        await opened.close();
      }
    },
  );
  addStoreOptions(
    partner.command("remove").description("Remove a partner and its queued reports").argument("<name>"),
  ).action(async (name: string, options: StoreCommandOptions) => {
    const opened = await openStoreLazily({ ...storeLocation(options), env: process.env });
    try {
      if (!(await opened.partners.removePartner(name)))
        throw new VigilError("ERR_PARTNER_NOT_FOUND", `no partner named ${name.slice(0, 100)}`);
      process.stderr.write(`vigil: removed partner ${name}\n`);
    } finally {
      await opened.close();
    }
  });
  addStoreOptions(
    partner
      .command("rotate-key")
      .description("Sign reports with a new key; old keys stay published (not current) for reports in flight"),
  ).action(async (options: StoreCommandOptions) => {
    const opened = await openStoreLazily({ ...storeLocation(options), env: process.env });
    try {
      const key = await opened.partners.rotateSigningKey();
      process.stdout.write(`${key.keyIdentifier}\n`);
      process.stderr.write(
        "vigil: reports are now signed with this key; it is published at /meta/public_keys/secret_scanning\n",
      );
    } finally {
      await opened.close();
    }
  });
}
