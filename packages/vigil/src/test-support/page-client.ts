import type { Hono } from "hono";

/** A browser in miniature for socket-free page tests: keeps cookies between requests, never follows redirects. */
export class PageClient {
  cookies = new Map<string, string>();
  constructor(
    private readonly app: Hono,
    private readonly base = "http://vigil.test",
  ) {}

  async request(
    path: string,
    init: { method?: string; form?: Record<string, string | string[]>; headers?: Record<string, string> } = {},
  ): Promise<{ res: Response; text: string }> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    let body: string | undefined;
    if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(init.form))
        for (const one of Array.isArray(value) ? value : [value]) params.append(name, one);
      body = params.toString();
    }
    const res = await this.app.request(`${this.base}${path}`, {
      method: init.method ?? (init.form ? "POST" : "GET"),
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const eq = pair.indexOf("=");
      const value = pair.slice(eq + 1);
      if (value === "" || /max-age=0/i.test(line)) this.cookies.delete(pair.slice(0, eq));
      else this.cookies.set(pair.slice(0, eq), value);
    }
    return { res, text: await res.text() };
  }

  /** Signs in with the token through the real form; returns the session's CSRF token for later forms. */
  async signIn(token: string): Promise<string> {
    const { text } = await this.request("/login");
    const { res } = await this.request("/login", {
      form: { _csrf: hiddenField(text, "_csrf"), return_to: hiddenField(text, "return_to"), token },
    });
    if (res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
    return hiddenField((await this.request("/security")).text, "_csrf");
  }
}

/** The value of a hidden form field in a page. */
export function hiddenField(page: string, name: string): string {
  const match = new RegExp(`name="${name}"\\s+value="([^"]*)"`).exec(page);
  if (!match) throw new Error(`no ${name} field in the page`);
  return match[1]!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, "&");
}

/** What a reader sees: the page's text without tags, whitespace collapsed. */
export const textOf = (page: string): string =>
  page
    .replace(/^[\s\S]*?<main[^>]*>/, "")
    .replace(/<[^>]*>/g, "")
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
