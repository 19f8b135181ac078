import { ExampleRandom } from "vigil-secrets-engine";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DetectedSecret, Repository } from "../alerts/types.js";
import { formatAlert, formatLocation } from "../api/alert-json.js";
import { openTestStore, testDialects, type TestStore } from "./test-databases.js";

const urls = { web: "https://vigil.test", api: "https://vigil.test/api/v3" };

function issueComment(secret: string, commentId: number): DetectedSecret {
  return {
    secretType: "github_personal_access_token",
    secretTypeDisplayName: "GitHub Personal Access Token",
    provider: "GitHub",
    secretCategory: "default",
    secret,
    isBase64Encoded: false,
    location: {
      type: "issue_comment",
      details: {
        issue_comment_url: `https://forge.test/api/v3/repos/acme/site/issues/comments/${commentId}`,
        html_url: `https://forge.test/acme/site/issues/7#issuecomment-${commentId}`,
      },
    },
  };
}

for (const dialect of testDialects()) {
  describe.skipIf(dialect.name === "postgres" && !dialect.url)(
    `content locations and public repositories (${dialect.name})`,
    () => {
      let ts: TestStore;
      let open: Repository;
      let closed: Repository;
      const random = new ExampleRandom(1313);

      beforeEach(async () => {
        ts = await openTestStore(dialect, { env: { VIGIL_SECRET_KEY: Buffer.alloc(32, 3).toString("base64") } });
        open = await ts.store.createRepository({
          owner: "acme",
          name: "site",
          sourceUrl: null,
          mirrorPath: "/x/site.git",
          isPublic: true,
        });
        closed = await ts.store.createRepository({
          owner: "acme",
          name: "internal",
          sourceUrl: null,
          mirrorPath: "/x/internal.git",
        });
      });
      afterEach(async () => ts.dispose());

      it("keeps an issue comment's location in GitHub's shape, one location per comment whatever its revisions", async () => {
        const secret = random.githubToken("ghp");
        const first = await ts.store.recordDetections(open.id, [issueComment(secret, 11), issueComment(secret, 11)]);
        expect(first.created).toHaveLength(1);
        // The same comment seen again (another revision) adds nothing; another comment is a second location.
        expect((await ts.store.recordDetections(open.id, [issueComment(secret, 11)])).locationsAdded).toBe(0);
        expect((await ts.store.recordDetections(open.id, [issueComment(secret, 12)])).locationsAdded).toBe(1);

        const alert = (await ts.store.getAlert(open.id, 1))!;
        const org = (await ts.store.getOrganizationById(open.orgId))!;
        const json = formatAlert(alert, {
          repo: open,
          org,
          urls,
          users: new Map(),
          hideSecret: true,
          withRepository: true,
          withMetadata: false,
        });
        expect(json.first_location_detected).toEqual({
          issue_comment_url: "https://forge.test/api/v3/repos/acme/site/issues/comments/11",
          html_url: "https://forge.test/acme/site/issues/7#issuecomment-11",
        });
        expect(json.has_more_locations).toBe(true);
        expect(json.publicly_leaked).toBe(true);
        expect((json.repository as { private: boolean }).private).toBe(false);
        const locations = await ts.store.listLocations(alert.id, { page: 1, perPage: 10 });
        expect(locations.map((l) => formatLocation(l, open, urls))).toEqual([
          {
            type: "issue_comment",
            details: expect.objectContaining({ issue_comment_url: expect.stringMatching(/comments\/11$/) }),
          },
          {
            type: "issue_comment",
            details: expect.objectContaining({ issue_comment_url: expect.stringMatching(/comments\/12$/) }),
          },
        ]);
      });

      it("an alert in a private repository is not publicly leaked until the secret shows up in a public one", async () => {
        const secret = random.githubToken("ghp");
        const [privateAlert] = (await ts.store.recordDetections(closed.id, [issueComment(secret, 21)])).created;
        expect(privateAlert).toMatchObject({ publiclyLeaked: false, multiRepo: false });

        const [publicAlert] = (await ts.store.recordDetections(open.id, [issueComment(secret, 22)])).created;
        expect(publicAlert).toMatchObject({ publiclyLeaked: true, multiRepo: true });
        const again = (await ts.store.getAlert(closed.id, privateAlert!.number))!;
        expect(again).toMatchObject({ publiclyLeaked: true, multiRepo: true });
        const actions = (await ts.store.listEvents(again.id)).map((e) => e.action);
        expect(actions).toEqual(["created", "publicly_leaked"]);
        // The public repository's own alert was created public: no second event.
        expect((await ts.store.listEvents(publicAlert!.id)).map((e) => e.action)).toEqual(["created"]);
      });

      it("making a repository public leaks its alerts, once", async () => {
        const secret = random.githubToken("ghp");
        const [alert] = (await ts.store.recordDetections(closed.id, [issueComment(secret, 31)])).created;
        const updated = await ts.store.updateRepository(closed.id, { isPublic: true });
        expect(updated.isPublic).toBe(true);
        await ts.store.updateRepository(closed.id, { isPublic: true });
        expect((await ts.store.getAlert(closed.id, alert!.number))!.publiclyLeaked).toBe(true);
        expect((await ts.store.listEvents(alert!.id)).map((e) => e.action)).toEqual(["created", "publicly_leaked"]);
        expect((await ts.store.updateRepository(closed.id, { isPublic: false })).isPublic).toBe(false);
      });
    },
  );
}
