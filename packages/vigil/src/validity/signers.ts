import type { CheckRequest } from "vigil-secrets-engine";
import { signSigV4 } from "./sigv4.js";

/**
 * Signatures a declarative check cannot express, by the name a check document uses (`signer:`).
 * Each signs the request for the issuer's own host, before any test redirection.
 */
export const SIGNERS: Record<
  string,
  (request: CheckRequest, secret: string, pair: string, now: Date) => Record<string, string>
> = {
  // sts:GetCallerIdentity in us-east-1 answers for every partition's global endpoint key.
  aws_sigv4: (request, secret, pair, now) =>
    signSigV4(request, { accessKeyId: secret, secretAccessKey: pair, region: "us-east-1", service: "sts" }, now),
};
