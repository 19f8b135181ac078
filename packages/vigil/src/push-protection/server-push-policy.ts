import { builtinPatterns } from "vigil-secrets-engine";
import type { AlertStore } from "../alerts/alert-store.js";
import { toDetectedSecret } from "../alerts/detected-secret.js";
import type { Organization, Repository, User } from "../alerts/types.js";
import type { ReportedFinding } from "../sources/types.js";
import { groupBySecret, toBlockedSecret } from "./check-push.js";
import type { PatternConfig, PushProtectionStore } from "./push-protection-store.js";
import type { ReviewStore } from "../alerts/review-store.js";
import type { BlockedSecret } from "./rejection-message.js";

/** A pattern's setting for an organization: its own, else the enterprise's, else the pattern's default. */
export function effectiveSetting(patternDefault: boolean, org: PatternConfig, enterprise: PatternConfig, id: string): boolean {
  const own = org.settings.get(id);
  if (own === "enabled" || own === "disabled") return own === "enabled";
  const inherited = enterprise.settings.get(id);
  if (inherited === "enabled" || inherited === "disabled") return inherited === "enabled";
  return patternDefault;
}

/** Which catalog patterns block pushes for an organization. */
export function effectivePushPatterns(org: PatternConfig, enterprise: PatternConfig): string[] {
  return builtinPatterns.filter((p) => p.category !== "generic" && effectiveSetting(p.pushProtection, org, enterprise, p.id)).map((p) => p.id);
}

export interface PushDecision {
  blocked: BlockedSecret[];
  blockedTypes: string[];
  /** Secrets the pusher allowed earlier: their alerts were created with the bypass recorded. */
  bypassed: number;
  /** Secrets that already have an alert in the repository (not blocked again, as on GitHub). */
  known: number;
}

export interface DecideOptions {
  store: AlertStore;
  pushProtection: PushProtectionStore;
  repo: Repository;
  org: Organization;
  /** The pusher as a Vigil user; without one nobody can allow the secret, so no URL is offered. */
  pusher: User | null;
  ref: string;
  publicUrl: string | null;
  findings: ReportedFinding[];
  /** Delegated bypass: an approved request's events go on the alerts its push creates. */
  reviews?: Pick<ReviewStore, "recordBypassEvents">;
}

/**
 * GitHub's rules for a push that carries secrets: a secret with an alert in this repository passes;
 * one the pusher allowed (and whose allowance has not expired) passes and gets its alert, with
 * `push_protection_bypassed` and the reason's resolution; every other one blocks, with a
 * placeholder the pusher can allow through the URL shown. Each outcome is recorded for metrics.
 */
export async function decidePush(options: DecideOptions): Promise<PushDecision> {
  const { store, pushProtection, repo, pusher } = options;
  const decision: PushDecision = { blocked: [], blockedTypes: [], bypassed: 0, known: 0 };
  const bypassReasons: string[] = [];
  for (const group of groupBySecret(options.findings)) {
    const first = group.findings[0]!;
    const type = first.finding.secretType;
    const secret = first.finding.secret.reveal();
    if (await store.hasAlertForSecret(repo.id, type, secret)) {
      decision.known++;
      continue;
    }
    const allowance = pusher ? await pushProtection.findAllowance(repo.id, pusher.id, type, secret) : null;
    if (allowance && pusher) {
      const detections = group.findings.flatMap((f) => toDetectedSecret(f) ?? []);
      const recorded = await store.recordDetections(repo.id, detections, { actorId: pusher.id, bypass: { reason: allowance.reason!, userId: pusher.id, at: allowance.bypassedAt ?? new Date().toISOString() } });
      await options.reviews?.recordBypassEvents(allowance.placeholderId, recorded.created);
      await pushProtection.markPlaceholderUsed(allowance.placeholderId);
      decision.bypassed++;
      bypassReasons.push(allowance.reason!);
      await pushProtection.recordPushEvent({ repoId: repo.id, pusherId: pusher.id, outcome: "bypassed", secretTypes: [type], reason: allowance.reason });
      continue;
    }
    let allowUrl: string | undefined;
    if (pusher) {
      const location = first.location;
      const placeholder = await pushProtection.createPlaceholder({
        repoId: repo.id,
        pusherId: pusher.id,
        secretType: type,
        secretTypeDisplayName: first.finding.secretTypeDisplayName,
        secret,
        commitSha: location.type === "commit" ? location.commitSha : "",
        path: location.path,
        line: first.finding.startLine,
        ref: options.ref,
      });
      if (options.publicUrl) allowUrl = `${options.publicUrl.replace(/\/+$/, "")}/${repo.fullName}/security/secret-scanning/unblock-secret/${placeholder.placeholderId}`;
    }
    decision.blocked.push(toBlockedSecret(group.findings, allowUrl));
    decision.blockedTypes.push(type);
  }
  if (decision.blocked.length > 0) {
    await pushProtection.recordPushEvent({ repoId: repo.id, pusherId: pusher?.id ?? null, outcome: "blocked", secretTypes: [...new Set(decision.blockedTypes)] });
  } else if (decision.bypassed === 0) {
    await pushProtection.recordPushEvent({ repoId: repo.id, pusherId: pusher?.id ?? null, outcome: "allowed", secretTypes: [] });
  }
  return decision;
}
