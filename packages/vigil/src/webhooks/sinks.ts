import { lookup as dnsLookup } from "node:dns/promises";
import { createTransport } from "nodemailer";
import { VIGIL_VERSION } from "../version.js";
import { isPrivateAddress } from "./post-webhook.js";
import type { Hook, HookKind, SinkSettings } from "./webhook-store.js";

/** What a sink message says about one event: never the secret, only its masked form and a link. */
export interface SinkEvent {
  event: string;
  action: string;
  repository: string;
  alertNumber: number | null;
  secretType: string | null;
  secretTypeDisplayName: string | null;
  /** e.g. `ghp_****…` (maskSecret); null when not known. */
  maskedSecret: string | null;
  state: string | null;
  resolution: string | null;
  bypassed: boolean;
  bypassedBy: string | null;
  sender: string | null;
  /** The alert's page. */
  url: string | null;
  path: string | null;
}

/** Whether a sink's filters let the event through. */
export function sinkAccepts(settings: SinkSettings | null, event: SinkEvent): boolean {
  if (!settings) return true;
  if (
    settings.events &&
    settings.events.length > 0 &&
    !settings.events.some((e) => e === event.event || e === `${event.event}.${event.action}`)
  )
    return false;
  if (
    settings.secretTypes &&
    settings.secretTypes.length > 0 &&
    (event.secretType === null || !settings.secretTypes.includes(event.secretType))
  )
    return false;
  if (
    settings.repositories &&
    settings.repositories.length > 0 &&
    !settings.repositories.some((r) => r.toLowerCase() === event.repository.toLowerCase())
  )
    return false;
  if (settings.bypassOnly && !event.bypassed) return false;
  return true;
}

function headline(e: SinkEvent): string {
  const what = e.secretTypeDisplayName ?? "Secret scanning";
  const verb: Record<string, string> = {
    "secret_scanning_alert.created": e.bypassed ? "pushed through push protection" : "detected",
    "secret_scanning_alert.resolved": `resolved${e.resolution ? ` as ${e.resolution.replace(/_/g, " ")}` : ""}`,
    "secret_scanning_alert.reopened": "reopened",
    "secret_scanning_alert.assigned": "assigned",
    "secret_scanning_alert.unassigned": "unassigned",
    "secret_scanning_alert.validated": "validity changed",
    "secret_scanning_alert.publicly_leaked": "found in public",
    "secret_scanning_alert_location.created": "found in a new place",
    "secret_scanning_scan.completed": "scan completed",
  };
  const alert = e.alertNumber !== null ? ` alert #${e.alertNumber}` : "";
  return `${e.repository}: ${what}${alert} ${verb[`${e.event}.${e.action}`] ?? `${e.event} ${e.action}`}`;
}

function facts(e: SinkEvent): [string, string][] {
  const rows: [string, string][] = [["Repository", e.repository]];
  if (e.secretType) rows.push(["Secret type", e.secretType]);
  if (e.maskedSecret) rows.push(["Secret", e.maskedSecret]);
  if (e.path) rows.push(["Where", e.path]);
  if (e.state) rows.push(["State", e.resolution ? `${e.state} (${e.resolution})` : e.state]);
  if (e.bypassed) rows.push(["Push protection", `bypassed${e.bypassedBy ? ` by ${e.bypassedBy}` : ""}`]);
  if (e.sender) rows.push(["By", e.sender]);
  return rows;
}

/** The JSON body a sink receives (email has none: see `sendSinkEmail`). */
export function formatSinkMessage(kind: Exclude<HookKind, "webhook" | "email">, e: SinkEvent, at: string): unknown {
  const title = headline(e);
  switch (kind) {
    case "slack":
      // Incoming-webhook JSON: `text` is the notification fallback; `blocks` the message.
      return {
        text: title,
        blocks: [
          { type: "header", text: { type: "plain_text", text: title.slice(0, 150) } },
          {
            type: "section",
            fields: facts(e).map(([k, v]) => ({ type: "mrkdwn", text: `*${k}*\n${escapeSlack(v)}` })),
          },
          ...(e.url
            ? [
                {
                  type: "actions",
                  elements: [{ type: "button", text: { type: "plain_text", text: "View alert" }, url: e.url }],
                },
              ]
            : []),
        ],
      };
    case "teams":
      // A message with an Adaptive Card attachment (Teams incoming webhooks and workflows).
      return {
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
                { type: "TextBlock", size: "Medium", weight: "Bolder", wrap: true, text: title },
                { type: "FactSet", facts: facts(e).map(([title, value]) => ({ title, value })) },
              ],
              actions: e.url ? [{ type: "Action.OpenUrl", title: "View alert", url: e.url }] : [],
            },
          },
        ],
      };
    case "splunk":
      // HTTP Event Collector: one event per request, `time` in epoch seconds.
      return {
        time: Date.parse(at) / 1000,
        host: "vigil",
        source: "vigil",
        sourcetype: "vigil:secret_scanning",
        event: { ...jsonEvent(e), message: title },
      };
    case "json":
      return { ...jsonEvent(e), message: title, at };
  }
}

function jsonEvent(e: SinkEvent): Record<string, unknown> {
  return {
    event: e.event,
    action: e.action,
    repository: e.repository,
    alert_number: e.alertNumber,
    secret_type: e.secretType,
    secret_type_display_name: e.secretTypeDisplayName,
    secret_masked: e.maskedSecret,
    state: e.state,
    resolution: e.resolution,
    push_protection_bypassed: e.bypassed,
    push_protection_bypassed_by: e.bypassedBy,
    sender: e.sender,
    path: e.path,
    html_url: e.url,
  };
}

function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The request headers of an HTTP sink; Splunk's token goes in `Authorization: Splunk …`. */
export function sinkHeaders(hook: Hook, secret: string | null): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "User-Agent": `Vigil/${VIGIL_VERSION}`,
  };
  if (hook.kind === "splunk" && secret) headers.Authorization = `Splunk ${secret}`;
  if (hook.kind === "json" && secret) headers.Authorization = `Bearer ${secret}`;
  return headers;
}

/**
 * Sends one email sink message over SMTP (nodemailer). The hook's URL is `smtp://host:port` or
 * `smtps://host:port`; its secret, if any, is `user:password`. The host is checked like a webhook's.
 */
export async function sendSinkEmail(
  hook: Hook,
  secret: string | null,
  e: SinkEvent,
  options: { allowPrivate: boolean; timeoutMs: number },
): Promise<{ ok: boolean; statusText: string; response: string | null }> {
  const url = new URL(hook.url);
  const to = hook.settings?.to ?? [];
  if (to.length === 0) return { ok: false, statusText: "no recipients (settings.to)", response: null };
  let host: string;
  try {
    const addresses = await dnsLookup(url.hostname.replace(/^\[|\]$/g, ""), { all: true, verbatim: true });
    const refused = addresses.find((a) => isPrivateAddress(a.address));
    if (refused && !options.allowPrivate)
      return {
        ok: false,
        statusText: `refused: ${url.hostname} resolves to ${refused.address}, a loopback, private or link-local address (vigil serve --allow-private-webhooks allows it)`,
        response: null,
      };
    host = addresses[0]!.address;
  } catch (error) {
    return {
      ok: false,
      statusText: `cannot resolve ${url.hostname}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      response: null,
    };
  }
  const [user, ...rest] = secret ? secret.split(":") : [];
  const transport = createTransport({
    host,
    port: Number(url.port || (url.protocol === "smtps:" ? 465 : 25)),
    secure: url.protocol === "smtps:",
    tls: { servername: url.hostname, rejectUnauthorized: !hook.insecureSsl },
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    ...(user ? { auth: { user, pass: rest.join(":") } } : {}),
  });
  const title = headline(e);
  const text = [
    title,
    "",
    ...facts(e).map(([k, v]) => `${k}: ${v}`),
    ...(e.url ? ["", `View the alert: ${e.url}`] : []),
    "",
    "-- Vigil secret scanning",
  ].join("\n");
  try {
    const info = await transport.sendMail({
      from: hook.settings?.from ?? "Vigil <vigil@localhost>",
      to,
      subject: `[Vigil] ${title}`,
      text,
    });
    return { ok: true, statusText: "OK", response: String(info.response ?? "") };
  } catch (error) {
    return { ok: false, statusText: `SMTP: ${(error as Error).message}`, response: null };
  } finally {
    transport.close();
  }
}
