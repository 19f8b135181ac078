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
  const openCase = sql<number>`case when state = 'open' then 1 else 0 end`;

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

      const totals = await base()
        .select((eb) => [
          eb.fn.countAll<number>().as("total"),
          eb.fn.sum<number>(openCase).as("open"),
          eb.fn
            .avg<number>(sql`case when state = 'resolved' and resolved_at is not null then ${secondsToRemediate} end`)
            .as("mttr"),
          eb.fn.sum<number>(sql`case when created_at < ${sinceValue(since)} then 1 else 0 end`).as("created_before"),
          eb.fn
            .sum<number>(sql`case when state = 'resolved' and resolved_at < ${sinceValue(since)} then 1 else 0 end`)
            .as("resolved_before"),
        ])
        .executeTakeFirst();
      const total = Number(totals?.total ?? 0);
      overview.open = Number(totals?.open ?? 0);
      overview.closed = total - overview.open;
      overview.createdBefore = Number(totals?.created_before ?? 0);
      overview.resolvedBefore = Number(totals?.resolved_before ?? 0);
      overview.meanSecondsToRemediate =
        totals?.mttr === null || totals?.mttr === undefined ? null : Math.round(Number(totals.mttr));

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

      const types = await base()
        .select((eb) => [
          "secret_type",
          eb.fn.max("secret_type_display_name").as("name"),
          eb.fn.countAll<number>().as("total"),
          eb.fn.sum<number>(openCase).as("open"),
        ])
        .groupBy("secret_type")
        .execute();
      overview.byType = types
        .map((r) => ({
          secretType: r.secret_type,
          displayName: String(r.name),
          open: Number(r.open ?? 0),
          total: Number(r.total),
        }))
        .sort((a, b) => b.open - a.open || b.total - a.total || a.secretType.localeCompare(b.secretType));

      const repos = await base()
        .select((eb) => ["repo_id", eb.fn.countAll<number>().as("total"), eb.fn.sum<number>(openCase).as("open")])
        .groupBy("repo_id")
        .execute();
      overview.byRepository = repos
        .map((r) => ({ repoId: r.repo_id, open: Number(r.open ?? 0), total: Number(r.total) }))
        .sort((a, b) => b.open - a.open || b.total - a.total || a.repoId - b.repoId);

      const validity = await base()
        .where("state", "=", "open")
        .select((eb) => ["validity", eb.fn.countAll<number>().as("n")])
        .groupBy("validity")
        .execute();
      overview.byValidity = validity
        .map((r) => ({ validity: r.validity as Validity, open: Number(r.n) }))
        .sort((a, b) => b.open - a.open);
      return overview;
    },
  };

  /** SQLite compares ISO text; PostgreSQL a timestamptz parameter. */
  function sinceValue(since: string): string | Date {
    return postgres ? new Date(since) : new Date(since).toISOString();
  }
}
