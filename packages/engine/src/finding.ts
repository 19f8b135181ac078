import type { Confidence, PatternCategory } from "./pattern.js";
import type { SecretValue } from "./secret-value.js";

/** Where a secret sits in the scanned content. Lines and columns are 1-based; columns count bytes, the end column is inclusive. */
export interface SecretSpan {
  startOffset: number;
  /** Exclusive byte offset. */
  endOffset: number;
  startLine: number;
  endLine: number;
  startColumn: number;
  endColumn: number;
}

export interface PairedSecret extends SecretSpan {
  secretType: string;
  secretTypeDisplayName: string;
  secret: SecretValue;
}

export interface Finding extends SecretSpan {
  /** GitHub `secret_type`. */
  secretType: string;
  secretTypeDisplayName: string;
  provider: string;
  category: PatternCategory;
  confidence: Confidence;
  pushProtection: boolean;
  secret: SecretValue;
  /** Keyed hash of secret type and secret: the same secret anywhere gets the same fingerprint. */
  fingerprint: string;
  /** The secret was found inside a base64-encoded segment; the span is that segment's. */
  isBase64Encoded: boolean;
  /** The other half of a pair (AWS key id for an AWS secret key), found in the same content. */
  paired?: PairedSecret;
}
