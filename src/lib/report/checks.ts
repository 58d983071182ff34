import {
	APPLICANT_COLUMNS,
	APPLICANT_LABELS,
	BALANCE_RULE,
	CASE_FIELDS,
	CASE_GROUPS,
	CASE_GROUP_LABELS,
	CASE_FIELD_LABELS,
	OUTCOME_ROWS,
	REQUEST_ROWS,
	REQUEST_ROW_LABELS,
	type Cell,
	type ReportIssue,
	type ReportRecord,
	type RequestRow
} from './schema';
import type { Provenance } from './provenance';

type BalanceRow = (typeof BALANCE_RULE)[keyof typeof BALANCE_RULE][number];

/** The balance rule's rows as its message names them. */
const BALANCE_SHORT: Record<BalanceRow, string> = {
	new_received: '新收',
	carried_over: '上年结转',
	total_processed: '办理总计',
	carried_forward: '结转下年'
};

/** Sums without binary noise (fee amounts are decimals; counts are integers). */
function sum(values: number[]): number {
	return Math.round(values.reduce((a, b) => a + b, 0) * 1e6) / 1e6;
}

/** A rule over a cell the document did not give as a number (null) cannot be checked. */
function allRead(values: Cell[]): values is number[] {
	return values.every((v) => v !== null);
}

/** A failed rule whose cells are not all read as printed: 解析存疑, not the report's own (报告自身不符). */
export const DOUBTED_RULE = 'reading_rule';

/** A failed rule's issue, its message naming table 三's rows by `label`. */
type RuleIssue = (label: (row: RequestRow) => string) => ReportIssue;

/** The row's label as the template names it. */
const templateLabel = (row: RequestRow) => REQUEST_ROW_LABELS[row];

/**
 * A failed rule, blamed on the report only when every cell it adds up was
 * read as printed. If any was inferred or ambiguous (provenance), the failure
 * may be our reading's: it becomes a DOUBTED_RULE issue naming those cells,
 * with the same place, expected and actual, and its rows named as the
 * document prints them, so the reader can find them in the original.
 */
function ruleIssue(make: RuleIssue, cells: readonly string[], provenance: Provenance | undefined): ReportIssue {
	if (!provenance) return make(templateLabel);
	const doubted = cells.filter((path) => {
		const how = provenance[path]?.how;
		return how !== undefined && how !== 'read';
	});
	if (doubted.length === 0) return make(templateLabel);
	const printedLabel = (row: RequestRow) => provenance[`requests.${row}.total`]?.row || REQUEST_ROW_LABELS[row];
	const issue = make(printedLabel);
	const named = doubted.map((path) => {
		const p = provenance[path];
		const labels: Record<string, string> = p.table === '四' ? CASE_FIELD_LABELS : APPLICANT_LABELS;
		return `「${p.row}」${labels[p.column] ?? p.column}（${p.how === 'inferred' ? '推断' : '存疑'}）`;
	});
	return {
		...issue,
		code: DOUBTED_RULE,
		message: `解析存疑，不视为报告自身不符：${issue.message}；涉及的数字中 ${doubted.length} 个不是直接读出的：${named.slice(0, 4).join('、')}${named.length > 4 ? ' 等' : ''}`
	};
}

/**
 * The four consistency rules of schema.md, per column, with expected and
 * actual values. Rules only speak about rows the document has and cells it
 * gave as numbers; they never change a number. With the parse's provenance,
 * a rule that fails over a cell we did not read as printed is 解析存疑
 * (ruleIssue), never the report's own.
 */
export function checkRecord(r: ReportRecord, provenance?: Provenance): ReportIssue[] {
	const issues: ReportIssue[] = [];
	const push = (make: RuleIssue, cells: readonly string[]) => issues.push(ruleIssue(make, cells, provenance));
	const q = r.requests;

	// Rule 1: the balance (new_received + carried_over = total_processed + carried_forward)
	const { received, settled } = BALANCE_RULE;
	if ([...received, ...settled].every((row) => q[row])) {
		for (const col of APPLICANT_COLUMNS) {
			const terms = (rows: readonly BalanceRow[]) => rows.map((row) => q[row]![col]);
			const printed = (rows: readonly BalanceRow[]) => rows.map((row) => `${BALANCE_SHORT[row]} ${q[row]![col]}`).join(' + ');
			const [ins, outs] = [terms(received), terms(settled)];
			if (!allRead(ins) || !allRead(outs)) continue;
			const left = sum(ins);
			const right = sum(outs);
			if (left !== right)
				push(
					() => ({
						code: 'rule_balance',
						severity: 'warning',
						message: `表三勾稽关系不成立（${APPLICANT_LABELS[col]}列）：${printed(received)} = ${left}，${printed(settled)} = ${right}`,
						where: { table: '三', column: col },
						expected: left,
						actual: right
					}),
					[...received, ...settled].map((row) => `requests.${row}.${col}`)
				);
		}
	}

	// Rule 2: total_processed = sum of the outcome rows
	if (q.total_processed) {
		const present = OUTCOME_ROWS.filter((row) => q[row]);
		if (present.length > 0) {
			for (const col of APPLICANT_COLUMNS) {
				const parts = present.map((row) => q[row]![col]);
				const actual = q.total_processed[col];
				if (!allRead(parts) || actual === null) continue;
				const expected = sum(parts);
				if (expected !== actual)
					push(
						() => ({
							code: 'rule_outcomes',
							severity: 'warning',
							message: `表三办理结果之和与（七）总计不符（${APPLICANT_LABELS[col]}列）：各项之和 ${expected}，总计 ${actual}`,
							where: { table: '三', row: 'total_processed', column: col },
							expected,
							actual
						}),
						[...present, 'total_processed'].map((row) => `requests.${row}.${col}`)
					);
			}
		}
	}

	// Rule 3: every row's total = the six applicant columns
	for (const row of REQUEST_ROWS) {
		const cells = q[row];
		if (!cells) continue;
		const parts = APPLICANT_COLUMNS.filter((c) => c !== 'total').map((c) => cells[c]);
		const actual = cells.total;
		if (!allRead(parts) || actual === null) continue;
		const expected = sum(parts);
		if (expected !== actual)
			push(
				(label) => ({
					code: 'rule_row_total',
					severity: 'warning',
					message: `表三「${label(row)}」行总计不符：${parts.join('+')} = ${expected}，总计 ${actual}`,
					where: { table: '三', row, column: 'total' },
					expected,
					actual
				}),
				APPLICANT_COLUMNS.map((c) => `requests.${row}.${c}`)
			);
	}

	// Rule 4: table 四 totals
	for (const group of CASE_GROUPS) {
		const cells = r[group];
		if (!cells) continue;
		const parts = CASE_FIELDS.filter((f) => f !== 'total').map((f) => cells[f]);
		const actual = cells.total;
		if (!allRead(parts) || actual === null) continue;
		const expected = sum(parts);
		if (expected !== actual)
			push(
				() => ({
					code: 'rule_case_total',
					severity: 'warning',
					message: `表四「${CASE_GROUP_LABELS[group]}」总计不符：${parts.join('+')} = ${expected}，总计 ${actual}`,
					where: { table: '四', row: group, column: 'total' },
					expected,
					actual
				}),
				CASE_FIELDS.map((f) => `${group}.${f}`)
			);
	}
	return issues;
}
