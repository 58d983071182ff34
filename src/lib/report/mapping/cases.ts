import { CASE_FIELDS, CASE_GROUPS, type CaseCells, type CaseGroup, type ReportIssue } from '../schema';
import { casesWidth, TEMPLATES, type TemplateDescriptor } from '../template/index';
import { fit, isBlank, MAX_LABEL, readValue, shapeIssue, type RowView, type Tally } from './rows';
import { unplacedIssue } from './columns';

/** Table 四 (行政复议、行政诉讼): one row of values, the groups side by side. */

/** Values a row needs before the template is known: the narrowest template's table 四. */
const MIN_WIDTH = Math.min(...TEMPLATES.map(casesWidth));

/** Table 四's widths in any template: an all-blank row must have one of them exactly. */
const WIDTHS = new Set(TEMPLATES.map(casesWidth));

/**
 * Whether a row's cells may be table 四's values with every one blank: an agency with no
 * case prints the row empty (blank = 0, schema.md). Only an unlabelled row exactly `widths`
 * wide counts: cells of HTML, Word or markdown, or a text line of tabs only with one field per
 * column; an empty text line or a ragged spacer row is nothing.
 */
export function isBlankValuesRow(row: RowView, widths: ReadonlySet<number> = WIDTHS): boolean {
	return !row.label && widths.has(row.values.length) && row.values.every(isBlank);
}

/** Whether a row after table 四's header is its row of values (its label, if any, is short). */
export function isCasesRow(row: RowView): boolean {
	const nonBlank = row.values.filter((v) => !isBlank(v)).length;
	if (isBlankValuesRow(row, WIDTHS)) return true;
	return row.values.length >= MIN_WIDTH && nonBlank > 0 && (!row.label || row.label.length <= MAX_LABEL);
}

/**
 * Table 四 printed as three small tables (行政复议, 行政诉讼（未经复议直接起诉）,
 * 行政诉讼（复议后起诉）), five columns each: which one a title names.
 */
export function caseGroupOf(label: string): CaseGroup | undefined {
	if (/复议后/.test(label)) return 'litigation_after_review';
	if (/直接起诉|未经复议/.test(label)) return 'litigation_direct';
	if (/^行政复议$|^[一二三1-3]?行政复议情况?$/.test(label)) return 'review';
	return undefined;
}

/** One small table's row of values: exactly a group's five cells. */
const PART_WIDTH: ReadonlySet<number> = new Set([CASE_FIELDS.length]);

export function isCasePartRow(row: RowView): boolean {
	if (isBlankValuesRow(row, PART_WIDTH)) return true;
	return row.values.length === CASE_FIELDS.length && row.values.some((v) => !isBlank(v)) && (!row.label || row.label.length <= MAX_LABEL);
}

/** The three small tables' rows as the one row of the template's table 四, groups in template order. */
export function combineCaseParts(parts: Map<CaseGroup, RowView>): RowView {
	const rows = CASE_GROUPS.map((g) => parts.get(g)!);
	return {
		label: '',
		printed: rows
			.map((r) => r.printed)
			.filter(Boolean)
			.join(' / '),
		labelCells: [],
		values: rows.flatMap((r) => r.values),
		exact: rows.every((r) => r.exact),
		...(rows.some((r) => r.columnsUnplaced) ? { columnsUnplaced: true } : {}),
		...(rows.every((r) => r.pages) ? { pages: rows.flatMap((r) => r.pages!) } : {})
	};
}

export type Cases = Record<CaseGroup, CaseCells | null>;

/**
 * Table 四's row of values → the record's groups. With a header but no row
 * (and table 三 read, so this is a report's table 四), say so.
 */
export function mapCases(
	template: TemplateDescriptor,
	row: RowView | undefined,
	headerSeen: boolean,
	requestsRead: boolean,
	tally: Tally,
	issues: ReportIssue[]
): Cases {
	const cases: Cases = { review: null, litigation_direct: null, litigation_after_review: null };
	const width = casesWidth(template);
	if (!row) {
		if (headerSeen && requestsRead)
			issues.push({
				code: 'table_missing',
				severity: 'warning',
				message: `表四（行政复议、行政诉讼）有表头但没有读到 ${width} 个数字`,
				where: { table: '四' }
			});
		return cases;
	}
	const { groups, fields } = template.cases;
	const { cells, problem } = fit(row.values, width, row.exact);
	if (row.columnsUnplaced) issues.push(unplacedIssue('四', 'review', row.printed || '行政复议、行政诉讼', row));
	else if (problem) issues.push(shapeIssue('四', 'review', '行政复议、行政诉讼', problem, row, width));
	groups.forEach((group, g) => {
		const out = {} as CaseCells;
		fields.forEach((field, f) => {
			out[field] = readValue(cells[g * fields.length + f], tally, issues, '四', group, field).value;
		});
		cases[group] = out;
	});
	return cases;
}
