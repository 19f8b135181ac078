import { lookup as dnsLookup } from "node:dns/promises";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

export interface PostWebhookOptions {
  timeoutMs: number;
  /** Deliver to loopback, link-local and private addresses (`vigil serve --allow-private-webhooks`). */
  allowPrivate: boolean;
  /** Skip TLS certificate verification (the hook's `insecure_ssl: "1"`). */
  insecureSsl: boolean;
  /** Bytes of the response body kept; the rest is not read. */
  maxResponseBytes?: number;
  signal?: AbortSignal;
}

export interface PostWebhookResult {
  /** null when no response came (refused, timed out, reset). */
  statusCode: number | null;
  headers: Record<string, string> | null;
  body: string | null;
  /** What went wrong, in one line; null on a 2xx. */
  error: string | null;
  durationMs: number;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/** Ranges a hook URL may not resolve to unless allowed: loopback, private, link-local, shared, multicast, reserved. */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  PRIVATE.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["64:ff9b::", 96],
] as const)
  PRIVATE.addSubnet(net, prefix, "ipv6");

/** True for an address in a loopback, private, link-local or otherwise non-public range (IPv4-mapped IPv6 included). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1]!, "ipv4");
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, "ipv4");
  if (family === 6) return PRIVATE.check(address, "ipv6");
  return true;
}

/** Checks a hook URL's form: an absolute http(s) URL without credentials. Returns the problem, or null. */
export function checkHookUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "url must be an absolute http or https URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "url must be an absolute http or https URL";
  if (url.username || url.password) return "url must not carry credentials (use the hook's secret)";
  return null;
}

/**
 * POSTs one webhook. The host is resolved once and every address checked before connecting (and
 * the connection goes to the checked address, so a DNS answer cannot change in between); redirects
 * are not followed; the whole attempt has a time limit; at most `maxResponseBytes` of the
 * response are read.
 */
export async function postWebhook(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  options: PostWebhookOptions,
): Promise<PostWebhookResult> {
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  const problem = checkHookUrl(rawUrl);
  if (problem) return { statusCode: null, headers: null, body: null, error: problem, durationMs: 0 };
  const url = new URL(rawUrl);
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  let address: { address: string; family: number };
  try {
    const addresses = await dnsLookup(hostname, { all: true, verbatim: true });
    if (addresses.length === 0) throw new Error("no address");
    const refused = addresses.find((a) => isPrivateAddress(a.address));
    if (refused && !options.allowPrivate) {
      return {
        statusCode: null,
        headers: null,
        body: null,
        error: `refused: ${hostname} resolves to ${refused.address}, a loopback, private or link-local address (vigil serve --allow-private-webhooks allows it)`,
        durationMs: elapsed(),
      };
    }
    address = addresses[0]!;
  } catch (error) {
    return {
      statusCode: null,
      headers: null,
      body: null,
      error: `cannot resolve ${hostname}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      durationMs: elapsed(),
    };
  }
  const pinned: LookupFunction = (_host, lookupOptions, callback) => {
    if ((lookupOptions as { all?: boolean }).all)
      (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };

  const payload = Buffer.from(body, "utf8");
  const limit = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  return new Promise<PostWebhookResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<PostWebhookResult, "durationMs">): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      resolve({ ...result, durationMs: elapsed() });
    };
    const request = (url.protocol === "https:" ? httpsRequest : httpRequest)(url, {
      method: "POST",
      headers: { ...headers, "Content-Length": String(payload.length) },
      lookup: pinned,
      agent: false,
      ...(url.protocol === "https:"
        ? { rejectUnauthorized: !options.insecureSsl, servername: isIP(hostname) ? undefined : hostname }
        : {}),
    });
    const timer = setTimeout(() => {
      request.destroy(new Error(`timed out after ${options.timeoutMs / 1000} s`));
    }, options.timeoutMs);
    const onAbort = (): void => {
      request.destroy(new Error("aborted: the server is stopping"));
    };
    options.signal?.addEventListener("abort", onAbort);
    request.on("error", (error: NodeJS.ErrnoException) => {
      const message =
        error.message.startsWith("timed out") || error.message.startsWith("aborted")
          ? error.message
          : `${describe(error)}`;
      finish({ statusCode: null, headers: null, body: null, error: message });
    });
    request.on("response", (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const responseHeaders: Record<string, string> = {};
      for (const [key, value] of Object.entries(response.headers))
        if (value !== undefined) responseHeaders[key] = Array.isArray(value) ? value.join(", ") : value;
      const code = response.statusCode ?? 0;
      const done = (): void => {
        const text = Buffer.concat(chunks).subarray(0, limit).toString("utf8");
        finish({
          statusCode: code,
          headers: responseHeaders,
          body: text,
          error: code >= 200 && code < 300 ? null : `Invalid HTTP Response: ${code}`,
        });
      };
      response.on("data", (chunk: Buffer) => {
        if (size >= limit) return;
        chunks.push(chunk);
        size += chunk.length;
        // Enough: the rest of the body is not read.
        if (size >= limit) {
          done();
          response.destroy();
        }
      });
      response.on("end", done);
      response.on("error", () => done());
      response.on("close", done);
    });
    request.end(payload);
  });
}

function describe(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "ECONNREFUSED":
      return "connection refused (ECONNREFUSED)";
    case "ECONNRESET":
      return "connection reset (ECONNRESET)";
    case "EPIPE":
      return "connection closed while sending (EPIPE)";
    default:
      return error.code ? `${error.message} (${error.code})` : error.message;
  }
}
