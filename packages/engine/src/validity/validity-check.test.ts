import { describe, expect, it } from "vitest";
import { checkValidityDocument } from "../../../../scripts/compile-validity-checks.mjs";
import { builtinPatterns } from "../patterns/index.js";
import { buildCheckRequest, classifyCheckResponse, validityChecks, type ValidityCheckData } from "./validity-check.js";

const ids = new Set(builtinPatterns.map((p) => p.id));

describe("the validity-check catalog", () => {
  it("checks at least 40 secret types, each a type of the built-in catalog", () => {
    const checks = [...validityChecks().values()];
    expect(checks.length).toBeGreaterThanOrEqual(40);
    const unknown = checks.filter((c) => !ids.has(c.secretType)).map((c) => c.secretType);
    expect(unknown).toEqual([]);
    const unknownPairs = checks.filter((c) => c.pair && !ids.has(c.pair)).map((c) => c.pair);
    expect(unknownPairs).toEqual([]);
  });

  it("calls only https hosts fixed in the document", () => {
    for (const check of validityChecks().values()) {
      const request = buildCheckRequest(
        check,
        "evil.example/x?y#z@attacker.example",
        check.pair ? "pair/../@x" : undefined,
      );
      if ("problem" in request) throw new Error(`${check.secretType}: ${request.problem}`);
      const url = new URL(request.url);
      expect(url.protocol, check.secretType).toBe("https:");
      expect(url.host, check.secretType).toBe(new URL(check.request.url.replace(/\{\{[^}]*\}\}/g, "x")).host);
    }
  });
});

describe("buildCheckRequest", () => {
  const check: ValidityCheckData = {
    request: {
      method: "GET",
      url: "https://api.example.com/bot{{secret}}/me",
      headers: { Authorization: "Bearer {{secret}}" },
      basic_auth: { username: "{{secret}}", password: "" },
    },
    active: { status: [200] },
    inactive: { status: [401] },
  };

  it("encodes the secret in the URL and puts it verbatim in headers", () => {
    const r = buildCheckRequest(check, "a/b?c");
    if ("problem" in r) throw new Error(r.problem);
    expect(r.url).toBe("https://api.example.com/bota%2Fb%3Fc/me");
    expect(r.headers.authorization).toBe(`Basic ${Buffer.from("a/b?c:").toString("base64")}`);
  });

  it("refuses a secret with a line break (header injection) and a pair without its other half", () => {
    expect(buildCheckRequest(check, "x\r\nHost: evil")).toEqual({ problem: "the secret holds a line break or NUL" });
    expect(buildCheckRequest({ ...check, pair: "other" }, "x")).toEqual({ problem: "needs its pair (other)" });
  });

  it("sends a form url-encoded", () => {
    const r = buildCheckRequest(
      {
        ...check,
        request: { method: "POST", url: "https://x.example/", form: { Action: "Get Id", Key: "{{secret}}" } },
      },
      "k&v",
    );
    if ("problem" in r) throw new Error(r.problem);
    expect(r.body).toBe("Action=Get%20Id&Key=k%26v");
    expect(r.headers["content-type"]).toBe("application/x-www-form-urlencoded");
  });
});

describe("classifyCheckResponse", () => {
  const slack: ValidityCheckData = {
    request: { method: "POST", url: "https://slack.com/api/auth.test" },
    active: { status: [200], json: { path: "ok", equals: true } },
    inactive: [
      { json: { path: "error", in: ["invalid_auth", "token_revoked"] } },
      { status: [401], body_contains: "Bad" },
    ],
  };
  it("reads status, JSON fields and body text; anything else is unknown", () => {
    expect(classifyCheckResponse(slack, { status: 200, body: '{"ok":true}' })).toBe("active");
    expect(classifyCheckResponse(slack, { status: 200, body: '{"ok":false,"error":"token_revoked"}' })).toBe(
      "inactive",
    );
    expect(classifyCheckResponse(slack, { status: 401, body: "Bad credentials" })).toBe("inactive");
    expect(classifyCheckResponse(slack, { status: 200, body: '{"ok":false,"error":"ratelimited"}' })).toBe("unknown");
    expect(classifyCheckResponse(slack, { status: 502, body: "<html>" })).toBe("unknown");
  });
  it("indexes arrays and tests presence", () => {
    const c: ValidityCheckData = {
      request: { method: "GET", url: "https://x.example/" },
      active: { json: { path: "data.viewer.id", exists: true } },
      inactive: { json: { path: "errors.0.code", equals: "AUTH" } },
    };
    expect(classifyCheckResponse(c, { status: 200, body: '{"data":{"viewer":{"id":"u1"}}}' })).toBe("active");
    expect(classifyCheckResponse(c, { status: 400, body: '{"errors":[{"code":"AUTH"}]}' })).toBe("inactive");
    expect(classifyCheckResponse(c, { status: 200, body: '{"data":{"viewer":null}}' })).toBe("unknown");
  });
});

describe("compile-validity-checks", () => {
  const base = { provider: "Acme", docs: "https://acme.example/docs" };
  const ok = {
    request: { method: "GET", url: "https://api.acme.example/me", headers: { Authorization: "Bearer {{secret}}" } },
    active: { status: [200] },
    inactive: { status: [401] },
  };
  it("accepts a well-formed document", () => {
    expect(checkValidityDocument({ ...base, checks: { acme_token: ok } })).toEqual([]);
  });
  it("names the field of each problem", () => {
    expect(
      checkValidityDocument({
        ...base,
        checks: { acme_token: { ...ok, request: { ...ok.request, url: "http://api.acme.example/" } } },
      }).join("\n"),
    ).toContain("checks/acme_token/request/url".replace(/\//g, "."));
    expect(
      checkValidityDocument({
        ...base,
        checks: { acme_token: { ...ok, request: { ...ok.request, url: "https://{{secret}}.acme.example/" } } },
      }).length,
    ).toBeGreaterThan(0);
    expect(
      checkValidityDocument({
        ...base,
        checks: { acme_token: { ...ok, request: { ...ok.request, headers: { A: "{{token}}" } } } },
      }),
    ).toEqual([
      "checks.acme_token.request.headers.A: unknown slot {{token}} (known: {{secret}}, {{pair}})",
      "checks.acme_token.request: the request never sends {{secret}}",
    ]);
    expect(
      checkValidityDocument({
        ...base,
        checks: { acme_token: { ...ok, request: { ...ok.request, headers: { A: "{{secret}} {{pair}}" } } } },
      }),
    ).toEqual(["checks.acme_token.request.headers.A: {{pair}} needs a declared pair"]);
  });
});
