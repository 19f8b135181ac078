import { PostgresAdapter, sql, type Kysely, type RawBuilder } from "kysely";
import type { AlertOverview, OverviewStore } from "../alerts/overview-store.js";
import type { Validity } from "../alerts/types.js";
import type { Database } from "./tables.js";

/**
 * Security overview figures in a handful of grouped queries (no alert row is read into memory), so
 * that an organization with 100,000 alerts costs a few index scans. Times are `timestamptz` on
 * PostgreSQL and ISO text on SQLite: the day and duration expressions are per dialect.
 */
export function createOverviewStore(options: { db: Kysely<Database> }): OverviewStore {
  const { db } = options;
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const dayOf = (column: "created_at" | "resolved_at"): RawBuilder<string> =>
    postgres
      ? sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD')`
      : sql<string>`substr(${sql.ref(column)}, 1, 10)`;
  const secondsToRemediate: RawBuilder<number> = postgres
    ? sql<number>`extract(epoch from (resolved_at - created_at))`
    : sql<number>`(julianday(resolved_at) - julianday(created_at)) * 86400`;

  return {
    async alertOverview({ repoIds, since }) {
      const overview: AlertOverview = {
        open: 0,
        closed: 0,
        days: [],
        createdBefore: 0,
        resolvedBefore: 0,
        meanSecondsToRemediate: null,
        byType: [],
        byRepository: [],
        byValidity: [],
      };
      if (repoIds.length === 0) return overview;
      const ids = [...repoIds];
      const base = () => db.selectFrom("alerts").where("repo_id", "in", ids);

      // One pass over the index: counts per repository, type, state and validity, with the closing
      // times summed; everything but the daily buckets is folded from these few rows.
      const groups = await base()
        .select((eb) => [
          "repo_id",
          "secret_type",
          "state",
          "validity",
          eb.fn.countAll<number>().as("n"),
          eb.fn
            .sum<number>(
              sql`case when state = 'resolved' and resolved_at is not null then ${secondsToRemediate} else 0 end`,
            )
            .as("seconds"),
          eb.fn
            .sum<number>(sql`case when state = 'resolved' and resolved_at is not null then 1 else 0 end`)
            .as("remediated"),
          eb.fn.sum<number>(sql`case when created_at < ${sinceValue(since)} then 1 else 0 end`).as("created_before"),
          eb.fn
            .sum<number>(sql`case when state = 'resolved' and resolved_at < ${sinceValue(since)} then 1 else 0 end`)
            .as("resolved_before"),
        ])
        .groupBy(["repo_id", "secret_type", "state", "validity"])
        .execute();
      const types = new Map<string, { open: number; total: number }>();
      const repos = new Map<number, { open: number; total: number }>();
      const validities = new Map<string, number>();
      let seconds = 0;
      let remediated = 0;
      for (const row of groups) {
        const n = Number(row.n);
        const open = row.state === "open" ? n : 0;
        overview.open += open;
        overview.closed += n - open;
        overview.createdBefore += Number(row.created_before ?? 0);
        overview.resolvedBefore += Number(row.resolved_before ?? 0);
        seconds += Number(row.seconds ?? 0);
        remediated += Number(row.remediated ?? 0);
        const type = types.get(row.secret_type) ?? { open: 0, total: 0 };
        type.open += open;
        type.total += n;
        types.set(row.secret_type, type);
        const repo = repos.get(row.repo_id) ?? { open: 0, total: 0 };
        repo.open += open;
        repo.total += n;
        repos.set(row.repo_id, repo);
        if (open > 0) validities.set(row.validity, (validities.get(row.validity) ?? 0) + open);
      }
      overview.meanSecondsToRemediate = remediated === 0 ? null : Math.round(seconds / remediated);
      overview.byRepository = [...repos]
        .map(([repoId, c]) => ({ repoId, ...c }))
        .sort((a, b) => b.open - a.open || b.total - a.total || a.repoId - b.repoId);
      overview.byValidity = [...validities]
        .map(([validity, open]) => ({ validity: validity as Validity, open }))
        .sort((a, b) => b.open - a.open);
      // Display names: one row per type (a type's name is the same on all its alerts).
      const names = new Map<string, string>();
      for (const type of types.keys()) {
        const row = await base()
          .select("secret_type_display_name")
          .where("secret_type", "=", type)
          .limit(1)
          .executeTakeFirst();
        names.set(type, row?.secret_type_display_name ?? type);
      }
      overview.byType = [...types]
        .map(([secretType, c]) => ({ secretType, displayName: names.get(secretType) ?? secretType, ...c }))
        .sort((a, b) => b.open - a.open || b.total - a.total || a.secretType.localeCompare(b.secretType));

      const days = new Map<string, { day: string; created: number; resolved: number }>();
      const entry = (day: string) => {
        let found = days.get(day);
        if (!found) days.set(day, (found = { day, created: 0, resolved: 0 }));
        return found;
      };
      const created = await base()
        .where("created_at", ">=", sinceValue(since) as never)
        .select((eb) => [dayOf("created_at").as("day"), eb.fn.countAll<number>().as("n")])
        .groupBy(dayOf("created_at"))
        .execute();
      for (const row of created) entry(row.day).created = Number(row.n);
      const resolved = await base()
        .where("state", "=", "resolved")
        .where("resolved_at", ">=", sinceValue(since) as never)
        .select((eb) => [dayOf("resolved_at").as("day"), eb.fn.countAll<number>().as("n")])
        .groupBy(dayOf("resolved_at"))
        .execute();
      for (const row of resolved) entry(row.day).resolved = Number(row.n);
      overview.days = [...days.values()].sort((a, b) => a.day.localeCompare(b.day));

      return overview;
    },
  };

  /** SQLite compares ISO text; PostgreSQL a timestamptz parameter. */
  function sinceValue(since: string): string | Date {
    return postgres ? new Date(since) : new Date(since).toISOString();
  }
}
