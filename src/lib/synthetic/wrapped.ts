/**
 * A report as text taken from a PDF's text layer: cells separated by spaces,
 * table 三's long row labels wrapped over two or three lines with the numbers
 * on any one of them (or on a line of their own between the pieces), tables
 * broken across pages by a page footer, and table 四 sometimes printed as
 * three small tables. Labels come from labels.ts, the generator's own
 * vocabulary.
 */
import { ACTIVE_LAYOUT, APPLICANT_COLUMNS, CASE_FIELDS, CASE_GROUPS, REQUEST_ROWS, type CompleteRecord } from '../report/schema';
import { ACTIVE_BLOCK_HEADERS, ACTIVE_ROW_VARIANTS, CASE_TABLE_TITLES, NUMBER_STYLES, OUTCOMES_GROUP_TEXT, REQUEST_ROW_VARIANTS } from './labels';
import { resolveNoise } from './noise';
import { reportOutline } from './outline';
import { recordRng, type Rng } from './random';

const CASE_HEADER = '结果维持 结果纠正 其他结果 尚未审结 总计';

/**
 * How often a row of zeros prints its cells empty, as many real reports do:
 * in a text layer only its label is left, a line (or lines) without numbers.
 * Drawn from a stream of the record's own, so the document's other choices
 * stay as they were.
 */
const BLANK_ZERO_ROW = 0.3;
const BLANK_STREAM = 11;

/** Pieces of a label wrapped at `width` characters, at most three. */
function wrap(label: string, width: number): string[] {
	const pieces: string[] = [];
	for (let at = 0; at < label.length; at += width) pieces.push(label.slice(at, at + width));
	if (pieces.length <= 3) return pieces;
	return [pieces[0], pieces[1], pieces.slice(2).join('')];
}

/** A label's lines with the numbers on one of them, or on a line of their own between two pieces. */
function wrappedRow(label: string, numbers: string, rng: Rng): string[] {
	const pieces = label.length > 10 && rng.chance(0.6) ? wrap(label, rng.int(6, Math.max(6, Math.ceil(label.length / 2)))) : [label];
	const at = rng.int(0, pieces.length - 1);
	if (pieces.length > 1 && at > 0 && rng.chance(0.3)) return [...pieces.slice(0, at), numbers, ...pieces.slice(at)];
	return pieces.map((p, i) => (i === at ? `${p} ${numbers}` : p));
}

/** Table 二 as loose lines, one per row (shared with displaced.ts). */
export function activeLines(record: CompleteRecord, rng: Rng): string[] {
	if (!record.active) return [];
	const layout: Record<string, readonly string[]> = ACTIVE_LAYOUT[record.template];
	const lines: string[] = [];
	for (const block of ACTIVE_BLOCK_HEADERS[record.template]) {
		lines.push(block.item, `信息内容 ${block.fields}`);
		for (const row of block.rows) {
			const cells = record.active[row];
			if (cells) lines.push(`${rng.pick(ACTIVE_ROW_VARIANTS[record.template][row] ?? [row])} ${layout[row].map((f) => String(cells[f])).join(' ')}`);
		}
	}
	return lines;
}

function requestLines(record: CompleteRecord, rng: Rng): string[] {
	const style = rng.pick(NUMBER_STYLES);
	const lines = [
		'（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）',
		'申请人情况',
		'自然人 法人或其他组织 总计',
		'商业企业 科研机构 社会公益组织 法律服务机构 其他'
	];
	const pageBreak = rng.int(4, 20);
	let group: string | undefined;
	let n = 0;
	let printed = 0;
	const blanks = recordRng(record, BLANK_STREAM);
	for (const row of REQUEST_ROWS) {
		const cells = record.requests[row];
		if (!cells) continue;
		const variant = REQUEST_ROW_VARIANTS[row];
		if (row === 'granted') lines.push(OUTCOMES_GROUP_TEXT);
		if (variant.group !== group) {
			group = variant.group;
			n = 0;
			if (group) lines.push(group);
		}
		n++;
		const label = rng.pick(variant.words).replace('{n}', `${n}${style}`);
		const blank = cells.total === 0 && blanks.chance(BLANK_ZERO_ROW);
		if (blank)
			lines.push(
				...wrappedRow(label, '', rng)
					.map((l) => l.trim())
					.filter(Boolean)
			);
		else lines.push(...wrappedRow(label, APPLICANT_COLUMNS.map((c) => String(cells[c])).join(' '), rng));
		// A table broken across pages: the page footer between two rows.
		if (++printed === pageBreak) lines.push(`- ${rng.int(2, 9)} -`);
	}
	return lines;
}

function caseLines(record: CompleteRecord, rng: Rng): string[] {
	const values = (g: (typeof CASE_GROUPS)[number]) => CASE_FIELDS.map((f) => String(record[g]?.[f] ?? 0)).join(' ');
	if (rng.chance(0.5)) return CASE_GROUPS.flatMap((g) => [rng.pick(CASE_TABLE_TITLES[g]), CASE_HEADER, values(g)]);
	return ['行政复议 行政诉讼', `${CASE_HEADER} 未经复议直接起诉 复议后起诉`, `${CASE_HEADER} ${CASE_HEADER}`, CASE_GROUPS.map(values).join(' ')];
}

/** The report as text from a PDF's text layer, with wrapped labels. */
export function renderWrapped(record: CompleteRecord, rng: Rng): string {
	const outline = reportOutline(record, rng, resolveNoise(0));
	const tables = [activeLines(record, rng), requestLines(record, rng), caseLines(record, rng)];
	let t = 0;
	const body = outline.blocks.flatMap((b) => (b.kind === 'table' ? tables[t++] : [b.text]));
	return [outline.title, outline.dateLine, outline.notice, ...body, ''].join('\n');
}
