import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A GitHub-compatible forge REST API on 127.0.0.1 for `acme/site`, following GitHub's documented
 * behaviour: issues (pull requests among them), issue comments and review comments, two per page
 * with `Link: rel="next"`, a bearer token required, and a rate limit that can be made to refuse the
 * next request (403 with `X-RateLimit-Remaining: 0` and `X-RateLimit-Reset`).
 */
export interface FakeForge {
  apiUrl: string;
  /** Paths requested, in order (with the page). */
  requests: string[];
  /** Refuse the next request with a rate limit resetting `seconds` from now. */
  limitNext(seconds: number): void;
  close(): Promise<void>;
}

export async function startFakeForge(
  content: {
    issues: Record<string, unknown>[];
    comments: Record<string, unknown>[];
    reviewComments: Record<string, unknown>[];
  },
  token: string,
): Promise<FakeForge> {
  const requests: string[] = [];
  let limited: number | null = null;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push(`${url.pathname}?page=${url.searchParams.get("page") ?? "1"}`);
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ message: "Bad credentials" }));
      return;
    }
    if (limited !== null) {
      const reset = Math.ceil(Date.now() / 1000) + limited;
      limited = null;
      res
        .writeHead(403, {
          "content-type": "application/json",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(reset),
        })
        .end(JSON.stringify({ message: "API rate limit exceeded" }));
      return;
    }
    const lists: Record<string, Record<string, unknown>[]> = {
      "/api/v3/repos/acme/site/issues": content.issues,
      "/api/v3/repos/acme/site/issues/comments": content.comments,
      "/api/v3/repos/acme/site/pulls/comments": content.reviewComments,
    };
    const list = lists[url.pathname];
    if (!list) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: "Not Found" }));
      return;
    }
    const page = Number(url.searchParams.get("page") ?? "1");
    const slice = list.slice((page - 1) * 2, page * 2);
    const headers: Record<string, string> = { "content-type": "application/json", "x-ratelimit-remaining": "4999" };
    if (page * 2 < list.length) {
      const next = new URL(url);
      next.searchParams.set("page", String(page + 1));
      headers.link = `<${next.toString().replace("http://127.0.0.1", `http://127.0.0.1:${(server.address() as AddressInfo).port}`)}>; rel="next"`;
    }
    res.writeHead(200, headers).end(JSON.stringify(slice));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3`,
    requests,
    limitNext(seconds) {
      limited = seconds;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
