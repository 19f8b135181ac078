import type { Command } from "commander";
import { registerDbCommand } from "./commands/db.js";
import { registerGrantCommand } from "./commands/grant.js";
import { registerHookCommand } from "./commands/hook.js";
import { registerJobsCommand } from "./commands/jobs.js";
import { registerWorkerCommand } from "./commands/worker.js";
import { registerPartnerCommand } from "./commands/partner.js";
import { registerPatternsCommand } from "./commands/patterns.js";
import { registerPreReceiveCommand } from "./commands/pre-receive.js";
import { registerRepoCommand } from "./commands/repo.js";
import { registerScanCommand } from "./commands/scan.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerTokenCommand } from "./commands/token.js";
import { registerWebhookCommand } from "./commands/webhook.js";
import { registerCampaignCommand } from "./commands/campaign.js";
import { createBaseProgram } from "./run-program.js";

/**
 * The whole `vigil` program, every command registered (the library's export, and what the
 * command table is checked against). The CLI itself (main.ts) loads only the command it runs.
 */
export function createProgram(): Command {
  const program = createBaseProgram();
  registerScanCommand(program);
  registerPatternsCommand(program);
  registerHookCommand(program);
  registerServeCommand(program);
  registerWorkerCommand(program);
  registerJobsCommand(program);
  registerPreReceiveCommand(program);
  registerRepoCommand(program);
  registerTokenCommand(program);
  registerGrantCommand(program);
  registerDbCommand(program);
  registerPartnerCommand(program);
  registerWebhookCommand(program);
  registerCampaignCommand(program);
  return program;
}
