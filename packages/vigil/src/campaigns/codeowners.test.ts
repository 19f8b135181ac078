import { describe, expect, it } from "vitest";
import { ownersOf, parseCodeowners } from "./codeowners.js";

// The examples of GitHub's "About code owners" page, with the owners they document.
const FILE = `
# These owners are the default owners for everything in the repo.
*       @global-owner1 @global-owner2
*.js    @js-owner #This is an inline comment.
*.go docs@example.com
*.txt @octo-org/octocats
/build/logs/ @doctocat
docs/*  docs@example.com
apps/ @octocat
/docs/ @doctocat
/scripts/ @doctocat @octocat
**/logs @octocat
/apps/ @octocat
/apps/github
!/secret/ @nobody
\\#notes @hash-owner
`;

describe("CODEOWNERS (GitHub's rules)", () => {
  const rules = parseCodeowners(FILE);

  it("the last matching pattern wins", () => {
    expect(ownersOf(rules, "README.md")).toEqual(["@global-owner1", "@global-owner2"]);
    expect(ownersOf(rules, "src/app.js")).toEqual(["@js-owner"]);
    expect(ownersOf(rules, "cmd/main.go")).toEqual(["docs@example.com"]);
    expect(ownersOf(rules, "build/logs/today.txt")).toEqual(["@octocat"]);
  });

  it("docs/* matches files directly in docs/, not nested ones; /docs/ owns everything under it", () => {
    expect(ownersOf(rules, "docs/getting-started.md")).toEqual(["@doctocat"]);
    const withoutRootDocs = parseCodeowners("* @all\ndocs/* docs@example.com\n");
    expect(ownersOf(withoutRootDocs, "docs/getting-started.md")).toEqual(["docs@example.com"]);
    expect(ownersOf(withoutRootDocs, "docs/build-app/troubleshooting.md")).toEqual(["@all"]);
  });

  it("a directory pattern without a leading slash matches at any depth; **/logs anywhere", () => {
    const r = parseCodeowners("apps/ @octocat\n**/logs @logger\n");
    expect(ownersOf(r, "apps/web/index.ts")).toEqual(["@octocat"]);
    expect(ownersOf(r, "services/apps/x.ts")).toEqual(["@octocat"]);
    expect(ownersOf(r, "deeply/nested/logs/x.log")).toEqual(["@logger"]);
    expect(ownersOf(r, "catalog.log")).toEqual([]);
  });

  it("a pattern without owners leaves its paths without owners; negation and escaped # as GitHub", () => {
    expect(ownersOf(rules, "apps/github/config.yml")).toEqual([]);
    expect(rules.some((r) => r.pattern.startsWith("!"))).toBe(false);
    expect(ownersOf(rules, "#notes")).toEqual(["@hash-owner"]);
  });
});
