import { isUnitOf, type PlacedBody } from '$lib/agencies/scope';
import { metricOf } from './aggregate';
import { metricValue, type Runner } from './queries';
import { join, list, sql } from './sql';

/**
 * The reconciliation view's question: for a government with an aggregate
 * report, the figure that report printed beside the sum of its units' own
 * reports, per metric and year, with the gap and the units missing. Units
 * are decided once, by agencies/scope.ts isUnitOf.
 */

/** Counts and amounts a government's aggregate report and its units' reports both print. */
export const RECONCILE_METRICS = [
	'requests_received',
	'requests_carried_over',
	'requests_processed',
	'outcome_granted',
	'outcome_partial',
	'outcome_denied',
	'outcome_unable',
	'outcome_not_processed',
	'outcome_other',
	'requests_carried_forward',
	'review_total',
	'litigation_total',
	'licensing_decisions',
	'punishment_decisions',
	'coercion_decisions',
	'fee_revenue'
] as const;

type Body = PlacedBody & { name: string };

export interface ReconcileRow {
	year: number;
	metric: string;
	/** What the aggregate report printed; null where its template lacks the metric. */
	printed: number | null;
	/** Σ over the units' own reports that have the metric; null when none has it. */
	units: number | null;
	/** printed − units, where both exist. */
	gap: number | null;
	/** Units whose own report that year has the metric. */
	reporting: number;
}

export interface ReconcileYear {
	year: number;
	/** Units with an own report that year. */
	reported: { id: string; name: string }[];
	/** Units with a report in some year of the data but no own report this year. */
	missing: { id: string; name: string }[];
}

export interface Reconciliation {
	government: { id: string; name: string } | null;
	/** Every government with an aggregate report and at least one unit with an own report. */
	governments: { id: string; name: string }[];
	units: { id: string; name: string }[];
	years: ReconcileYear[];
	rows: ReconcileRow[];
}

const BODY = sql`a.id, a.name, a.level, a.category, a.province_code, a.city_code, a.county_code`;

/** The reconciliation of one government (the first one when `governmentId` is null or not one). */
export async function reconcile(db: Runner, governmentId: string | null): Promise<Reconciliation> {
	const governments = await db.query<Body>(sql`
		SELECT DISTINCT ${BODY} FROM report_metrics r JOIN agencies a ON a.id = r.agency_id WHERE r.scope = 'aggregate' ORDER BY a.name, a.id`);
	const candidates = governments.length
		? await db.query<Body>(sql`
			SELECT DISTINCT ${BODY} FROM report_metrics r JOIN agencies a ON a.id = r.agency_id
			WHERE r.scope = 'own' AND (a.county_code IN (${list(governments.map((g) => g.county_code ?? ''))}) OR a.city_code IN (${list(governments.map((g) => g.city_code ?? ''))})
				OR a.province_code IN (${list(governments.map((g) => g.province_code ?? ''))}))
			ORDER BY a.name, a.id`)
		: [];
	const unitsOf = (g: Body) => candidates.filter((c) => isUnitOf(g, c));
	const withUnits = governments.filter((g) => unitsOf(g).length > 0);
	const government = withUnits.find((g) => g.id === governmentId) ?? withUnits[0];
	const named = (b: Body) => ({ id: b.id, name: b.name });
	if (!government) return { government: null, governments: [], units: [], years: [], rows: [] };
	const units = unitsOf(government);
	const values = join(
		RECONCILE_METRICS.map((id) => sql`${metricValue(metricOf(id).id, 'r')} AS ${{ text: `"${id}"`, params: [] }}`),
		', '
	);
	const reports = await db.query<Record<string, string | number | null> & { agency_id: string; year: number; scope: string }>(sql`
		SELECT r.agency_id, r.year, r.scope, ${values} FROM report_metrics r
		WHERE r.agency_id IN (${list([government.id, ...units.map((u) => u.id)])}) ORDER BY r.year`);
	const own = reports.filter((r) => r.agency_id !== government.id && r.scope === 'own');
	const years = reports.filter((r) => r.agency_id === government.id && r.scope === 'aggregate').map((r) => r.year);
	const rows: ReconcileRow[] = [];
	const perYear: ReconcileYear[] = [];
	for (const year of years) {
		const printedBy = reports.find((r) => r.agency_id === government.id && r.year === year)!;
		const mine = own.filter((r) => r.year === year);
		const reportedIds = new Set(mine.map((r) => r.agency_id));
		perYear.push({ year, reported: units.filter((u) => reportedIds.has(u.id)).map(named), missing: units.filter((u) => !reportedIds.has(u.id)).map(named) });
		for (const metric of RECONCILE_METRICS) {
			const printed = printedBy[metric] as number | null;
			const have = mine.filter((r) => r[metric] !== null);
			const sum = have.length ? have.reduce((a, r) => a + Number(r[metric]), 0) : null;
			rows.push({ year, metric, printed, units: sum, gap: printed !== null && sum !== null ? printed - sum : null, reporting: have.length });
		}
	}
	return { government: named(government), governments: withUnits.map(named), units: units.map(named), years: perYear, rows };
}
