import { pino, type Logger } from "pino";
import { jobLogFields } from "../logging/job-context.js";

/**
 * The server's logger: JSON lines on stderr, with every field that could carry a credential
 * redacted, so that no secret or token reaches a log line even by accident. A line written inside a
 * background job carries the job's id and kind (`job_id`, `job_kind`).
 */
export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.VIGIL_LOG_LEVEL ?? "info",
      redact: {
        paths: ["secret", "*.secret", "token", "*.token", "password", "*.password", "authorization", "*.authorization", "req.headers.authorization", "headers.authorization"],
        censor: "[redacted]",
      },
      mixin: jobLogFields,
    },
    options.destination ?? pino.destination(2),
  );
}
