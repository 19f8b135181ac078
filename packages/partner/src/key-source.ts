/** GitHub's published keys for secret-scanning reports. */
export const GITHUB_PUBLIC_KEYS_URL = "https://api.github.com/meta/public_keys/secret_scanning";

export interface PublicKey {
  keyIdentifier: string;
  /** SPKI PEM. */
  key: string;
  isCurrent: boolean;
}

/** Where the sender's public keys come from. */
export interface KeySource {
  /** The PEM for an identifier, or null when the sender publishes no such key. */
  getKey(keyIdentifier: string): Promise<string | null>;
}

export interface UrlKeySourceOptions {
  /** Default: GitHub's. Vigil serves the same format at `<vigil>/meta/public_keys/secret_scanning`. */
  url?: string;
  /** Keys are fetched again after this long (default 30 minutes, as PyPI does). */
  ttlMs?: number;
  /** An unknown identifier triggers a fetch, but not more often than this (default 10 s). */
  minRefreshIntervalMs?: number;
  /** GitHub rate-limits anonymous calls: a token with no scopes lifts the limit. */
  token?: string;
  fetch?: typeof fetch;
  now?: () => number;
}

/** Parses `{"public_keys":[{"key_identifier","key","is_current"}]}`; throws on anything else. */
export function parsePublicKeys(body: unknown): PublicKey[] {
  const list = (body as { public_keys?: unknown } | null)?.public_keys;
  if (!Array.isArray(list)) throw new Error("the public keys document has no public_keys array");
  return list.map((entry: unknown, i) => {
    const e = entry as { key_identifier?: unknown; key?: unknown; is_current?: unknown } | null;
    if (typeof e?.key_identifier !== "string" || typeof e.key !== "string")
      throw new Error(`public_keys[${i}] needs key_identifier and key strings`);
    return { keyIdentifier: e.key_identifier, key: e.key, isCurrent: e.is_current === true };
  });
}

/** Keys from a public-keys URL, cached; refreshed when they expire or an unknown identifier arrives. */
export function createUrlKeySource(options: UrlKeySourceOptions = {}): KeySource & { refresh(): Promise<void> } {
  const url = options.url ?? GITHUB_PUBLIC_KEYS_URL;
  const ttl = options.ttlMs ?? 30 * 60_000;
  const minInterval = options.minRefreshIntervalMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  let keys = new Map<string, string>();
  let fetchedAt = -Infinity;
  let inFlight: Promise<void> | null = null;

  const refresh = (): Promise<void> =>
    (inFlight ??= (async () => {
      try {
        const headers: Record<string, string> = { accept: "application/json" };
        if (options.token) headers.authorization = `Bearer ${options.token}`;
        const res = await doFetch(url, { headers });
        if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
        keys = new Map(parsePublicKeys(await res.json()).map((k) => [k.keyIdentifier, k.key]));
        fetchedAt = now();
      } finally {
        inFlight = null;
      }
    })());

  return {
    refresh,
    async getKey(keyIdentifier) {
      if (now() - fetchedAt > ttl) {
        // Expired keys are refreshed; if the sender's URL is down, the keys it published last still verify.
        try {
          await refresh();
        } catch (error) {
          if (keys.size === 0) throw error;
        }
      }
      let key = keys.get(keyIdentifier);
      if (key === undefined && now() - fetchedAt >= minInterval) {
        await refresh();
        key = keys.get(keyIdentifier);
      }
      return key ?? null;
    },
  };
}

/** Fixed keys (an in-process sender, tests). */
export function createStaticKeySource(keys: PublicKey[] | (() => Promise<PublicKey[]>)): KeySource {
  return {
    async getKey(keyIdentifier) {
      const list = typeof keys === "function" ? await keys() : keys;
      return list.find((k) => k.keyIdentifier === keyIdentifier)?.key ?? null;
    },
  };
}
