import { labelKey } from '../normalize';
import { APPLICANT_COLUMNS, CASE_FIELDS, CASE_GROUPS, type ApplicantColumn, type CaseField, type CaseGroup, type ReportIssue } from '../schema';
import { isBlank, type RowView } from './rows';

/**
 * The column order a table's header rows print, where it is not the
 * template's: table 三 with 总计 first or 自然人 after the 法人或其他组织
 * columns, or with a 小计 column of its own; table 四 with 总计 first. Values
 * are read by the header's order; a row whose cells cannot be matched to the
 * header's columns is left for the caller to flag, never read by the template's.
 */

/** A printed column no record field holds (法人或其他组织 小计): its cells are skipped. */
export type Printed<C extends string> = C | null;

const LEGAL: readonly ApplicantColumn[] = ['commercial', 'research', 'ngo', 'legal_service', 'other'];

/** Table 三's header cells by their labelKey: a column, the 法人或其他组织 group, or an extra column (小计). */
const APPLICANT_CELLS = new Map<string, ApplicantColumn | 'group' | 'extra'>([
	['自然人', 'natural'],
	...['法人其他组织', '法人或其他组织', '法人和其他组织', '法人及其他组织'].map((k) => [k, 'group'] as const),
	['商业企业', 'commercial'],
	['科研机构', 'research'],
	['社会公益组织', 'ngo'],
	['法律服务机构', 'legal_service'],
	['其他', 'other'],
	['总计', 'total'],
	['合计', 'total'],
	...['小计', '法人或其他组织小计', '法人或其他组织合计'].map((k) => [k, 'extra'] as const)
]);

/**
 * Each label cell's labelKey, made once per row (keyed by its labelCells, which a reordered copy of the row shares):
 * table 四's header rows are asked for their fields row by row and again for their groups.
 */
const LABEL_KEYS = new WeakMap<readonly string[], string[]>();
function labelKeys(row: RowView): string[] {
	let keys = LABEL_KEYS.get(row.labelCells);
	if (!keys) LABEL_KEYS.set(row.labelCells, (keys = row.labelCells.map(labelKey)));
	return keys;
}

/**
 * Table 三's applicant columns as its header rows print them, or undefined
 * where the rows do not name at least five of the seven, each once. The 法人或其他组织 group cell stands
 * for the columns of the row below it (商业企业 … 其他), so two header rows give
 * the order without their cells' spans.
 */
export function applicantOrder(headers: readonly RowView[]): Printed<ApplicantColumn>[] | undefined {
	const rows = headers.map((h) => labelKeys(h).flatMap((k) => APPLICANT_CELLS.get(k) ?? []));
	const top = rows.findIndex((r) => r.some((c) => c === 'natural' || c === 'group' || c === 'total'));
	if (top < 0) return undefined;
	let order: (ApplicantColumn | 'extra')[];
	const first = rows[top];
	if (first.includes('group')) {
		const sub = rows.slice(top + 1).find((r) => r.filter((c) => c !== 'extra' && LEGAL.includes(c as ApplicantColumn)).length >= 2);
		if (!sub || first.filter((c) => c === 'group').length !== 1) return undefined;
		order = first.flatMap((c) => (c === 'group' ? (sub as (ApplicantColumn | 'extra')[]) : [c as ApplicantColumn | 'extra']));
	} else order = first as (ApplicantColumn | 'extra')[];
	const printed = order.map((c) => (c === 'extra' ? null : c));
	const named = printed.filter((c) => c !== null);
	// A column may be left out (a table without 总计, or without 其他), never named twice.
	if (new Set(named).size !== named.length || named.length < MIN_NAMED) return undefined;
	return printed;
}

/** Applicant columns a header must name to be read by its order (the seven, or all but one or two). */
const MIN_NAMED = APPLICANT_COLUMNS.length - 2;

/** The template's columns a header does not print: their cells are null (no number printed), never 0. */
export function absentColumns<C extends string>(printed: readonly Printed<C>[], standard: readonly C[]): C[] {
	return standard.filter((c) => !printed.includes(c));
}

/** Whether a header's order is the template's own (nothing to reorder). */
export function isTemplateOrder<C extends string>(printed: readonly Printed<C>[], standard: readonly C[]): boolean {
	return printed.length === standard.length && printed.every((c, i) => c === standard[i]);
}

/** One header cell of table 四 (its labelKey): the field it names, if any. */
function caseCell(k: string): CaseField | undefined {
	if (k.endsWith('维持')) return 'maintained';
	if (k.endsWith('纠正')) return 'corrected';
	if (k === '其他' || k === '结果其他' || k === '其他结果' || k === '结果其他结果') return 'other';
	if (k.endsWith('未审结')) return 'pending';
	if (k === '总计' || k === '合计') return 'total';
	return undefined;
}

/**
 * Table 四's five fields as a header row prints them (each group of five the
 * same); none where the row does not name them once per group. `conflict`:
 * the groups print different orders.
 */
export function caseFieldOrder(header: RowView): { order?: CaseField[]; conflict?: boolean } {
	// Fewer cells than fields (a title, the groups' row): no order, and no cell's key is made.
	if (header.labelCells.length < CASE_FIELDS.length) return {};
	const fields = labelKeys(header).flatMap((k) => caseCell(k) ?? []);
	if (fields.length < CASE_FIELDS.length || fields.length % CASE_FIELDS.length !== 0) return {};
	const order = fields.slice(0, CASE_FIELDS.length);
	if (CASE_FIELDS.some((f) => !order.includes(f))) return {};
	for (let at = CASE_FIELDS.length; at < fields.length; at += CASE_FIELDS.length)
		if (fields.slice(at, at + CASE_FIELDS.length).some((f, i) => f !== order[i])) return { conflict: true };
	return { order };
}

/**
 * Table 四's three groups as its header rows print them side by side: the
 * row naming 行政复议 and 行政诉讼, and below it the row naming 行政诉讼's two
 * parts (未经复议直接起诉, 复议后起诉). Undefined where the rows do not say.
 */
export function caseGroupOrder(headers: readonly RowView[]): CaseGroup[] | undefined {
	const keys = headers.map(labelKeys);
	const direct = (k: string) => /直接起诉|未经复议/.test(k);
	const after = (k: string) => /复议后/.test(k);
	for (let i = 0; i < keys.length; i++) {
		const review = keys[i].findIndex((k) => /^行政复议(情况)?$/.test(k));
		const litigation = keys[i].findIndex((k) => /^行政诉讼(情况)?$/.test(k));
		if (review < 0 || litigation < 0) continue;
		const sub = keys.slice(i + 1).find((ks) => ks.some(direct) && ks.some(after));
		if (!sub) return undefined;
		const parts: CaseGroup[] =
			sub.findIndex(direct) < sub.findIndex(after) ? ['litigation_direct', 'litigation_after_review'] : ['litigation_after_review', 'litigation_direct'];
		return review < litigation ? ['review', ...parts] : [...parts, 'review'];
	}
	return undefined;
}

/** Table 四's row of values (fifteen, in the template's field order within each group) with its groups in the template's order. */
export function inGroupOrder(values: readonly string[], printed: readonly CaseGroup[]): string[] | undefined {
	const n = CASE_FIELDS.length;
	if (values.length !== n * CASE_GROUPS.length) return undefined;
	return CASE_GROUPS.flatMap((g) => values.slice(printed.indexOf(g) * n, printed.indexOf(g) * n + n));
}

/**
 * A row's values put in the template's column order from `printed` (the
 * header's, repeated `groups` times side by side); undefined where the row's
 * cells cannot be matched to the header's columns one for one.
 */
export function reorderValues<C extends string>(row: RowView, printed: readonly Printed<C>[], standard: readonly C[], groups = 1): string[] | undefined {
	const width = printed.length * groups;
	let values = row.values.slice();
	if (row.exact) values = trimBlankEnds(values, width);
	else if (values.length !== width) {
		// Text: an empty field is a blank value or a merged cell's shadow, so only the numbers alone, when there are as many as columns.
		values = values.filter((v) => !isBlank(v));
	}
	if (values.length !== width) return undefined;
	const out: string[] = [];
	// A column the header does not print reads as blank here; the caller makes it null (absentColumns).
	for (let g = 0; g < groups; g++)
		for (const column of standard) out.push(printed.includes(column) ? values[g * printed.length + printed.indexOf(column)] : '');
	return out;
}

/**
 * A row of a table whose header prints its columns in another order than the
 * template's, with cells that do not match the header's columns one for one:
 * which number is whose cannot be told, so the row is read in the template's
 * order and every cell of it is in doubt (provenance: ambiguous).
 */
export function unplacedIssue(table: '三' | '四', row: string, printed: string, view: RowView): ReportIssue {
	return {
		code: 'cells_ambiguous',
		severity: 'warning',
		message: `表${table}的表头列序与模板不同，而「${printed}」一行的单元格（${view.values.map((v) => v.trim() || '空').join(' | ')}）与表头的列对不上；按模板列序读取，请核对原件`,
		where: { table, row }
	};
}

/** Blank cells at either end beyond `width`: an empty column of a Word table, not a value (exact cells only). */
export function trimBlankEnds(cells: readonly string[], width: number): string[] {
	const values = cells.slice();
	while (values.length > width && isBlank(values[values.length - 1])) values.pop();
	while (values.length > width && isBlank(values[0])) values.shift();
	return values;
}
