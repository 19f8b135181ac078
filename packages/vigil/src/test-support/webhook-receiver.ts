import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhooks } from "@octokit/webhooks";

export interface ReceivedDelivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The parsed payload (JSON, or the form's `payload` field). */
  payload: Record<string, unknown>;
  /** Whether @octokit/webhooks verified the signature (null when the receiver has no secret). */
  verified: boolean | null;
}

export type ReceiverBehaviour = (
  delivery: ReceivedDelivery,
  response: ServerResponse,
  index: number,
) => "handled" | void;

export interface WebhookReceiver {
  url: string;
  received: ReceivedDelivery[];
  /** Resolves when `count` deliveries have been received (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedDelivery[]>;
  close(): Promise<void>;
}

/**
 * A webhook receiver on 127.0.0.1 that verifies signatures with GitHub's own `@octokit/webhooks`
 * (`verify`, then `receive` so its event handlers run). `behave` may answer instead (fail, hang,
 * reset); by default it answers 202.
 */
export async function startWebhookReceiver(
  options: { secret?: string; behave?: ReceiverBehaviour } = {},
): Promise<WebhookReceiver> {
  const webhooks = options.secret ? new Webhooks({ secret: options.secret }) : null;
  const received: ReceivedDelivery[] = [];
  let waiters: { count: number; resolve: () => void }[] = [];
  let index = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const type = request.headers["content-type"] ?? "";
        const json = type.startsWith("application/x-www-form-urlencoded")
          ? (new URLSearchParams(body).get("payload") ?? "")
          : body;
        let verified: boolean | null = null;
        if (webhooks) {
          const signature = request.headers["x-hub-signature-256"];
          verified = typeof signature === "string" && (await webhooks.verify(body, signature));
          if (verified) {
            // receive() checks the event name and runs handlers, as a real receiver's would.
            await webhooks.receive({
              id: String(request.headers["x-github-delivery"]),
              name: String(request.headers["x-github-event"]) as never,
              payload: JSON.parse(json) as never,
            });
          }
        }
        const delivery: ReceivedDelivery = {
          path: request.url ?? "/",
          headers: request.headers,
          body,
          payload: JSON.parse(json) as Record<string, unknown>,
          verified,
        };
        const handled = options.behave?.(delivery, response, index++);
        if (handled === "handled") return;
        received.push(delivery);
        response
          .writeHead(verified === false ? 401 : 202, { "content-type": "text/plain" })
          .end(verified === false ? "bad signature" : "accepted");
        waiters = waiters.filter((w) => {
          if (received.length < w.count) return true;
          w.resolve();
          return false;
        });
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    waitFor(count, timeoutMs = 20_000) {
      if (received.length >= count) return Promise.resolve(received.slice());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`received ${received.length} of ${count} deliveries in ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(received.slice());
          },
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
