import type { Command } from "commander";

/** One top-level command as `vigil --help` lists it, and how to load it. */
export interface CommandEntry {
  /** As the help lists it: name, `[options]`, arguments. */
  term: string;
  description: string;
  register: () => Promise<(program: Command) => void>;
}

/**
 * Every top-level command, in help order. A static table so `vigil --help` and an unknown command's
 * suggestion need no command module, and running one command loads only its own (not the server's
 * network and stream modules for a `vigil scan`). command-table.test.ts checks it against the
 * commands themselves.
 */
export const COMMANDS: Record<string, CommandEntry> = {
  scan: {
    term: "scan [options] [paths...]",
    description: "Scan files, directories and git history for secrets (use - for standard input)",
    register: async () => (await import("./commands/scan.js")).registerScanCommand,
  },
  patterns: {
    term: "patterns",
    description: "Inspect the pattern catalog",
    register: async () => (await import("./commands/patterns.js")).registerPatternsCommand,
  },
  hook: {
    term: "hook",
    description: "Install git hooks that block commits and pushes carrying secrets",
    register: async () => (await import("./commands/hook.js")).registerHookCommand,
  },
  serve: {
    term: "serve [options]",
    description:
      "Run the Vigil server: GitHub-compatible secret-scanning REST API under /api/v3, repository scans in the background",
    register: async () => (await import("./commands/serve.js")).registerServeCommand,
  },
  worker: {
    term: "worker [options]",
    description:
      "Run background jobs only (scans, mirror fetches, wiki and content backfills, validity checks, webhook deliveries, partner reports, custom-pattern scans, auto-remediation), no HTTP: start one or more beside `vigil serve --no-jobs`",
    register: async () => (await import("./commands/worker.js")).registerWorkerCommand,
  },
  jobs: {
    term: "jobs",
    description:
      "Background jobs and dead letters (scans, mirror fetches, …): list, show, retry (works while the server runs)",
    register: async () => (await import("./commands/jobs.js")).registerJobsCommand,
  },
  "pre-receive": {
    term: "pre-receive [options]",
    description: "git pre-receive hook: reject a push that adds secrets (reads ref updates on standard input)",
    register: async () => (await import("./commands/pre-receive.js")).registerPreReceiveCommand,
  },
  repo: {
    term: "repo",
    description:
      "Register, list, change and remove the repositories the server mirrors, hosts and scans (works while the server runs)",
    register: async () => (await import("./commands/repo.js")).registerRepoCommand,
  },
  token: {
    term: "token",
    description: "Manage API tokens (works while the server runs)",
    register: async () => (await import("./commands/token.js")).registerTokenCommand,
  },
  grant: {
    term: "grant [options] <user>",
    description: "Give a user a role in an organization or a repository (role 'none' removes it)",
    register: async () => (await import("./commands/grant.js")).registerGrantCommand,
  },
  db: {
    term: "db",
    description: "Database maintenance",
    register: async () => (await import("./commands/db.js")).registerDbCommand,
  },
  partner: {
    term: "partner",
    description:
      "Token issuers Vigil reports leaked tokens to, and the keys reports are signed with (works while the server runs)",
    register: async () => (await import("./commands/partner.js")).registerPartnerCommand,
  },
  webhook: {
    term: "webhook",
    description: "Manage webhooks: alert events POSTed, signed, to your endpoint (works while the server runs)",
    register: async () => (await import("./commands/webhook.js")).registerWebhookCommand,
  },
  campaign: {
    term: "campaign",
    description: "Remediation campaigns: select open alerts, contact each repository's maintainers, follow progress",
    register: async () => (await import("./commands/campaign.js")).registerCampaignCommand,
  },
};
