import { describe, expect, it } from "vitest";
import { cursorLinkHeader, offsetLinkHeader } from "./link-header.js";

const url = new URL("http://vigil.test/api/v3/orgs/acme/secret-scanning/alerts?per_page=30&state=open&page=2");
const rels = (link: string | null) => [...(link ?? "").matchAll(/<([^>]+)>; rel="(\w+)"/g)].map((m) => [m[2], new URL(m[1]!).searchParams.get("page")]);

describe("offsetLinkHeader", () => {
  it("orders prev, next, last, first as GitHub does and keeps the other parameters", () => {
    const link = offsetLinkHeader(url, 2, 5);
    expect(rels(link)).toEqual([["prev", "1"], ["next", "3"], ["last", "5"], ["first", "1"]]);
    expect(link).toContain("state=open");
    expect(link).toContain("per_page=30");
  });

  it("leaves out last when the total is not known, and next on the last page", () => {
    expect(rels(offsetLinkHeader(url, 2, undefined, true))).toEqual([["prev", "1"], ["next", "3"], ["first", "1"]]);
    expect(rels(offsetLinkHeader(url, 5, 5))).toEqual([["prev", "4"], ["first", "1"]]);
    expect(offsetLinkHeader(url, 1, 1)).toBeNull();
  });
});

describe("cursorLinkHeader", () => {
  it("carries before for prev and after for next, without page", () => {
    const link = cursorLinkHeader(url, "b1", "a9")!;
    expect(link).toMatch(/before=b1>; rel="prev", <[^>]*after=a9>; rel="next"/);
    expect(link).not.toContain("page=2");
  });
});
