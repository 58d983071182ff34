import type { ReportDocument, Table } from './document';
import {
	ACTIVE_FIELD_PATTERNS,
	ACTIVE_GRID,
	ACTIVE_ROW_PATTERNS,
	ACTIVE_TABLE_START,
	CASES_TABLE_START,
	REQUEST_ROW_PATTERNS,
	REQUESTS_TABLE_START,
	SECTION_PATTERNS,
	TEMPLATE_2019_MARKERS,
	TEMPLATE_2021_MARKERS,
	type RequestSection
} from './labels';
import { labelKey } from './normalize';
import { readCell, roundTo, type CellValue } from './numbers';
import {
	ACTIVE_LAYOUT,
	ACTIVE_ROW_LABELS,
	APPLICANT_COLUMNS,
	APPLICANT_LABELS,
	CASE_FIELDS,
	CASE_GROUPS,
	OTHER_SPLIT_ROWS,
	REQUEST_ROWS,
	REQUEST_ROW_LABELS,
	emptyActive,
	emptyRequests,
	type ActiveRowKey,
	type ActiveTable,
	type CaseCells,
	type ReportIssue,
	type RequestCells,
	type RequestRow,
	type Template
} from './schema';

/** One table row as the mapping sees it: its label and the value cells after it. */
interface RowView {
	/** labelKey of every label cell in the row, joined. */
	label: string;
	/** The label as printed, for messages. */
	printed: string;
	/** Each label cell's text. */
	labelCells: string[];
	/** Raw texts of the cells after the last label cell. */
	values: string[];
	exact: boolean;
}

/** Labels longer than this are prose, not table rows. */
const MAX_LABEL = 64;

function isBlank(text: string): boolean {
	return readCell(text)?.note === 'blank';
}

function viewRow(cells: { text: string }[], exact: boolean): RowView {
	let lastLabel = -1;
	const labels: string[] = [];
	cells.forEach((c, i) => {
		if (!c.text.trim()) return;
		if (readCell(c.text) === undefined) {
			lastLabel = i;
			labels.push(c.text);
		}
	});
	const printed = labels.join(' ').replace(/\s+/g, ' ').trim();
	return {
		label: labelKey(printed),
		printed,
		labelCells: labels,
		values: cells.slice(lastLabel + 1).map((c) => c.text),
		exact
	};
}

function* rowsOf(tables: Table[]): Generator<RowView> {
	for (const t of tables) for (const r of t.rows) yield viewRow(r, t.exactCells);
}

type Fit = { cells: string[]; problem?: 'missing' | 'extra' | 'ambiguous' };

/**
 * Fit a row's value cells to the n columns the template has.
 *
 * Exact cells (HTML, Word, markdown): extra blank cells at either end are
 * dropped (an empty trailing column of a Word table); what still does not fit
 * is reported.
 *
 * Text split on tabs: an empty field is either a blank value or the shadow of a
 * merged cell, so: exactly n numbers → in order; else n fields between the
 * first and last number → by position; else right-aligned to the row's end
 * (leading empties are merged label columns), flagged as a guess.
 */
function fit(values: string[], n: number, exact: boolean, grid?: readonly (string | null)[]): Fit {
	const v = values.slice();
	if (!exact) {
		const numbers = v.filter((x) => !isBlank(x));
		if (numbers.length === n) return { cells: numbers };
		if (grid) {
			const w = v.slice();
			while (w.length > grid.length && isBlank(w[w.length - 1])) w.pop();
			if (w.length === grid.length) return { cells: w.filter((_, i) => grid[i] !== null) };
		}
		let first = 0;
		let last = v.length - 1;
		while (first <= last && isBlank(v[first])) first++;
		while (last >= first && isBlank(v[last])) last--;
		if (last - first + 1 === n) return { cells: v.slice(first, last + 1) };
		if (numbers.length === 0) return { cells: new Array<string>(n).fill('') };
		if (last + 1 >= n && last - first + 1 < n) return { cells: v.slice(last + 1 - n, last + 1), problem: 'ambiguous' };
	}
	while (v.length > n && isBlank(v[v.length - 1])) v.pop();
	while (v.length > n && isBlank(v[0])) v.shift();
	if (v.length > n) return { cells: v.slice(0, n), problem: 'extra' };
	if (v.length < n) {
		// Text where empty cells vanished: keep what is there in order, the last
		// non-blank value in the last column (总计), and flag the row.
		const filled = new Array<string>(n).fill('');
		const present = v.filter((x) => !isBlank(x));
		present.forEach((x, i) => {
			filled[i === present.length - 1 && n > 1 ? n - 1 : i] = x;
		});
		return { cells: filled, problem: 'missing' };
	}
	return { cells: v };
}

function stripParens(s: string): string {
	return s.replace(/[（(][^（()）]*[)）]/g, '');
}

function numberingStripped(label: string): string {
	// labelKey already dropped brackets and dots: "一予以公开" / "1属于国家秘密"
	return label.replace(/^[一二三四五六七八九十]+(?=[\u4e00-\u9fff])/, '').replace(/^\d+/, '');
}

export interface MappedTables {
	template: Template;
	active: ActiveTable;
	requests: Record<RequestRow, RequestCells | null>;
	review: CaseCells | null;
	litigation_direct: CaseCells | null;
	litigation_after_review: CaseCells | null;
	issues: ReportIssue[];
	found: { active: boolean; requests: boolean; cases: boolean };
	/** Every value cell read was blank: a copy of the empty template. */
	allBlank: boolean;
}

type Phase = 'none' | 'active' | 'requests' | 'cases';

/**
 * Read the three standard tables from a document's rows. Template from table
 * 二's headers and rows (never the year); rows by label meaning; numbers as
 * printed. Problems go into `issues`; nothing is corrected.
 */
export function mapTables(doc: ReportDocument): MappedTables {
	const issues: ReportIssue[] = [];
	const activeRaw = new Map<ActiveRowKey, RowView>();
	const requestRaw = new Map<RequestRow, RowView>();
	let casesRow: RowView | undefined;
	let casesHeaderSeen = false;
	let votes2019 = 0;
	let votes2021 = 0;
	let activeFieldOrder: string[] | undefined;
	const activeFieldOrders = new Map<ActiveRowKey, string[]>();
	let phase: Phase = 'none';
	let section: RequestSection = '';
	let lastRequest: RequestRow | undefined;
	let tentativeOther = false;
	let valueCells = 0;
	let blankCells = 0;

	for (const row of rowsOf(doc.tables)) {
		const { label } = row;
		const short = label.length > 0 && label.length <= MAX_LABEL;
		// Numbers in the row, or at least cells after the label (blank = 0 in a table row).
		const hasNumbers = row.values.some((v) => !isBlank(v));
		const hasCells = row.values.length > 0;

		// Where are we? Table starts are recognised from short header rows only,
		// so a prose paragraph listing the six sections does not move the phase.
		if (short && !hasNumbers) {
			if (CASES_TABLE_START.test(label) && phase !== 'cases') {
				phase = 'cases';
				casesHeaderSeen = true;
				continue;
			}
			if (REQUESTS_TABLE_START.test(label)) {
				phase = 'requests';
				section = '';
				continue;
			}
			if (/第二十条|信息内容/.test(label) || (ACTIVE_TABLE_START.test(label) && phase === 'none')) phase = 'active';
		}

		if (phase === 'active' || phase === 'none') {
			const key = stripParens(row.printed);
			const activeKey = short ? ACTIVE_ROW_PATTERNS.find(([, re]) => re.test(labelKey(key)))?.[0] : undefined;
			if (activeKey && (hasNumbers || (hasCells && phase === 'active')) && (phase === 'active' || row.label.length <= 12)) {
				phase = 'active';
				if (activeRaw.has(activeKey)) {
					issues.push({
						code: 'row_duplicate',
						severity: 'warning',
						message: `表二「${ACTIVE_ROW_LABELS[activeKey]}」出现两次，取第一次`,
						where: { table: '二', row: activeKey }
					});
				} else {
					activeRaw.set(activeKey, row);
					if (activeFieldOrder) activeFieldOrders.set(activeKey, activeFieldOrder);
				}
				if (activeKey === 'other_services' || activeKey === 'procurement') votes2019 += 1;
				continue;
			}
			if (short && !hasNumbers) {
				const has2019 = TEMPLATE_2019_MARKERS.test(label);
				const has2021 = TEMPLATE_2021_MARKERS.test(label);
				if (has2019) votes2019 += 2;
				if (has2021) votes2021 += 2;
				if (has2019 || has2021) {
					activeFieldOrder = [];
					for (const part of row.labelCells) {
						const key = labelKey(part);
						const hit = ACTIVE_FIELD_PATTERNS.find(([, re]) => re.test(key));
						if (hit && !activeFieldOrder.includes(hit[0])) activeFieldOrder.push(hit[0]);
					}
				}
				continue;
			}
		}

		// Table 三 may follow table 二 without a recognisable header row.
		if (phase !== 'requests' && phase !== 'cases' && short && hasNumbers && /本年新收|本年度新收/.test(label)) {
			phase = 'requests';
			section = '';
		}

		if (phase === 'requests') {
			if (short && CASES_TABLE_START.test(label)) {
				phase = 'cases';
				casesHeaderSeen = true;
				continue;
			}
			// Header rows of table 三 (申请人情况 / 自然人 / 法人或其他组织 … 总计) are not data.
			if (!hasNumbers && /自然人|法人或其他组织|商业企业|科研机构|申请人情况/.test(label)) continue;
			for (const [s, re] of SECTION_PATTERNS) if (re.test(label)) section = s;
			if (!hasNumbers && !hasCells) continue;
			let key: RequestRow | undefined;
			if (short) {
				key = REQUEST_ROW_PATTERNS.find(([, re]) => re.test(label))?.[0];
				if (key && ['granted', 'partially_granted', 'total_processed', 'new_received', 'carried_over', 'carried_forward'].includes(key))
					section = '';
				// "3.其他" right after （六）'s first sub-rows, even when the section label was lost.
				if (!key && /^\d?其他$/.test(label) && lastRequest && OTHER_SPLIT_ROWS.includes(lastRequest)) key = 'other_other';
				if (!key && section === 'other') {
					const rest = numberingStripped(label.replace(/^.*其他处理/, ''));
					// A bare, blank （六）其他处理 line in text is the single-row form with
					// blanks, or the vertical header of the three sub-rows: the sub-rows decide.
					if (rest === '') {
						key = 'other';
						tentativeOther = !hasNumbers && !row.exact;
					} else if (/^其他$/.test(rest)) key = 'other_other';
				}
			} else if (!label && row.values.length >= APPLICANT_COLUMNS.length) {
				// A row of numbers without its label (a PDF extractor lost it): take
				// the next row in document order, and say so.
				key = nextRequestRow(lastRequest, requestRaw);
				if (key)
					issues.push({
						code: 'row_by_order',
						severity: 'warning',
						message: `表三有一行数字没有行标签，按顺序视为「${REQUEST_ROW_LABELS[key]}」`,
						where: { table: '三', row: key }
					});
			}
			if (!key) {
				if (!label)
					issues.push({
						code: 'row_unknown',
						severity: 'warning',
						message: `表三中一行不完整的数字（${row.values.join(' ')}）没有行标签，已忽略`,
						where: { table: '三' }
					});
				else if (short && hasNumbers)
					issues.push({
						code: 'row_unknown',
						severity: 'warning',
						message: `表三中无法识别的行「${row.printed}」，已忽略`,
						where: { table: '三' }
					});
				continue;
			}
			if (tentativeOther && OTHER_SPLIT_ROWS.includes(key)) {
				requestRaw.delete('other');
				tentativeOther = false;
			}
			if (requestRaw.has(key)) {
				issues.push({
					code: 'row_duplicate',
					severity: 'warning',
					message: `表三「${REQUEST_ROW_LABELS[key]}」出现两次，取第一次`,
					where: { table: '三', row: key }
				});
				continue;
			}
			requestRaw.set(key, row);
			lastRequest = key;
			if (key === 'carried_forward') phase = 'none';
			continue;
		}

		if (phase === 'cases' && !casesRow) {
			const nonBlank = row.values.filter((v) => !isBlank(v)).length;
			if (row.values.length >= 15 && nonBlank > 0 && (!label || short)) {
				casesRow = row;
				phase = 'none';
			}
		}
	}

	// ---- template: table 二 decides; table 三's （六） only when 二 is silent
	const licensing = activeRaw.get('licensing');
	if (licensing) {
		const n = fit(licensing.values, 1, licensing.exact).cells.length;
		const nonBlank = licensing.values.filter((v) => !isBlank(v)).length;
		if (nonBlank >= 2) votes2019 += 1;
		else if (n === 1 && !licensing.exact) votes2021 += 0.5;
	}
	const hasSplitOther = OTHER_SPLIT_ROWS.some((r) => requestRaw.has(r));
	const hasSingleOther = requestRaw.has('other');
	let template: Template;
	if (votes2019 !== votes2021) template = votes2019 > votes2021 ? '2019' : '2021';
	else template = hasSingleOther && !hasSplitOther ? '2019' : '2021';
	if (activeRaw.size > 0 && votes2019 > 0 && votes2021 > 0) {
		issues.push({
			code: 'template_mixed',
			severity: 'warning',
			message: `表二同时出现 2019 与 2021 格式的表头，按多数取 ${template} 格式`,
			where: { table: '二' }
		});
	}
	if (activeRaw.size > 0 && template === '2021' && hasSingleOther && !hasSplitOther) {
		issues.push({
			code: 'template_mixed',
			severity: 'info',
			message: '表二为 2021 格式，但表三「（六）其他处理」只有一行（2019 格式），记入 other',
			where: { table: '三', row: 'other' }
		});
	}

	// ---- table 二
	const active = emptyActive(template);
	const layout = ACTIVE_LAYOUT[template] as Record<string, readonly string[]>;
	for (const [key, row] of activeRaw) {
		const fields = layout[key];
		if (!fields) {
			issues.push({
				code: 'template_mixed',
				severity: 'warning',
				message: `表二「${ACTIVE_ROW_LABELS[key]}」不属于 ${template} 格式，已忽略`,
				where: { table: '二', row: key }
			});
			continue;
		}
		const { cells, problem } = fit(row.values, fields.length, row.exact, ACTIVE_GRID[template][key]);
		if (problem) issues.push(shapeIssue('二', key, ACTIVE_ROW_LABELS[key], problem, row, fields.length));
		const order = activeFieldOrders.get(key);
		const useOrder = order && order.length === fields.length && fields.every((f) => order.includes(f)) ? order : fields;
		const out: Record<string, number> = {};
		for (const f of fields) out[f] = 0;
		useOrder.forEach((field, i) => {
			const v = readCell(cells[i]) ?? { value: 0, note: 'blank' as const };
			count(v);
			noteIssue(issues, v, cells[i], '二', key, field);
			out[field] = activeValue(field, v, issues, key);
		});
		active[key] = out;
	}
	for (const key of Object.keys(layout)) {
		if (active[key] === null && activeRaw.size > 0)
			issues.push({
				code: 'row_missing',
				severity: 'warning',
				message: `表二缺少「${ACTIVE_ROW_LABELS[key as ActiveRowKey]}」行`,
				where: { table: '二', row: key }
			});
	}

	// ---- table 三
	const requests = emptyRequests();
	for (const [key, row] of requestRaw) {
		const { cells, problem } = fit(row.values, APPLICANT_COLUMNS.length, row.exact);
		if (problem) issues.push(shapeIssue('三', key, REQUEST_ROW_LABELS[key], problem, row, APPLICANT_COLUMNS.length));
		const out = {} as RequestCells;
		APPLICANT_COLUMNS.forEach((col, i) => {
			const v = readCell(cells[i]) ?? { value: 0, note: 'blank' as const };
			count(v);
			noteIssue(issues, v, cells[i], '三', key, col);
			out[col] = v.value;
		});
		requests[key] = out;
	}

	// ---- table 四
	let cases: Record<string, CaseCells | null> = { review: null, litigation_direct: null, litigation_after_review: null };
	if (casesRow) {
		const { cells, problem } = fit(casesRow.values, 15, casesRow.exact);
		if (problem) issues.push(shapeIssue('四', 'review', '行政复议、行政诉讼', problem, casesRow, 15));
		cases = {};
		CASE_GROUPS.forEach((group, g) => {
			const out = {} as CaseCells;
			CASE_FIELDS.forEach((field, f) => {
				const v = readCell(cells[g * 5 + f]) ?? { value: 0, note: 'blank' as const };
				count(v);
				noteIssue(issues, v, cells[g * 5 + f], '四', group, field);
				out[field] = v.value;
			});
			cases[group] = out;
		});
	} else if (casesHeaderSeen && requestRaw.size > 0) {
		issues.push({
			code: 'table_missing',
			severity: 'warning',
			message: '表四（行政复议、行政诉讼）有表头但没有读到 15 个数字',
			where: { table: '四' }
		});
	}

	function count(v: CellValue) {
		valueCells++;
		if (v.note === 'blank') blankCells++;
	}

	return {
		template,
		active,
		requests,
		review: cases.review,
		litigation_direct: cases.litigation_direct,
		litigation_after_review: cases.litigation_after_review,
		issues,
		found: { active: activeRaw.size > 0, requests: requestRaw.size > 0, cases: !!casesRow },
		allBlank: valueCells > 0 && valueCells === blankCells
	};
}

/** After `last`, the next table 三 row not yet read, in template order. */
function nextRequestRow(last: RequestRow | undefined, seen: Map<RequestRow, RowView>): RequestRow | undefined {
	if (!last) return undefined;
	for (let i = REQUEST_ROWS.indexOf(last) + 1; i < REQUEST_ROWS.length; i++) {
		const r = REQUEST_ROWS[i];
		if (seen.has(r)) continue;
		// The single （六） row is an alternative to the three sub-rows, never a next row.
		if (r === 'other') continue;
		return r;
	}
	return undefined;
}

/** Fee and procurement amounts follow the unit the cell states. */
function activeValue(field: string, v: CellValue, issues: ReportIssue[], row: ActiveRowKey): number {
	if (field === 'amount_yuan' && v.note === 'unit_wan') return roundTo(v.value * 10000, 2);
	if (field === 'amount_10k_yuan' && v.note === 'unit_yuan') {
		issues.push({
			code: 'unit_converted',
			severity: 'info',
			message: `表二「${ACTIVE_ROW_LABELS[row]}」金额单元格写明“元”，已换算为万元`,
			where: { table: '二', row, column: field }
		});
		return roundTo(v.value / 10000, 6);
	}
	return v.value;
}

function noteIssue(issues: ReportIssue[], v: CellValue, printed: string, table: '二' | '三' | '四', row: string, column: string) {
	if (v.note === 'dash' || v.note === 'none') {
		issues.push({
			code: 'dash_as_zero',
			severity: 'info',
			message: `表${table} ${row} / ${column}：单元格为“${printed.trim()}”，按 0 计`,
			where: { table, row, column }
		});
	}
}

function shapeIssue(
	table: '二' | '三' | '四',
	row: string,
	printed: string,
	problem: 'missing' | 'extra' | 'ambiguous',
	view: RowView,
	expected: number
): ReportIssue {
	const got = view.values.filter((v) => !isBlank(v)).length;
	if (problem === 'ambiguous')
		return {
			code: 'cells_ambiguous',
			severity: 'warning',
			message: `表${table}「${printed}」的空单元格在文本中无法与合并单元格区分；按右对齐读取 ${expected} 列，请核对原件`,
			where: { table, row },
			expected,
			actual: got
		};
	return problem === 'missing'
		? {
				code: 'cells_missing',
				severity: 'error',
				message: `表${table}「${printed}」应有 ${expected} 个数，只读到 ${got} 个（空单元格在文本中丢失）；按顺序填入、最后一个数作${table === '三' ? APPLICANT_LABELS.total : '末列'}，请核对原件`,
				where: { table, row },
				expected,
				actual: got
			}
		: {
				code: 'cells_extra',
				severity: 'error',
				message: `表${table}「${printed}」应有 ${expected} 个数，读到 ${view.values.length} 个；取前 ${expected} 个，请核对原件`,
				where: { table, row },
				expected,
				actual: view.values.length
			};
}
