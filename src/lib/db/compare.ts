import type { Filters, Runner } from './queries';
import { scope } from './queries';
import { sql } from './sql';

/**
 * The comparison view's own question: the agencies the overview's filters
 * select (the same `scope` as the overview's numbers, so "add the N agencies
 * of the overview filters" adds exactly the agencies the overview counts).
 */
export async function agenciesInScope(db: Runner, f: Filters): Promise<string[]> {
	const rows = await db.query<{ agency_id: string }>(sql`${scope(f, [])}
		SELECT s.agency_id, min(s.name) AS name FROM s GROUP BY 1 ORDER BY name, agency_id`);
	return rows.map((r) => r.agency_id);
}
