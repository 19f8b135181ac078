import { pino, type Logger } from "pino";

/**
 * The server's logger: JSON lines on stderr, with every field that could carry a credential
 * redacted, so that no secret or token reaches a log line even by accident.
 */
export function createLogger(options: { level?: string } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.VIGIL_LOG_LEVEL ?? "info",
      redact: {
        paths: ["secret", "*.secret", "token", "*.token", "password", "*.password", "authorization", "*.authorization", "req.headers.authorization", "headers.authorization"],
        censor: "[redacted]",
      },
    },
    pino.destination(2),
  );
}
