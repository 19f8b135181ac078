import { createPartnerReceiver, createStaticKeySource, type PartnerReceiver } from "vigil-secrets-partner";
import type { AlertStore } from "../alerts/alert-store.js";
import type { InProcessPartner } from "../partners/partner-reporter.js";
import type { PartnerStore } from "../partners/partner-store.js";

/** The partner row of Vigil's own tokens: reached in process, for secrets found in any repository. */
export const VIGIL_PARTNER = {
  name: "vigil",
  url: "internal:vigil",
  secretTypes: ["vigil_api_token"],
  reportAll: true,
} as const;

export interface VigilTokenPartner {
  receiver: PartnerReceiver;
  handler: InProcessPartner;
}

/**
 * Dogfood: Vigil issues `vgl_` tokens, so it is the partner for `vigil_api_token`. A leaked token
 * goes through the same receiver any issuer uses (`vigil-secrets-partner`: signature checked against
 * Vigil's published keys, de-duplicated, counted): it is revoked, its owner notified (an
 * `owner_notified` event on the alert, and a log line), and the answer resolves the alert `revoked`.
 */
export function createVigilTokenPartner(options: {
  store: AlertStore;
  partners: PartnerStore;
  log?: { warn(fields: Record<string, unknown>, message: string): void };
}): VigilTokenPartner {
  const { store, partners } = options;
  const receiver = createPartnerReceiver<{ tokenId: number; login: string; email: string | null; token: string }>({
    keySource: createStaticKeySource(async () =>
      (await partners.listSigningKeys()).map((k) => ({
        keyIdentifier: k.keyIdentifier,
        key: k.publicKey,
        isCurrent: k.isCurrent,
      })),
    ),
    tokenTypes: [...VIGIL_PARTNER.secretTypes],
    issuer: {
      async lookup(report) {
        const found = await store.findToken(report.token);
        if (!found) return null;
        const expired = found.token.expiresAt !== null && Date.parse(found.token.expiresAt) <= Date.now();
        return {
          record: { tokenId: found.token.id, login: found.user.login, email: found.user.email, token: report.token },
          active: found.token.revokedAt === null && !expired,
        };
      },
      async revoke(record) {
        await store.revokeToken(record.tokenId);
      },
      async notifyOwner(record, reports) {
        await partners.noteOwnerNotified(record.token, { login: record.login, email: record.email });
        options.log?.warn(
          { user: record.login, tokenId: record.tokenId, where: reports.map((r) => r.url) },
          "a leaked Vigil token was revoked",
        );
      },
    },
  });
  const handler: InProcessPartner = async (request) => {
    const answer = await receiver.handle(request);
    return { status: answer.status, body: answer.body };
  };
  return { receiver, handler };
}

/** Registers the `vigil` partner if it is missing (at server start). */
export async function ensureVigilPartner(partners: PartnerStore): Promise<void> {
  if (await partners.getPartner(VIGIL_PARTNER.name)) return;
  try {
    await partners.addPartner({ ...VIGIL_PARTNER, secretTypes: [...VIGIL_PARTNER.secretTypes] });
  } catch {
    // Another server process registered it first.
  }
}
