import { createHash } from "node:crypto";
import { lookup as dnsLookup } from "node:dns/promises";
import { createTransport } from "nodemailer";
import { maskSecret } from "vigil-secrets-engine";
import type { AlertStore } from "../alerts/alert-store.js";
import type { Organization } from "../alerts/types.js";
import { isPrivateAddress, postWebhook } from "../webhooks/post-webhook.js";
import { sinkHeaders } from "../webhooks/sinks.js";
import type { Hook, WebhookStore } from "../webhooks/webhook-store.js";
import { loadCampaignAlerts } from "./campaign-data.js";
import type { Campaign, CampaignStore } from "./campaign-store.js";
import type { MaintainerLookup } from "./find-maintainers.js";

export interface SinkOutreachDeps {
  store: AlertStore;
  campaigns: CampaignStore;
  webhooks: WebhookStore;
  maintainers: MaintainerLookup;
  webUrl: string;
  /** As for webhook deliveries (`vigil serve --allow-private-webhooks`). */
  allowPrivate: boolean;
  timeoutMs?: number;
}

export interface SinkMessageResult {
  repository: string;
  sink_id: number;
  kind: string;
  outcome: "sent" | "unchanged" | "failed";
  error?: string;
}

const KINDS = new Set(["slack", "teams", "json", "email"]);

/**
 * The chat and email side of outreach: through each active notification sink of the organization
 * (Slack, Teams, JSON, email), one message per affected repository listing its alerts masked, with
 * its maintainers and a link to each alert. A message is sent again only when what it says changed
 * (alerts closed), which is recorded per repository and sink.
 */
export async function runSinkOutreach(deps: SinkOutreachDeps, org: Organization, campaign: Campaign): Promise<SinkMessageResult[]> {
  const sinks = (await deps.webhooks.listHooks({ scope: "organization", orgId: org.id, kind: "sinks" })).filter((h) => h.active && KINDS.has(h.kind));
  if (sinks.length === 0) return [];
  const loaded = await loadCampaignAlerts(deps.store, deps.campaigns, campaign);
  const web = deps.webUrl.replace(/\/+$/, "");
  const results: SinkMessageResult[] = [];
  for (const { repo, alerts } of [...loaded.byRepo.values()].sort((a, b) => a.repo.fullName.localeCompare(b.repo.fullName))) {
    const open = alerts.filter((a) => a.state === "open");
    const maintainers = (await deps.maintainers.forAlerts(repo, alerts)).map((m) => m.name);
    const title = open.length > 0 ? `${repo.fullName}: ${open.length} leaked secret${open.length === 1 ? "" : "s"} to revoke (${campaign.name})` : `${repo.fullName}: all leaked secrets remediated (${campaign.name})`;
    const lines = alerts
      .sort((a, b) => a.number - b.number)
      .map((a) => `#${a.number} ${a.secretTypeDisplayName} ${maskSecret(a.secret)} (${a.state === "open" ? "open" : a.resolution ?? "closed"}) ${web}/${repo.fullName}/security/secret-scanning/${a.number}`);
    const message = { title, lines, maintainers, due: campaign.endsAt?.slice(0, 10) ?? null, campaignUrl: `${web}/orgs/${org.login}/security/campaigns/${campaign.id}` };
    const hash = createHash("sha256").update(JSON.stringify(message)).digest("hex");
    for (const sink of sinks) {
      const channel = `sink:${sink.id}`;
      const previous = await deps.campaigns.getOutreach(campaign.id, repo.id, channel);
      if (!previous && open.length === 0) continue;
      if (previous?.bodyHash === hash) {
        results.push({ repository: repo.fullName, sink_id: sink.id, kind: sink.kind, outcome: "unchanged" });
        continue;
      }
      const error = await send(deps, sink, message);
      if (error) {
        results.push({ repository: repo.fullName, sink_id: sink.id, kind: sink.kind, outcome: "failed", error });
        continue;
      }
      await deps.campaigns.saveOutreach({ campaignId: campaign.id, repoId: repo.id, channel, issueNumber: null, url: null, bodyHash: hash, state: open.length > 0 ? "open" : "closed" });
      results.push({ repository: repo.fullName, sink_id: sink.id, kind: sink.kind, outcome: "sent" });
    }
  }
  return results;
}

interface Message {
  title: string;
  lines: string[];
  maintainers: string[];
  due: string | null;
  campaignUrl: string;
}

async function send(deps: SinkOutreachDeps, sink: Hook, m: Message): Promise<string | null> {
  const secret = await deps.webhooks.getHookSecret(sink.id);
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const text = [
    m.title,
    "",
    `Maintainers to contact: ${m.maintainers.join(", ") || "the repository's admins"}`,
    ...(m.due ? [`Due: ${m.due}`] : []),
    "",
    ...m.lines,
    "",
    `Campaign: ${m.campaignUrl}`,
  ].join("\n");
  if (sink.kind === "email") return sendEmail(sink, secret, m.title, text, deps.allowPrivate, timeoutMs);
  const body =
    sink.kind === "slack"
      ? { text: m.title, blocks: [{ type: "header", text: { type: "plain_text", text: m.title.slice(0, 150) } }, { type: "section", text: { type: "mrkdwn", text: text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").slice(0, 2900) } }] }
      : sink.kind === "teams"
        ? {
            type: "message",
            attachments: [
              {
                contentType: "application/vnd.microsoft.card.adaptive",
                contentUrl: null,
                content: {
                  $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
                  type: "AdaptiveCard",
                  version: "1.4",
                  body: [
                    { type: "TextBlock", size: "Medium", weight: "Bolder", wrap: true, text: m.title },
                    { type: "TextBlock", wrap: true, text: `Maintainers to contact: ${m.maintainers.join(", ")}` },
                    ...m.lines.map((line) => ({ type: "TextBlock", wrap: true, text: line })),
                  ],
                  actions: [{ type: "Action.OpenUrl", title: "View campaign", url: m.campaignUrl }],
                },
              },
            ],
          }
        : { event: "campaign_outreach", message: m.title, maintainers: m.maintainers, due: m.due, alerts: m.lines, campaign_url: m.campaignUrl };
  const result = await postWebhook(sink.url, JSON.stringify(body), sinkHeaders(sink, secret), { timeoutMs, allowPrivate: deps.allowPrivate, insecureSsl: sink.insecureSsl });
  return result.error;
}

/** One email over SMTP to the sink's recipients; the host is checked like a webhook's. */
async function sendEmail(sink: Hook, secret: string | null, subject: string, text: string, allowPrivate: boolean, timeoutMs: number): Promise<string | null> {
  const to = sink.settings?.to ?? [];
  if (to.length === 0) return "no recipients (settings.to)";
  const url = new URL(sink.url);
  let host: string;
  try {
    const addresses = await dnsLookup(url.hostname.replace(/^\[|\]$/g, ""), { all: true, verbatim: true });
    const refused = addresses.find((a) => isPrivateAddress(a.address));
    if (refused && !allowPrivate) return `refused: ${url.hostname} resolves to ${refused.address}, a loopback, private or link-local address`;
    host = addresses[0]!.address;
  } catch (error) {
    return `cannot resolve ${url.hostname}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
  }
  const [user, ...rest] = secret ? secret.split(":") : [];
  const transport = createTransport({
    host,
    port: Number(url.port || (url.protocol === "smtps:" ? 465 : 25)),
    secure: url.protocol === "smtps:",
    tls: { servername: url.hostname, rejectUnauthorized: !sink.insecureSsl },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    ...(user ? { auth: { user, pass: rest.join(":") } } : {}),
  });
  try {
    await transport.sendMail({ from: sink.settings?.from ?? "Vigil <vigil@localhost>", to, subject: `[Vigil] ${subject}`, text: `${text}\n\n-- Vigil secret scanning` });
    return null;
  } catch (error) {
    return `SMTP: ${(error as Error).message}`;
  } finally {
    transport.close();
  }
}
