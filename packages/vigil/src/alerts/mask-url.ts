/**
 * Credentials in a mirror's URL (`https://<user>:<token>@host/…`): kept encrypted by the store, shown
 * masked everywhere, and handed to git outside the URL so that they never land in a mirror's config.
 */
export interface UrlCredentials {
  /** The URL without its secret part: no user info for http(s), no password for other schemes. */
  bare: string;
  /** The URL as it may be shown: `https://user:***@host/…`, `https://***@host/…` for a token alone. */
  masked: string;
  /** `user:password` (decoded) to send as HTTP basic authentication; null when the URL carries none or is not http(s). */
  basic: string | null;
  /** Whether the URL carries a secret (a password, or an http(s) user name, which is often a token). */
  hasSecret: boolean;
}

const USERINFO = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^@/?#]*)@/;

export function urlCredentials(url: string): UrlCredentials {
  const match = USERINFO.exec(url);
  if (!match) return { bare: url, masked: url, basic: null, hasSecret: false };
  const [whole, scheme = "", userinfo = ""] = match;
  const rest = url.slice(whole.length);
  const http = /^https?:\/\/$/i.test(scheme);
  const colon = userinfo.indexOf(":");
  const user = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
  const hasPassword = colon >= 0;
  if (http) {
    const decode = (s: string): string => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    };
    return {
      bare: scheme + rest,
      masked: `${scheme}${hasPassword ? `${user}:***` : "***"}@${rest}`,
      basic: `${decode(user)}:${hasPassword ? decode(userinfo.slice(colon + 1)) : ""}`,
      hasSecret: userinfo !== "",
    };
  }
  if (!hasPassword) return { bare: url, masked: url, basic: null, hasSecret: false };
  return { bare: `${scheme}${user}@${rest}`, masked: `${scheme}${user}:***@${rest}`, basic: null, hasSecret: true };
}

/** The URL with its password or token replaced by `***`. */
export function maskUrlCredentials(url: string): string {
  return urlCredentials(url).masked;
}
