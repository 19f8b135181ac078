/**
 * GitHub's `Link` header: `<url>; rel="prev"`, `rel="next"`, `rel="last"`, `rel="first"`, in that
 * order, each URL the request's own with `page` (or `before`/`after`) replaced; `per_page` and every
 * other parameter are kept. Omitted when everything fits on one page.
 */
export function offsetLinkHeader(requestUrl: URL, page: number, lastPage: number | undefined, hasNext = lastPage !== undefined && page < lastPage): string | null {
  const links: string[] = [];
  const at = (p: number): string => {
    const url = new URL(requestUrl);
    url.searchParams.set("page", String(p));
    return url.toString();
  };
  if (page > 1) links.push(`<${at(lastPage === undefined ? page - 1 : Math.min(page - 1, lastPage))}>; rel="prev"`);
  if (hasNext) links.push(`<${at(page + 1)}>; rel="next"`);
  // GitHub leaves `last` out when it cannot compute it.
  if (hasNext && lastPage !== undefined) links.push(`<${at(lastPage)}>; rel="last"`);
  if (page > 1) links.push(`<${at(1)}>; rel="first"`);
  return links.length > 0 ? links.join(", ") : null;
}

/** Cursor pages: `prev` carries `before=<first cursor>`, `next` carries `after=<last cursor>`. */
export function cursorLinkHeader(requestUrl: URL, previousCursor: string | undefined, nextCursor: string | undefined): string | null {
  const links: string[] = [];
  const withCursor = (name: "before" | "after", cursor: string): string => {
    const url = new URL(requestUrl);
    url.searchParams.delete("before");
    url.searchParams.delete("after");
    url.searchParams.delete("page");
    url.searchParams.set(name, cursor);
    return url.toString();
  };
  if (previousCursor) links.push(`<${withCursor("before", previousCursor)}>; rel="prev"`);
  if (nextCursor) links.push(`<${withCursor("after", nextCursor)}>; rel="next"`);
  return links.length > 0 ? links.join(", ") : null;
}
