import { hasControlCharacter } from "../alerts/names.js";

/**
 * Which mirror sources the API accepts. Local sources (a path, `file://`, anything under the data
 * directory) are the operator's privilege through `vigil repo add`: over the API they would let an
 * organization owner mirror, and so read, another organization's repository or any git directory on
 * the server. The API takes remote URLs only: `https://`, `ssh://` or scp-like `user@host:path`, and
 * `http://` when the operator allows it (`vigil serve --allow-http-mirrors`).
 */
export interface MirrorSourceOptions {
  allowHttp: boolean;
}

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])$/;
const USER = /^[A-Za-z0-9._~%!$&'()*+,;=-]+$/;
/** `[user@]host:path`, git's scp-like syntax: no slash before the first colon. */
const SCP_LIKE = /^(?:([^@/:]+)@)?([^@/:[\]]+|\[[^\]]+\]):(.+)$/;

/** Why `raw` is refused as a mirror source over the API, or null when it is an allowed remote URL. */
export function mirrorSourceProblem(raw: string, options: MirrorSourceOptions): string | null {
  const remote = options.allowHttp
    ? "https://, http://, ssh:// or user@host:path"
    : "https://, ssh:// or user@host:path";
  const local = `must be a remote git URL (${remote}); local paths and file:// URLs can only be added by the operator with vigil repo add`;
  if (raw.length > 2048) return "is longer than 2048 characters";
  // Whitespace and control characters have no place in a URL; a leading "-" would reach git as an option.
  if (/\s/.test(raw) || hasControlCharacter(raw)) return "must not contain whitespace or control characters";
  if (raw.startsWith("-")) return `must not begin with "-"; it ${local}`;
  // git's remote-helper syntax, `<transport>::<address>` (ext::, fd::): never over the API.
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(raw)) return local;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(raw)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    const allowed = ["https", "ssh", ...(options.allowHttp ? ["http"] : [])];
    if (!allowed.includes(scheme)) {
      if (scheme === "http")
        return "http:// mirrors are not allowed on this server (the operator can allow them with vigil serve --allow-http-mirrors)";
      return local;
    }
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return "is not a valid URL";
    }
    if (!HOST.test(url.hostname)) return "has no valid host name";
    if (url.username !== "" && (url.username.startsWith("-") || !USER.test(url.username)))
      return "has an invalid user name";
    if (url.pathname === "" || url.pathname === "/") return "names no repository path";
    return null;
  }
  const scp = SCP_LIKE.exec(raw);
  if (!scp) return local;
  const [, user, host, path] = scp;
  if (!host || !HOST.test(host)) return local;
  if (user !== undefined && (user.startsWith("-") || !USER.test(user))) return "has an invalid user name";
  if (!path || path.startsWith("-")) return "names no repository path";
  return null;
}
