import { connect as connectTcp, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";

/** One RESP command (an array of bulk strings). */
function command(...args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;
}

/**
 * Whether the Redis at `url` (`redis://[user:password@]host:port`, `rediss://` for TLS) answers PING,
 * authenticating first when the URL has a password. A readiness probe's check: one short connection,
 * no client library, nothing kept open. Rejects with a reason that never holds the password.
 */
export async function pingRedis(url: string, timeoutMs = 2000): Promise<void> {
  const parsed = new URL(url);
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") throw new Error(`not a redis:// URL (${parsed.protocol})`);
  const host = parsed.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1";
  const port = Number(parsed.port || 6379);
  const password = decodeURIComponent(parsed.password);
  const username = decodeURIComponent(parsed.username);
  const commands = [...(password ? [username ? command("AUTH", username, password) : command("AUTH", password)] : []), command("PING")];
  await new Promise<void>((resolve, reject) => {
    const socket: Socket =
      parsed.protocol === "rediss:" ? connectTls({ host, port, servername: host }) : connectTcp({ host, port });
    let received = "";
    let answers = 0;
    const done = (error?: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => done(new Error(`redis at ${host}:${port} did not answer within ${timeoutMs} ms`)), timeoutMs);
    socket.once(parsed.protocol === "rediss:" ? "secureConnect" : "connect", () => socket.write(commands.join("")));
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("utf8");
      let end: number;
      while ((end = received.indexOf("\r\n")) >= 0) {
        const line = received.slice(0, end);
        received = received.slice(end + 2);
        if (line.startsWith("-")) return done(new Error(`redis at ${host}:${port} refused: ${line.slice(1, 120)}`));
        answers++;
        if (answers === commands.length) return done(line === "+PONG" ? undefined : new Error(`redis at ${host}:${port} answered ${line.slice(0, 40)} to PING`));
      }
    });
    socket.once("error", (error: NodeJS.ErrnoException) => done(new Error(`redis at ${host}:${port}: ${error.code ?? error.message}`)));
    socket.once("close", () => done(new Error(`redis at ${host}:${port} closed the connection`)));
  });
}
