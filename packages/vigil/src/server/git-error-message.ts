import { builtinPatterns, createMatcher, maskSecret, type Matcher } from "vigil-secrets-engine";

/** At most this much of git's message is kept: enough for its `fatal:` and `remote:` lines. */
const MAX_LENGTH = 1000;

let matcher: Matcher | undefined;

/**
 * What git said on standard error, fit to store and show: credentials in URLs (`user:pass@`),
 * credential-looking query parameters and header values removed, any secret Vigil's own patterns
 * recognise masked, the lines joined into one, and bounded in length.
 */
export function sanitizeGitMessage(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !/^(Cloning into|hint:)/i.test(line));
  let text = redactUrlCredentials(lines.join(" "))
    .replace(
      /([?&;](?:access_token|private_token|token|password|passwd|secret|key|api_key|apikey|auth|sig|signature)=)[^&\s'"]+/gi,
      "$1***",
    )
    .replace(
      /\b(authorization|private-token|x-api-key|job-token)(\s*[:=]\s*)(?:(basic|bearer|token)\s+)?\S+/gi,
      (_m, name: string, sep: string, scheme?: string) => `${name}${sep}${scheme ? scheme + " " : ""}***`,
    );
  matcher ??= createMatcher(builtinPatterns, { lazyCompile: true }).matcher;
  const found = matcher.scan(Buffer.from(text, "utf8"));
  for (const finding of found) {
    const secret = finding.secret.reveal();
    if (secret.length > 0) text = text.split(secret).join(maskSecret(secret));
  }
  return text.length > MAX_LENGTH ? text.slice(0, MAX_LENGTH - 1) + "…" : text;
}

/** `https://<user>:<token>@host/…` → `https://***@host/…`. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^@/\s]+@/gi, "$1***@");
}
