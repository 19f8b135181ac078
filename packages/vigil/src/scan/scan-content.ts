import { SecretValue, type Finding, type Matcher, type PairedSecret } from "vigil-secrets-engine";
import { isBinary, isLfsPointer } from "../sources/content-kind.js";

export type ContentOutcome = "scanned" | "binary" | "too-large" | "lfs";

export interface ContentLimits {
  maxFileSize: number;
  scanBinaries: boolean;
}

/** Decides whether content is scanned, and scans it. The one place that applies size, binary and LFS rules. */
export function scanContent(
  matcher: Matcher,
  content: Uint8Array,
  limits: ContentLimits,
): { outcome: ContentOutcome; findings: Finding[] } {
  const skipped = contentSkipped(content, limits);
  if (skipped) return { outcome: skipped, findings: [] };
  return { outcome: "scanned", findings: matcher.scan(content) };
}

/** Why content is not scanned (too large, an LFS pointer, binary), or undefined when it is. */
export function contentSkipped(
  content: Uint8Array,
  limits: ContentLimits,
): Exclude<ContentOutcome, "scanned"> | undefined {
  if (content.length > limits.maxFileSize) return "too-large";
  if (isLfsPointer(content)) return "lfs";
  if (!limits.scanBinaries && isBinary(content)) return "binary";
  return undefined;
}

/** A finding as plain data, for crossing a thread or process boundary. The secret is revealed: keep it in memory only. */
export type WireFinding = Omit<Finding, "secret" | "paired"> & {
  secret: string;
  paired?: Omit<PairedSecret, "secret"> & { secret: string };
};

export function toWire(finding: Finding): WireFinding {
  const { secret, paired, ...rest } = finding;
  return {
    ...rest,
    secret: secret.reveal(),
    ...(paired ? { paired: { ...paired, secret: paired.secret.reveal() } } : {}),
  };
}

export function fromWire(wire: WireFinding): Finding {
  const { secret, paired, ...rest } = wire;
  return {
    ...rest,
    secret: new SecretValue(secret),
    ...(paired ? { paired: { ...paired, secret: new SecretValue(paired.secret) } } : {}),
  };
}
