import { withGithubChecksum } from "./checksum/github-token.js";

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * Deterministic random text for synthesising examples at test time: realistic
 * secrets are built, never stored in the repository.
 */
export class ExampleRandom {
  #state: number;

  constructor(seed = 0x5eed) {
    this.#state = seed >>> 0 || 1;
  }

  /** xorshift32: small, seedable, good enough for test data. */
  next(): number {
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x >>> 0;
    return this.#state;
  }

  chars(alphabet: string, length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[this.next() % alphabet.length];
    return out;
  }

  alnum(length: number): string {
    return this.chars(ALNUM, length);
  }
  upper(length: number): string {
    return this.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ", length);
  }
  lower(length: number): string {
    return this.chars("abcdefghijklmnopqrstuvwxyz", length);
  }
  lowerAlnum(length: number): string {
    return this.chars("abcdefghijklmnopqrstuvwxyz0123456789", length);
  }
  upperAlnum(length: number): string {
    return this.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", length);
  }
  digits(length: number): string {
    return this.chars("0123456789", length);
  }
  hex(length: number): string {
    return this.chars("0123456789abcdef", length);
  }
  base64(length: number): string {
    return this.chars(ALNUM + "+/", length);
  }
  base64url(length: number): string {
    return this.chars(ALNUM + "-_", length);
  }
  /** A GitHub-format token (`ghp_` etc.) with a valid CRC32 checksum. */
  githubToken(prefix: string): string {
    return withGithubChecksum(`${prefix}_${this.alnum(30)}`);
  }
}
