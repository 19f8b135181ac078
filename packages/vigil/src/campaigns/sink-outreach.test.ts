import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiFixture, type ApiFixture } from "../test-support/api-fixture.js";
import { startWebhookReceiver, type WebhookReceiver } from "../test-support/webhook-receiver.js";
import { startCampaign } from "./campaign-data.js";
import { createMaintainerLookup } from "./find-maintainers.js";
import { runSinkOutreach } from "./sink-outreach.js";

let fx: ApiFixture;
let receiver: WebhookReceiver;
let smtp: SMTPServer;
let smtpPort: number;
const mails: string[] = [];

beforeAll(async () => {
  fx = await createApiFixture({ alerts: 2 });
  receiver = await startWebhookReceiver();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, callback) {
      let text = "";
      stream.on("data", (c: Buffer) => (text += c.toString("utf8")));
      stream.on("end", () => {
        mails.push(text);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await receiver.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await fx.close();
});

describe("outreach through notification sinks", () => {
  it("one message per repository and sink, masked; sent again only when alerts close", async () => {
    const org = (await fx.store.getOrganization("acme"))!;
    const sink = (kind: "slack" | "json" | "email", url: string, settings: Record<string, unknown> | null = null) =>
      fx.webhooks.createHook({ kind, settings, scope: "organization", orgId: org.id, url, contentType: "json", secret: null, insecureSsl: false, events: ["secret_scanning_alert"], active: true });
    await sink("json", `${receiver.url}/json`);
    await sink("slack", `${receiver.url}/slack`);
    await sink("email", `smtp://127.0.0.1:${smtpPort}`, { to: ["security@example.com"] });
    const { campaign } = await startCampaign(fx.store, fx.campaigns, org, { name: "sinks", description: null, ownerId: null, endsAt: null, filters: {}, createdBy: null });
    const deps = { store: fx.store, campaigns: fx.campaigns, webhooks: fx.webhooks, maintainers: createMaintainerLookup({ listAdmins: () => Promise.resolve([]) }), webUrl: "https://vigil.example", allowPrivate: true };

    const first = await runSinkOutreach(deps, org, campaign);
    expect(first.map((r) => [r.repository, r.kind, r.outcome])).toEqual([
      ["acme/api", "json", "sent"],
      ["acme/api", "slack", "sent"],
      ["acme/api", "email", "sent"],
    ]);
    expect(receiver.received).toHaveLength(2);
    const json = receiver.received.find((d) => d.path.endsWith("/json"))!.payload;
    expect(json).toMatchObject({ event: "campaign_outreach", message: "acme/api: 2 leaked secrets to revoke (sinks)" });
    expect(receiver.received.find((d) => d.path.endsWith("/slack"))!.payload.text).toBe("acme/api: 2 leaked secrets to revoke (sinks)");
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain("Subject: [Vigil] acme/api: 2 leaked secrets to revoke (sinks)");
    // Quoted-printable soft line breaks undone.
    expect(mails[0]!.replace(/=\r\n/g, "")).toContain("https://vigil.example/acme/api/security/secret-scanning/1");
    for (const secret of fx.secrets) expect(JSON.stringify(receiver.received) + mails.join("")).not.toContain(secret);

    expect((await runSinkOutreach(deps, org, campaign)).every((r) => r.outcome === "unchanged")).toBe(true);
    expect(receiver.received).toHaveLength(2);

    await fx.store.updateAlert(fx.repo.id, 1, { state: "resolved", resolution: "revoked" }, null);
    const third = await runSinkOutreach(deps, org, campaign);
    expect(third.map((r) => r.outcome)).toEqual(["sent", "sent", "sent"]);
    expect(receiver.received.filter((d) => d.path.endsWith("/json")).at(-1)!.payload).toMatchObject({ message: expect.stringContaining("1 leaked secret to revoke") });
  });
});
