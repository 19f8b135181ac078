import { createHash } from "node:crypto";
import type { ReportedFinding } from "../sources/types.js";

/**
 * The fingerprint Vigil prints and that baselines and `allowlist.fingerprints` hold.
 *
 * It must be safe to commit: a baseline or a config file is read by everyone who can read the
 * repository, and a plain hash of a secret (even an HMAC under a key that ships with Vigil) lets
 * anyone test guesses of a short password at billions per second. So, in the manner of SARIF's
 * partial fingerprints, it identifies the place and not the secret: the secret type, the path, and
 * a 16-bit tag of the secret. The tag tells a different secret at the same place apart (a rotated
 * or a second key in the same file is new, with odds of 65,535 in 65,536) but holds too few bits to
 * confirm a guess: a dictionary of a million passwords leaves some fifteen candidates, all
 * equally likely (only a password among the few thousand most common stands out, and that one is
 * guessable anyway). A salt or a slow hash over the whole secret would not do as well: the salt
 * sits in the same file, and a slow hash still gives a weak password away while slowing every scan. The same secret in the same file has one fingerprint whatever its line, so
 * editing around it does not make it new; the same secret in another file is another fingerprint.
 */
export function locationFingerprint({ finding, location }: ReportedFinding): string {
  const tag = createHash("sha256")
    .update(finding.secretType)
    .update("\0")
    .update(finding.secret.reveal())
    .digest("hex")
    .slice(0, 4);
  return createHash("sha256")
    .update("vigil-location-fingerprint-v1\0")
    .update(finding.secretType)
    .update("\0")
    .update(fingerprintPath(location.path))
    .update("\0")
    .update(tag)
    .digest("hex")
    .slice(0, 32);
}

/** Paths as the fingerprint sees them: forward slashes, no leading `./`. */
function fingerprintPath(path: string): string {
  return path.replace(/\\/g, "/").replace(/^(?:\.\/)+/, "");
}

/** A fingerprint's shape, for config and baseline validation. */
export const FINGERPRINT_PATTERN = /^[0-9a-f]{32}$/;
