import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createPartnerReceiver, createUrlKeySource, type PartnerReceiver } from "vigil-secrets-partner";

/**
 * A small PyPI-like token issuer on 127.0.0.1, built on `vigil-secrets-partner`: its own token table, a
 * report endpoint (`POST /github/disclose-token`, as PyPI's), its metrics (`GET /metrics`) and the
 * emails it "sends". Keys come from the sender's public-keys URL, as a real issuer's do.
 */
export interface ReferenceRevoker {
  url: string;
  reportUrl: string;
  tokens: Map<string, { owner: string; revoked: boolean }>;
  emails: { to: string; urls: string[] }[];
  /** Raw requests as received: for checking signatures independently. */
  requests: { body: Buffer; headers: Record<string, string | string[] | undefined> }[];
  receiver: PartnerReceiver;
  /** Answer the next n reports with this status before handling them (a partner that is down). */
  failNext(n: number, status?: number): void;
  close(): Promise<void>;
}

export async function startReferenceRevoker(options: {
  publicKeysUrl: string;
  failEmails?: number;
}): Promise<ReferenceRevoker> {
  const tokens = new Map<string, { owner: string; revoked: boolean }>();
  const emails: { to: string; urls: string[] }[] = [];
  const requests: ReferenceRevoker["requests"] = [];
  let failing = 0;
  let failStatus = 503;
  let emailFailures = options.failEmails ?? 0;
  const receiver = createPartnerReceiver<{ token: string; owner: string }>({
    keySource: createUrlKeySource({ url: options.publicKeysUrl, minRefreshIntervalMs: 0 }),
    tokenTypes: ["pypi_api_token"],
    retryDelaysMs: [20, 20, 20],
    issuer: {
      lookup(report) {
        const row = tokens.get(report.token);
        return Promise.resolve(
          row ? { record: { token: report.token, owner: row.owner }, active: !row.revoked } : null,
        );
      },
      revoke(record) {
        tokens.get(record.token)!.revoked = true;
        return Promise.resolve();
      },
      notifyOwner(record, reports) {
        if (emailFailures > 0) {
          emailFailures--;
          return Promise.reject(new Error("the mail server bounced"));
        }
        emails.push({ to: record.owner, urls: reports.map((r) => r.url) });
        return Promise.resolve();
      },
    },
  });
  const server: Server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(receiver.metrics());
      return;
    }
    if (req.url !== "/github/disclose-token") {
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      requests.push({ body, headers: req.headers });
      if (failing > 0) {
        failing--;
        res.writeHead(failStatus).end();
        return;
      }
      void receiver
        .handle({ body, headers: req.headers })
        .then((answer) => res.writeHead(answer.status, answer.headers).end(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    reportUrl: `${url}/github/disclose-token`,
    tokens,
    emails,
    requests,
    receiver,
    failNext(n, status = 503) {
      failing = n;
      failStatus = status;
    },
    async close() {
      receiver.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
