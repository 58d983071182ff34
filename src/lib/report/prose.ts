import type { ReportIssue, ReportRecord } from './schema';

/**
 * Prose against tables: the 总体情况 text often states the counts the tables
 * hold (共收到…申请 N 件, 办结 N 件, 予以公开 N 件, 行政复议 N 起). Where the
 * text and the table both give a number and they differ, an issue names the
 * sentence and the cell. Never changes a number.
 */

export const PROSE_CODE = 'prose_table';

interface Claim {
	what: string;
	pattern: RegExp;
	table: '三' | '四';
	row: string;
	/** The table's values the sentence may mean (a received count may include the carried-over ones). */
	values: (r: ReportRecord) => number[];
}

/** A cell the table gives as a number (none where the report lacks the row or printed no readable number). */
function known(v: number | null | undefined): number[] {
	return v === undefined || v === null ? [] : [v];
}

const CLAIMS: readonly Claim[] = [
	{
		what: '收到申请',
		pattern: /(?:收到|受理|接收)[^。；，\d]{0,24}?申请[^。；\d]{0,6}?(\d+)件/,
		table: '三',
		row: 'new_received',
		values: (r) => {
			const n = r.requests.new_received?.total;
			const c = r.requests.carried_over?.total ?? 0;
			return n === undefined || n === null ? [] : [n, n + c];
		}
	},
	{ what: '办结', pattern: /办结[^。；，\d]{0,10}?(\d+)件/, table: '三', row: 'total_processed', values: (r) => known(r.requests.total_processed?.total) },
	// 予以公开 alone, not 予以公开及部分公开 (a sum of two rows).
	{ what: '予以公开', pattern: /(?<!及)予以公开(\d+)件/, table: '三', row: 'granted', values: (r) => known(r.requests.granted?.total) },
	{ what: '行政复议', pattern: /行政复议(?:案件)?(?:共)?(\d+)(?:起|件)/, table: '四', row: 'review', values: (r) => known(r.review?.total) }
];

/** The sentence around a match, at most 80 characters. */
function sentence(text: string, index: number): string {
	const start = Math.max(...['。', '；'].map((p) => text.lastIndexOf(p, index - 1) + 1), index - 40);
	const ends = ['。', '；'].map((p) => text.indexOf(p, index)).filter((i) => i >= 0);
	const end = ends.length ? Math.min(...ends) + 1 : index + 40;
	const s = text.slice(start, Math.min(end, start + 80));
	return s.length >= 80 ? `${s}…` : s;
}

/** Issues where the prose states a count its table gives differently (each claim's first statement). */
export function proseIssues(lines: readonly string[], record: ReportRecord): ReportIssue[] {
	const text = lines.join('').replace(/\s+/g, '');
	const out: ReportIssue[] = [];
	for (const c of CLAIMS) {
		const m = c.pattern.exec(text);
		const values = c.values(record);
		if (!m || !values.length) continue;
		const stated = Number(m[1]);
		if (values.includes(stated)) continue;
		out.push({
			code: PROSE_CODE,
			severity: 'warning',
			message: `正文与表格不一致：正文“${sentence(text, m.index)}”称${c.what} ${stated}，表${c.table}对应单元格为 ${values[0]}`,
			where: { table: c.table, row: c.row, column: 'total' },
			expected: values[0],
			actual: stated
		});
	}
	return out;
}
