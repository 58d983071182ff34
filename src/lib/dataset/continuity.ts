import { APPLICANT_COLUMNS, APPLICANT_LABELS, type ApplicantColumn, type RequestCells, type ReportRecord } from '../report/schema';
import type { Row } from './columns';

/**
 * Cross-year continuity: what a body's report for year N carries forward
 * (四、结转下年度继续办理) is what its report for N+1 carries over
 * (二、上年结转). A mismatch is an issue of the later report naming both;
 * it changes no number and no report's status (each report's own tables
 * are as they were).
 */

export const CONTINUITY_CODE = 'continuity_carry';

type ReportKey = Pick<Row<'reports'>, 'report_id' | 'agency_id' | 'agency' | 'year'>;

/** What continuity reads of a record: the two rows it compares (ingest keeps only these beside a report's rows). */
export interface CarriedRows {
	requests: Pick<ReportRecord['requests'], 'carried_forward' | 'carried_over'>;
}

/** A row whose applicant columns add up to its total and are not all blank: it gives a breakdown. */
function breakdown(cells: RequestCells): boolean {
	const parts = APPLICANT_COLUMNS.filter((c) => c !== 'total').map((c) => cells[c]);
	if (parts.some((v) => v === null)) return false;
	const sum = parts.reduce((a: number, v) => a + (v ?? 0), 0);
	return parts.some((v) => v !== 0) && sum === cells.total;
}

function issue(later: ReportKey, earlier: ReportKey, column: ApplicantColumn, forward: number, over: number): Row<'issues'> {
	const col = column === 'total' ? '总计' : `${APPLICANT_LABELS[column]}列`;
	return {
		report_id: later.report_id,
		code: CONTINUITY_CODE,
		severity: 'warning',
		message: `跨年度衔接：${earlier.agency} ${earlier.year} 年报告“四、结转下年度继续办理”${col}为 ${forward}，${later.agency} ${later.year} 年报告“二、上年结转”${col}为 ${over}`,
		table_no: '三',
		row_key: 'carried_over',
		column_key: column,
		expected: forward,
		actual: over
	};
}

/** Issues for every pair of consecutive years of one body whose carried numbers differ. `reports[i]` is `records[i]`'s row. */
export function continuityIssues(reports: readonly ReportKey[], records: readonly CarriedRows[]): Row<'issues'>[] {
	const byAgencyYear = new Map(reports.map((r, i) => [`${r.agency_id}|${r.year}`, i]));
	const out: Row<'issues'>[] = [];
	reports.forEach((later, i) => {
		const j = byAgencyYear.get(`${later.agency_id}|${later.year - 1}`);
		if (j === undefined) return;
		const forward = records[j].requests.carried_forward;
		const over = records[i].requests.carried_over;
		if (!forward || !over) return;
		// A cell printed unreadably (null) cannot be compared.
		const differ = (c: ApplicantColumn) => forward[c] !== null && over[c] !== null && forward[c] !== over[c];
		if (differ('total')) out.push(issue(later, reports[j], 'total', forward.total!, over.total!));
		if (!breakdown(forward) || !breakdown(over)) return;
		for (const c of APPLICANT_COLUMNS) if (c !== 'total' && differ(c)) out.push(issue(later, reports[j], c, forward[c]!, over[c]!));
	});
	return out;
}
