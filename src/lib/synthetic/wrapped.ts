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
/**
 * How often a run of 1 to 4 rows of table 三 is printed with each label a
 * line off its numbers (an extractor centring tall label cells): each label
 * beside the previous or the next row's numbers, so one end of the run is a
 * line of numbers alone and the other a label alone, which reads like a row
 * printed blank. Drawn from a stream of the record's own.
 */
const SLIDE = 0.3;
const SLIDE_MAX = 4;
const SLIDE_STREAM = 12;
/**
 * How often a sliding run whose last row is a row of zeros prints that row
 * blank: its numbers vanish, so a run slid down ends in two labels alone and
 * one slid up has no line of numbers alone at all (only its first label alone,
 * like a row printed blank).
 */
const SLIDE_BLANK_LAST = 0.5;

export interface WrappedFaults {
	/**
	 * The mirror of a run whose last row is printed blank: a sliding run whose
	 * first row is a row of zeros prints that row blank, half the time. A run
	 * with each label a line below its numbers then shows no line of numbers
	 * alone, only its last label alone, just as a row printed blank does (the
	 * rows above it read with their neighbours' numbers); one slid the other
	 * way starts with two labels alone. Asked for by name: without it every
	 * seed prints as before.
	 */
	mirrorBlank?: boolean;
}

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

function requestLines(record: CompleteRecord, rng: Rng, faults: WrappedFaults): string[] {
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
	const keys = REQUEST_ROWS.filter((k) => record.requests[k]);
	const slides = recordRng(record, SLIDE_STREAM);
	const slideFrom = slides.chance(SLIDE) ? slides.int(0, keys.length - 1) : keys.length;
	const slideTo = Math.min(keys.length - 1, slideFrom + slides.int(1, SLIDE_MAX) - 1);
	/** Each label a line below its own numbers (else above them). */
	const slideDown = slides.chance(0.5);
	const blankLast = slides.chance(SLIDE_BLANK_LAST);
	// Drawn last, and only when asked for: the other draws stay as they were.
	const blankFirst = faults.mirrorBlank === true && slides.chance(SLIDE_BLANK_LAST);
	/** A label's lines with no numbers beside it. */
	const bare = (label: string) =>
		wrappedRow(label, '', rng)
			.map((l) => l.trim())
			.filter(Boolean);
	/** The sliding run's rows: the lines before each label (group headings), its label and its numbers. */
	let sliding: { before: string[]; label: string; numbers: string; zeros: boolean }[] = [];
	for (const [at, row] of keys.entries()) {
		const cells = record.requests[row]!;
		const variant = REQUEST_ROW_VARIANTS[row];
		const before: string[] = [];
		if (row === 'granted') before.push(OUTCOMES_GROUP_TEXT);
		if (variant.group !== group) {
			group = variant.group;
			n = 0;
			if (group) before.push(group);
		}
		n++;
		const label = rng.pick(variant.words).replace('{n}', `${n}${style}`);
		const numbers = APPLICANT_COLUMNS.map((c) => String(cells[c])).join(' ');
		if (at >= slideFrom && at <= slideTo) {
			sliding.push({ before, label, numbers, zeros: cells.total === 0 });
			if (at === slideTo) {
				const last = sliding.length - 1;
				// The run's last (or first) row of zeros printed blank: its numbers are not there to slide.
				if (blankLast && sliding[last].zeros) sliding[last].numbers = '';
				if (blankFirst && last > 0 && sliding[0].zeros) sliding[0].numbers = '';
				/** A label beside numbers, or alone where they were printed blank. */
				const beside = (label: string, numbers: string) => (numbers ? wrappedRow(label, numbers, rng) : bare(label));
				if (slideDown) {
					if (sliding[0].numbers) lines.push(sliding[0].numbers);
					for (let k = 1; k <= last; k++) lines.push(...sliding[k - 1].before, ...beside(sliding[k - 1].label, sliding[k].numbers));
					lines.push(...sliding[last].before, ...bare(sliding[last].label));
				} else {
					lines.push(...sliding[0].before, ...bare(sliding[0].label));
					for (let k = 1; k <= last; k++) lines.push(...sliding[k].before, ...beside(sliding[k].label, sliding[k - 1].numbers));
					if (sliding[last].numbers) lines.push(sliding[last].numbers);
				}
				sliding = [];
			}
		} else {
			lines.push(...before);
			const blank = cells.total === 0 && blanks.chance(BLANK_ZERO_ROW);
			lines.push(...(blank ? bare(label) : wrappedRow(label, numbers, rng)));
		}
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
export function renderWrapped(record: CompleteRecord, rng: Rng, faults: WrappedFaults = {}): string {
	const outline = reportOutline(record, rng, resolveNoise(0));
	const tables = [activeLines(record, rng), requestLines(record, rng, faults), caseLines(record, rng)];
	let t = 0;
	const body = outline.blocks.flatMap((b) => (b.kind === 'table' ? tables[t++] : [b.text]));
	return [outline.title, outline.dateLine, outline.notice, ...body, ''].join('\n');
}
