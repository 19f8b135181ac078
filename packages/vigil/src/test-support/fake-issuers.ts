import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Token issuers' revocation endpoints on 127.0.0.1, as documented: GitHub's
 * `POST /credentials/revoke` (`{credentials: [...]}`, no authentication, 202, at most 1,000
 * credentials), Slack's `POST /api/auth.revoke` (the token as Bearer; `{ok, revoked}` or
 * `{ok: false, error: "invalid_auth"}`), npm's `DELETE /-/npm/v1/tokens/token/{token}` (the token as
 * Bearer; 204, or 401 for an unknown one). Each keeps the set of live tokens it issued.
 */
export interface FakeIssuers {
  urls: { github: string; slack: string; npm: string };
  live: { github: Set<string>; slack: Set<string>; npm: Set<string> };
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeIssuers(): Promise<FakeIssuers> {
  const live = { github: new Set<string>(), slack: new Set<string>(), npm: new Set<string>() };
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      requests.push(`${req.method} ${url.pathname.replace(/\/token\/.+$/, "/token/…")}`);
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const json = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (req.method === "POST" && url.pathname === "/github/credentials/revoke") {
        let credentials: unknown;
        try {
          credentials = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { credentials?: unknown }).credentials;
        } catch {
          return json(400, { message: "Problems parsing JSON" });
        }
        if (!Array.isArray(credentials) || credentials.length === 0 || credentials.length > 1000)
          return json(422, { message: "Validation Failed", errors: [{ field: "credentials", code: "invalid" }] });
        for (const c of credentials) live.github.delete(String(c));
        return json(202, {});
      }
      if (req.method === "POST" && url.pathname === "/slack/api/auth.revoke") {
        if (!bearer) return json(200, { ok: false, error: "not_authed" });
        if (!live.slack.delete(bearer)) return json(200, { ok: false, error: "invalid_auth" });
        return json(200, { ok: true, revoked: true });
      }
      const npm = /^\/npm\/-\/npm\/v1\/tokens\/token\/(.+)$/.exec(url.pathname);
      if (req.method === "DELETE" && npm) {
        if (!bearer || !live.npm.has(bearer)) return json(401, { error: "You must be logged in" });
        if (!live.npm.delete(decodeURIComponent(npm[1]!))) return json(404, { error: "not found" });
        return res.writeHead(204).end();
      }
      json(404, { message: "Not Found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    urls: { github: `${origin}/github`, slack: `${origin}/slack/api`, npm: `${origin}/npm` },
    live,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
