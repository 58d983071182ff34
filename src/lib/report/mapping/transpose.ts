import { cell, type Cell, type Table } from '../document';
import { labelKey } from '../normalize';
import type { ReportIssue } from '../schema';
import { REQUEST_ROW_PATTERNS } from '../template/labels';

/**
 * Table 三 printed transposed: a row per applicant type (自然人, 商业企业 …
 * 总计), a column per template row (本年新收 … 结转下年度), the row labels
 * across its header. An HTML or Word table says where each cell stands
 * (its spans), so it is turned back to the template's orientation, cell by
 * cell, and read like any table 三. Text keeps no spans: its columns cannot
 * be matched to the header's labels surely, so such a table is refused with
 * an issue, never read as printed (its rows would be misread, or missed).
 */

/** Template rows a header must name, each in a cell of its own, to be table 三 across. */
const MIN_ROWS_ACROSS = 6;
const APPLICANT = /^(自然人|法人(或|和|及)?其他组织|商业企业|科研机构|社会公益组织|法律服务机构|其他|总计|合计|小计)$/;
/** The header rows to look at: table 三's header takes two (a group's label over its sub-rows). */
const HEADER_ROWS = 3;

/** Each cell text's template row, or null: the same header and prose words come back in every row and every report. */
const rowOfText = new Map<string, string | null>();
/** Enough for a batch's distinct cell texts; cleared, not grown, past it. */
const ROW_OF_TEXT_MAX = 20_000;

function rowOf(text: string): string | null {
	let key = rowOfText.get(text);
	if (key !== undefined) return key;
	const label = labelKey(text);
	key = label.length < 2 || label.length > 64 ? null : (REQUEST_ROW_PATTERNS.find(([, re]) => re.test(label))?.[0] ?? null);
	if (rowOfText.size >= ROW_OF_TEXT_MAX) rowOfText.clear();
	rowOfText.set(text, key);
	return key;
}

/** The distinct template rows named by a row's cells, one per cell. */
function rowsNamed(row: readonly Cell[]): number {
	const named = new Set<string>();
	for (const c of row) {
		const key = rowOf(c.text);
		if (key) named.add(key);
	}
	return named.size;
}

const CJK = /[\u4e00-\u9fff]/;

/** A row naming table 三's rows across, each in a cell of its own: a standard table 三 has one row label per row, never six. */
function isAcross(row: readonly Cell[]): boolean {
	if (row.length < MIN_ROWS_ACROSS) return false;
	// Every row of a document is asked: most have too few cells with words to look further.
	let words = 0;
	for (const c of row) if (CJK.test(c.text)) words++;
	return words >= MIN_ROWS_ACROSS && rowsNamed(row) >= MIN_ROWS_ACROSS;
}

/** Each grid position's cell (its top-left) or the cell covering it; undefined where the spans leave a hole or overlap. */
function gridOf(table: Table): { origin: Cell; top: boolean }[][] | undefined {
	const grid: { origin: Cell; top: boolean }[][] = table.rows.map(() => []);
	for (let r = 0; r < table.rows.length; r++) {
		let c = 0;
		for (const origin of table.rows[r]) {
			while (grid[r][c]) c++;
			for (let dr = 0; dr < origin.rowspan; dr++)
				for (let dc = 0; dc < origin.colspan; dc++) {
					// A span past the table's last row, or over another cell: the spans do not say where cells stand.
					if (r + dr >= grid.length || grid[r + dr][c + dc]) return undefined;
					grid[r + dr][c + dc] = { origin, top: dr === 0 && dc === 0 };
				}
			c += origin.colspan;
		}
	}
	const width = grid[0]?.length ?? 0;
	if (grid.some((row) => row.length !== width || row.some((p) => !p))) return undefined;
	return grid;
}

/** The table turned: column c of the grid is row c, each cell where its top-left stood, its spans swapped. */
function turned(grid: readonly { origin: Cell; top: boolean }[][]): Table {
	const rows: Cell[][] = [];
	for (let c = 0; c < grid[0].length; c++) {
		const row: Cell[] = [];
		for (let r = 0; r < grid.length; r++) {
			const { origin, top } = grid[r][c];
			if (top) row.push(origin.skipped ? { ...cell('', origin.colspan, origin.rowspan), skipped: true } : cell(origin.text, origin.colspan, origin.rowspan));
		}
		rows.push(row);
	}
	return { rows, exactCells: true };
}

/** A row of one applicant type: one or two label cells (法人或其他组织 | 商业企业), the last naming it, then numbers. */
function isApplicantRow(row: readonly Cell[]): boolean {
	const labels = row.filter((c) => /\S/.test(c.text) && !/^[\s\d,.，]*$/.test(c.text));
	return labels.length >= 1 && labels.length <= 2 && APPLICANT.test(labelKey(labels[labels.length - 1].text));
}

/** The rows of applicant types a transposed table 三 may have below its header (seven, a 小计 and a few header rows). */
const MAX_BODY = 12;

/**
 * The document's tables with any transposed table 三 turned to the
 * template's orientation (an info issue says so), or, where that cannot be
 * done surely, its rows left out with an error naming why.
 */
export function orientTables(tables: readonly Table[]): { tables: Table[]; issues: ReportIssue[] } {
	const out: Table[] = [];
	const issues: ReportIssue[] = [];
	for (const table of tables) {
		const header = table.rows.findIndex(isAcross);
		if (header < 0) {
			out.push(table);
			continue;
		}
		// The header's rows: the labels' row, and the sub-rows' below it where a group spans them.
		const body = Math.max(...table.rows[header].map((c) => c.rowspan)) + header;
		// Turned only when the table is this table 三 alone, every cell placed by its spans, every row below the header one applicant type's.
		const exact = table.exactCells && !table.pipes && header < HEADER_ROWS;
		const rest = table.rows.slice(body);
		const grid = exact && rest.length >= 5 && rest.every(isApplicantRow) ? gridOf(table) : undefined;
		if (grid) {
			out.push(turned(grid));
			issues.push({
				code: 'table_transposed',
				severity: 'info',
				message: '表三行列互换印制（申请人类型在行、办理情况在列）：已按表头的方向读取',
				where: { table: '三' }
			});
			continue;
		}
		// Left out: the header and the applicant rows after it (the rest of a text document's rows stay).
		let last = body - 1;
		for (let r = body; r < Math.min(table.rows.length, header + MAX_BODY); r++) if (isApplicantRow(table.rows[r])) last = r;
		out.push({ ...table, rows: [...table.rows.slice(0, header), ...table.rows.slice(last + 1)] });
		issues.push({
			code: 'table_transposed',
			severity: 'error',
			message: table.exactCells
				? '表三行列互换印制（申请人类型在行、办理情况在列），但表格的行列对不上表头，无法确定每个数属于哪一行哪一列：表三不读取'
				: '表三行列互换印制（申请人类型在行、办理情况在列），文本中合并单元格的位置已丢失，无法确定每个数属于哪一行哪一列：表三不读取',
			where: { table: '三' }
		});
	}
	return { tables: out, issues };
}
