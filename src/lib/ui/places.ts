import {
	ACTIVE_FIELD_LABELS,
	BALANCE_RULE,
	ACTIVE_ROW_LABELS,
	APPLICANT_LABELS,
	CASE_FIELD_LABELS,
	CASE_GROUP_LABELS,
	REQUEST_ROW_LABELS,
	type ActiveRowKey,
	type ApplicantColumn,
	type CaseField,
	type CaseGroup,
	type RequestRow
} from '$lib/report/schema';

/** A place in a report, as the report's own labels name it: 表三 · （七）总计 · 自然人. */

export function rowLabel(table: string | null, row: string | null): string | null {
	if (!row) return null;
	if (table === '三') return REQUEST_ROW_LABELS[row as RequestRow] ?? row;
	if (table === '四') return CASE_GROUP_LABELS[row as CaseGroup] ?? row;
	if (table === '二') return ACTIVE_ROW_LABELS[row as ActiveRowKey] ?? row;
	return row;
}

export function columnLabel(table: string | null, column: string | null): string | null {
	if (!column) return null;
	if (table === '三') return APPLICANT_LABELS[column as ApplicantColumn] ?? column;
	if (table === '四') return CASE_FIELD_LABELS[column as CaseField] ?? column;
	if (table === '二') return ACTIVE_FIELD_LABELS[column] ?? column;
	return column;
}

export function placeLabel(p: { table_no: string | null; row_key: string | null; column_key: string | null }): string {
	return [p.table_no ? `表${p.table_no}` : null, rowLabel(p.table_no, p.row_key), columnLabel(p.table_no, p.column_key)].filter(Boolean).join(' · ');
}

/** The rows of table 三's balance rule (rule 1): an issue on a column without a row concerns these. */
export const BALANCE_ROWS: readonly string[] = [...BALANCE_RULE.received, ...BALANCE_RULE.settled];

/** Whether an issue concerns one cell of a printed table. */
export function issueTouches(
	i: { table_no: string | null; row_key: string | null; column_key: string | null },
	table: string,
	row: string,
	column: string
): boolean {
	if (i.table_no !== table) return false;
	const rowHit = i.row_key === row || (i.row_key === null && (table !== '三' || BALANCE_ROWS.includes(row)));
	const colHit = i.column_key === column || i.column_key === null;
	return rowHit && colHit;
}
