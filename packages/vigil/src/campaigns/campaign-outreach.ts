import type { AlertStore } from "../alerts/alert-store.js";
import type { Organization } from "../alerts/types.js";
import type { WebhookStore } from "../webhooks/webhook-store.js";
import type { Campaign, CampaignStore } from "./campaign-store.js";
import type { MaintainerLookup } from "./find-maintainers.js";
import { createIssueTracker } from "./forge-issues.js";
import { runOutreach, type OutreachResult } from "./run-outreach.js";
import { runSinkOutreach, type SinkMessageResult } from "./sink-outreach.js";

/** Neither a forge connection nor a notification sink: outreach has nowhere to go. */
export class NoOutreachChannelError extends Error {
  constructor(orgLogin: string) {
    super(
      `No forge is connected and the organization has no notification sink: an organization owner sets one with PUT /api/v3/orgs/${orgLogin}/secret-scanning/forge-connection or POST /api/v3/orgs/${orgLogin}/notification-sinks`,
    );
    this.name = "NoOutreachChannelError";
  }
}

export interface CampaignOutreachDeps {
  store: AlertStore;
  campaigns: CampaignStore;
  /** The organization's notification sinks (absent: issues only). */
  webhooks?: WebhookStore;
  maintainers: MaintainerLookup;
  webUrl: string;
  /** Sinks on loopback or private addresses (`--allow-private-webhooks`). */
  allowPrivateSinks?: boolean;
  sinkTimeoutMs?: number;
  fetch?: typeof fetch;
  log?: { warn(fields: Record<string, unknown>, message: string): void };
}

/**
 * All of a campaign's outreach, as the API, the pages and the CLI run it: issues on the connected
 * forge, then messages through the organization's sinks. One plain async function, so that a job
 * runner can run it as one job.
 */
export async function runCampaignOutreach(
  deps: CampaignOutreachDeps,
  org: Organization,
  campaign: Campaign,
): Promise<OutreachResult & { messages: SinkMessageResult[] }> {
  const connection = await deps.campaigns.getForgeConnection(org.id);
  const token = connection ? await deps.campaigns.getForgeToken(org.id) : null;
  const sinks = deps.webhooks ? (await deps.webhooks.listHooks({ scope: "organization", orgId: org.id, kind: "sinks" })).filter((h) => h.active) : [];
  if ((!connection || !token) && sinks.length === 0) throw new NoOutreachChannelError(org.login);
  const result = await runOutreach(
    {
      store: deps.store,
      campaigns: deps.campaigns,
      maintainers: deps.maintainers,
      tracker: connection && token ? createIssueTracker({ kind: connection.kind, apiUrl: connection.apiUrl, token, ...(deps.fetch ? { fetch: deps.fetch } : {}) }) : null,
      webUrl: deps.webUrl,
      ...(deps.log ? { log: deps.log } : {}),
    },
    org,
    campaign,
  );
  const messages =
    deps.webhooks && sinks.length > 0
      ? await runSinkOutreach(
          {
            store: deps.store,
            campaigns: deps.campaigns,
            webhooks: deps.webhooks,
            maintainers: deps.maintainers,
            webUrl: deps.webUrl,
            allowPrivate: deps.allowPrivateSinks === true,
            ...(deps.sinkTimeoutMs ? { timeoutMs: deps.sinkTimeoutMs } : {}),
          },
          org,
          campaign,
        )
      : [];
  return { ...result, messages };
}
