/**
 * The three statistics tables as grids of cells with rowspan/colspan, laid out
 * like the official templates (report-format.md §3–5). Renderers turn a grid
 * into HTML, tab-separated text or a markdown table.
 */
import {
	ACTIVE_FIELD_LABELS,
	ACTIVE_ROW_LABELS,
	APPLICANT_COLUMNS,
	APPLICANT_LABELS,
	CASE_FIELD_LABELS,
	CASE_FIELDS,
	CASE_GROUP_LABELS,
	CASE_GROUPS,
	REQUEST_ROW_LABELS,
	REQUEST_ROWS,
	type CompleteRecord,
	type RequestRow
} from '../report/schema';
import { activeFields, templateOf } from '../report/template/index';

/** How a number is written: plain count, item count, signed item change, or money. */
export type ValueKind = 'count' | 'items' | 'signed_items' | 'amount_10k_yuan' | 'amount_yuan';

interface Span {
	rowspan: number;
	colspan: number;
}
export type TextCell = Span & { role: 'title' | 'header' | 'label'; text: string };
export type ValueCell = Span & { role: 'value'; value: number; kind: ValueKind };
export type Cell = TextCell | ValueCell;

export interface TableGrid {
	table: '二' | '三' | '四';
	/** Number of grid columns once spans are expanded. */
	width: number;
	/** Origin cells only, as in HTML: a cell covered by a span above or to the left is absent. */
	rows: Cell[][];
}

const text = (role: TextCell['role'], value: string, colspan = 1, rowspan = 1): TextCell => ({
	role,
	text: value,
	rowspan,
	colspan
});
const number = (value: number, kind: ValueKind, colspan = 1): ValueCell => ({
	role: 'value',
	value,
	kind,
	rowspan: 1,
	colspan
});

/**
 * Grid positions with spans expanded: the origin cell at its top-left corner,
 * null where a span covers the position.
 */
export function expandGrid(grid: TableGrid): (Cell | null)[][] {
	const out: (Cell | null | undefined)[][] = grid.rows.map(() => new Array(grid.width).fill(undefined));
	grid.rows.forEach((row, r) => {
		let c = 0;
		for (const cell of row) {
			while (out[r][c] !== undefined) c++;
			for (let dr = 0; dr < cell.rowspan; dr++) {
				for (let dc = 0; dc < cell.colspan; dc++) {
					if (out[r + dr]) out[r + dr][c + dc] = dr === 0 && dc === 0 ? cell : null;
				}
			}
			c += cell.colspan;
		}
	});
	return out.map((row) => row.slice(0, grid.width).map((cell) => cell ?? null));
}

// ---------------------------------------------------------------- table 二

export function activeValueKind(field: string): ValueKind {
	if (field === 'change') return 'signed_items';
	if (field === 'previous_items' || field === 'projects') return 'items';
	if (field === 'amount_10k_yuan' || field === 'amount_yuan') return field;
	return 'count';
}

/** Table 二 laid out as the template's descriptor says (template/y2019.ts, y2021.ts). */
export function activeGrid(record: CompleteRecord): TableGrid | null {
	const { active, template } = record;
	if (!active) return null;
	const { width, blocks, rowText, headerText } = templateOf(template).active;
	const rows: Cell[][] = [];
	for (const block of blocks) {
		const present = block.rows.filter((row) => active[row]);
		if (present.length === 0) continue;
		const fields = activeFields(template, present[0]) ?? [];
		rows.push([text('title', `第二十条第${block.item}项`, width)]);
		rows.push([text('header', '信息内容'), ...fields.map((field, i) => text('header', headerText[field] ?? ACTIVE_FIELD_LABELS[field], block.headerSpans[i]))]);
		for (const row of present) {
			const values = active[row] ?? {};
			rows.push([
				text('label', rowText[row] ?? ACTIVE_ROW_LABELS[row]),
				...fields.map((field, i) => number(values[field] ?? 0, activeValueKind(field), block.valueSpans[i]))
			]);
		}
	}
	return rows.length > 0 ? { table: '二', width, rows } : null;
}

// ---------------------------------------------------------------- table 三

const BALANCE_NOTE = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';
const APPLICANTS_HEADER = '申请人情况';
const ORGANIZATIONS_HEADER = '法人或其他组织';
const OUTCOMES_HEADER = '三、本年度办理结果';

/** The template's full wording where the schema's label is shortened. */
const REQUEST_ROW_TEXT: Partial<Record<RequestRow, string>> = {
	partially_granted: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
	other_no_correction: '（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
	other_no_fee: '（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请'
};

export interface RequestRowText {
	/** 一、二、四、 rows span all three label columns. */
	topLevel: boolean;
	/** （三）… （六）: the vertical cell shared by a row's numbered sub-rows. */
	group?: string;
	label: string;
}

export function requestRowText(row: RequestRow): RequestRowText {
	const full = REQUEST_ROW_TEXT[row] ?? REQUEST_ROW_LABELS[row];
	const topLevel = /^[一二三四五六七八九十]、/.test(full);
	const space = full.indexOf(' ');
	return space < 0 ? { topLevel, label: full } : { topLevel, group: full.slice(0, space), label: full.slice(space + 1) };
}

function requestsHeader(): Cell[][] {
	const [first, ...rest] = APPLICANT_COLUMNS;
	const organizations = rest.slice(0, -1);
	const last = rest[rest.length - 1];
	return [
		[text('header', BALANCE_NOTE, 3, 3), text('header', APPLICANTS_HEADER, APPLICANT_COLUMNS.length)],
		[text('header', APPLICANT_LABELS[first], 1, 2), text('header', ORGANIZATIONS_HEADER, organizations.length), text('header', APPLICANT_LABELS[last], 1, 2)],
		organizations.map((column) => text('header', APPLICANT_LABELS[column]))
	];
}

/** Length of the run of rows starting at `start` that share its group cell. */
function groupRun(texts: readonly RequestRowText[], start: number): number {
	let end = start;
	while (end < texts.length && texts[end].group !== undefined && texts[end].group === texts[start].group) end++;
	return end - start;
}

export function requestsGrid(record: CompleteRecord): TableGrid | null {
	const present = REQUEST_ROWS.filter((row) => record.requests[row]);
	if (present.length === 0) return null;
	const texts = present.map(requestRowText);
	const outcomeCount = texts.filter((t) => !t.topLevel).length;
	const rows = requestsHeader();
	let outcomesOpened = false;
	texts.forEach((rowText, i) => {
		const cells = record.requests[present[i]];
		if (!cells) return;
		const values = APPLICANT_COLUMNS.map((column) => number(cells[column], 'count'));
		if (rowText.topLevel) {
			rows.push([text('label', rowText.label, 3), ...values]);
			return;
		}
		const labels: Cell[] = [];
		if (!outcomesOpened) {
			labels.push(text('label', OUTCOMES_HEADER, 1, outcomeCount));
			outcomesOpened = true;
		}
		if (rowText.group === undefined) {
			labels.push(text('label', rowText.label, 2));
		} else {
			if (i === 0 || texts[i - 1].group !== rowText.group) labels.push(text('label', rowText.group, 1, groupRun(texts, i)));
			labels.push(text('label', rowText.label));
		}
		rows.push([...labels, ...values]);
	});
	return { table: '三', width: 3 + APPLICANT_COLUMNS.length, rows };
}

// ---------------------------------------------------------------- table 四

/** "行政诉讼（未经复议直接起诉）" → parent 行政诉讼, sub-header 未经复议直接起诉. */
function caseGroupHeading(label: string): { parent: string; sub?: string } {
	const match = /^(.+?)（(.+)）$/.exec(label);
	return match ? { parent: match[1], sub: match[2] } : { parent: label };
}

export function casesGrid(record: CompleteRecord): TableGrid | null {
	const groups = CASE_GROUPS.map((group) => ({ group, cells: record[group], ...caseGroupHeading(CASE_GROUP_LABELS[group]) }));
	const missing = groups.filter((g) => !g.cells).length;
	if (missing === groups.length) return null;
	if (missing > 0) throw new Error('table 四 can only be rendered with all three groups present');
	const fieldCount = CASE_FIELDS.length;

	const top: Cell[] = [];
	const middle: Cell[] = [];
	const bottom: Cell[] = [];
	groups.forEach((g, i) => {
		if (g.sub === undefined) {
			top.push(text('header', g.parent, fieldCount));
			middle.push(...CASE_FIELDS.map((field) => text('header', CASE_FIELD_LABELS[field], 1, 2)));
			return;
		}
		if (i === 0 || groups[i - 1].parent !== g.parent) {
			const siblings = groups.filter((other) => other.parent === g.parent).length;
			top.push(text('header', g.parent, fieldCount * siblings));
		}
		middle.push(text('header', g.sub, fieldCount));
		bottom.push(...CASE_FIELDS.map((field) => text('header', CASE_FIELD_LABELS[field])));
	});
	const values = groups.flatMap(({ cells }) => (cells ? CASE_FIELDS.map((field) => number(cells[field], 'count')) : []));
	return { table: '四', width: fieldCount * groups.length, rows: [top, middle, bottom, values] };
}

export function reportGrids(record: CompleteRecord): { active: TableGrid | null; requests: TableGrid | null; cases: TableGrid | null } {
	return { active: activeGrid(record), requests: requestsGrid(record), cases: casesGrid(record) };
}
