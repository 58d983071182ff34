/**
 * A report as markdown from a PDF table extractor that pulls cells out of
 * their rows: in table 三 some rows keep their label cell, others come out as a
 * pipe row of numbers alone while their words, broken mid-word, land as loose
 * lines just before or after it (or one row further on); a run of rows may
 * print each label a line off its numbers, one end a label over empty cells
 * (or loose words) and the other numbers alone; a row's cells may
 * be merged, run together or pushed by an empty cell; each run of pipe
 * rows may restart as a small table of its own with a `|---|` line; group
 * labels float as loose lines or sit in a first cell; a row may start with an
 * empty cell; the table breaks across a page with a footer and its header
 * repeated. Table 二 comes out as loose lines, table 四 as one pipe row or as
 * three small tables. Labels come from labels.ts, the generator's own
 * vocabulary. Two further faults are asked for by name (DisplacedFaults), so
 * the documents of every seed without them stay as they were.
 */
import { APPLICANT_COLUMNS, CASE_FIELDS, CASE_GROUPS, REQUEST_ROWS, type CompleteRecord } from '../report/schema';
import { CASE_TABLE_TITLES, NUMBER_STYLES, OUTCOMES_GROUP_TEXT, REQUEST_ROW_VARIANTS } from './labels';
import { resolveNoise } from './noise';
import { reportOutline } from './outline';
import type { Rng } from './random';
import { activeLines } from './wrapped';

/** How often a row of table 三 loses its label, and how often such a row's words land after it (else before it). */
const ORPHAN = 0.35;
const WORDS_AFTER = 0.6;
/**
 * How often a run of 1 to 4 rows is printed with each label one line off its
 * numbers (an extractor centring tall label cells): the label beside the
 * previous or the next row's numbers, so one end of the run is numbers alone
 * and the other a label whose own cells are empty (a pipe row of empty cells,
 * or loose words). A run of one is a label row with empty cells and its
 * numbers on the next row.
 */
const SLIDE = 0.5;
const SLIDE_MAX = 4;
const EMPTY_CELLS = APPLICANT_COLUMNS.map(() => '');

/** Faults beyond the default ones, each off unless asked for. */
export interface DisplacedFaults {
	/**
	 * A row beside the sliding run (just before or just after it) loses its
	 * label: its words stay in its place as loose lines, its numbers are
	 * printed after the next labelled row (a row out of order in the same
	 * stretch as a slide). The row after it keeps its label.
	 */
	lateRow?: boolean;
	/** Rows of zeros printed with their label and empty cells (an extractor drops zeros), half of them. */
	blankRows?: boolean;
}
/** How often a row of zeros outside the sliding run prints as blanks, where blankRows is asked for. */
const BLANK = 0.5;

/**
 * A row's value cells as the extractor draws them: two counts in one cell
 * ("3 0"), an empty cell pushed in, or two cells run together ("30").
 */
function drawnCells(values: readonly string[], rng: Rng): string[] {
	const cells = values.slice();
	const at = rng.int(0, cells.length - 2);
	const roll = rng.next();
	if (roll < 0.1) cells.splice(at, 2, `${cells[at]} ${cells[at + 1]}`);
	else if (roll < 0.16) cells.splice(rng.int(1, cells.length - 1), 0, '');
	else if (roll < 0.21) cells.splice(at, 2, cells[at] + cells[at + 1]);
	return cells;
}

const pipe = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
const rule = (n: number): string => pipe(new Array<string>(n).fill('---'));

const APPLICANTS_HEADER = ['自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'];

/** Words broken as an extractor breaks a narrow cell: pieces of 2 to 8 characters. */
function pieces(words: string, rng: Rng): string[] {
	const width = rng.int(2, 8);
	const out: string[] = [];
	for (let at = 0; at < words.length; at += width) out.push(words.slice(at, at + width));
	return out;
}

function requestLines(record: CompleteRecord, rng: Rng, faults: DisplacedFaults): string[] {
	const style = rng.pick(NUMBER_STYLES);
	const lines = ['（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', '申请人情况', pipe(APPLICANTS_HEADER), rule(APPLICANTS_HEADER.length)];
	const pageBreak = rng.int(4, 20);
	/** A pipe row after loose lines starts a small table of its own: an extractor gives it a `|---|` line. */
	let inTable = true;
	/** Numbers of a row printed out of order: they follow the next labelled row. */
	let lateValues: string[] | undefined;
	const flushLate = () => {
		if (!lateValues) return;
		lines.push(pipe(lateValues));
		lateValues = undefined;
	};
	const row = (cells: readonly string[]) => {
		lines.push(pipe(cells));
		if (!inTable && rng.chance(0.5)) lines.push(rule(cells.length));
		inTable = true;
		if (cells.some((c) => c !== '' && !/^[\d\s]+$/.test(c))) flushLate();
	};
	const loose = (text: readonly string[]) => {
		if (text.length === 0) return;
		lines.push('', ...text, '');
		inTable = false;
	};
	/** Words of a row without its label that land one row further on. */
	let late: string[] = [];
	let group: string | undefined;
	let n = 0;
	let printed = 0;
	const keys = REQUEST_ROWS.filter((k) => record.requests[k]);
	const slideFrom = rng.chance(SLIDE) ? rng.int(0, keys.length - 1) : keys.length;
	const slideTo = Math.min(keys.length - 1, slideFrom + rng.int(1, SLIDE_MAX) - 1);
	/** Each label below its own numbers (else above them). */
	const slideDown = rng.chance(0.5);
	// The row printed out of order sits just before or just after the sliding run (none without a slide).
	const lateAt = faults.lateRow && slideFrom < keys.length ? (rng.chance(0.5) ? slideFrom - 1 : slideTo + 1) : -1;
	/** The sliding run's rows, printed once its last row is drawn. */
	let sliding: { labels: string[]; values: string[] }[] = [];
	const slide = () => {
		const last = sliding.length - 1;
		// The end whose label has no numbers of its own: a pipe row of empty cells, or its words as loose lines.
		const bare = (labels: readonly string[]) => {
			if (rng.chance(0.6)) row([...labels, ...EMPTY_CELLS]);
			else loose(labels.flatMap((l) => pieces(l, rng)));
		};
		const alone = (values: readonly string[]) => row([...(rng.chance(0.3) ? [''] : []), ...values]);
		if (slideDown) {
			alone(sliding[0].values);
			for (let k = 1; k <= last; k++) row([...sliding[k - 1].labels, ...sliding[k].values]);
			bare(sliding[last].labels);
		} else {
			bare(sliding[0].labels);
			for (let k = 1; k <= last; k++) row([...sliding[k].labels, ...sliding[k - 1].values]);
			alone(sliding[last].values);
		}
		sliding = [];
		loose(late);
		late = [];
	};
	for (const [at, key] of keys.entries()) {
		const cells = record.requests[key]!;
		const variant = REQUEST_ROW_VARIANTS[key];
		const values = drawnCells(
			APPLICANT_COLUMNS.map((c) => String(cells[c])),
			rng
		);
		let prefix: string[] = [];
		if (key === 'granted') {
			if (rng.chance(0.5)) loose([OUTCOMES_GROUP_TEXT]);
			else prefix = [OUTCOMES_GROUP_TEXT];
		}
		if (variant.group !== group) {
			group = variant.group;
			n = 0;
			if (group) {
				if (rng.chance(0.5)) loose(pieces(group, rng));
				else prefix = [group];
			}
		}
		n++;
		const label = rng.pick(variant.words).replace('{n}', `${n}${style}`);
		if (at >= slideFrom && at <= slideTo) {
			sliding.push({ labels: [...prefix, label], values });
			if (at === slideTo) slide();
		} else if (at === lateAt) {
			loose([...prefix, label].flatMap((p) => pieces(p, rng)));
			lateValues = values;
		} else if (faults.blankRows && APPLICANT_COLUMNS.every((c) => cells[c] === 0) && rng.chance(BLANK)) {
			row([...prefix, label, ...EMPTY_CELLS]);
			loose(late);
			late = [];
		} else if ((lateAt < 0 || at !== lateAt + 1) && rng.chance(ORPHAN)) {
			// The group's words float too when the row that carried them loses its label.
			loose(prefix.flatMap((p) => pieces(p, rng)));
			const words = pieces(label, rng);
			const lead = rng.chance(0.15) ? [''] : [];
			if (rng.chance(WORDS_AFTER)) {
				row([...lead, ...values]);
				if (rng.chance(0.3)) late = words;
				else loose(words);
			} else {
				loose(words);
				row([...lead, ...values]);
			}
		} else {
			row([...(rng.chance(0.3) ? [''] : []), ...prefix, label, ...values]);
			loose(late);
			late = [];
		}
		// The table broken across pages: the footer, then the header again as a new small table.
		if (++printed === pageBreak) {
			loose([`- ${rng.int(2, 9)} -`]);
			if (rng.chance(0.6)) lines.push(pipe(APPLICANTS_HEADER), rule(APPLICANTS_HEADER.length));
		}
	}
	loose(late);
	flushLate();
	return lines;
}

function caseLines(record: CompleteRecord, rng: Rng): string[] {
	const values = (g: (typeof CASE_GROUPS)[number]) => CASE_FIELDS.map((f) => String(record[g]?.[f] ?? 0));
	const header = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
	if (rng.chance(0.5)) return CASE_GROUPS.flatMap((g) => ['', rng.pick(CASE_TABLE_TITLES[g]), pipe(header), rule(header.length), pipe(values(g))]);
	const all = CASE_GROUPS.flatMap(values);
	return ['行政复议 行政诉讼', '未经复议直接起诉 复议后起诉', pipe([...header, ...header, ...header]), rule(all.length), pipe(all)];
}

/** The report as displaced markdown from a PDF table extractor. */
export function renderDisplaced(record: CompleteRecord, rng: Rng, faults: DisplacedFaults = {}): string {
	const outline = reportOutline(record, rng, resolveNoise(0));
	const tables = [activeLines(record, rng), requestLines(record, rng, faults), caseLines(record, rng)];
	let t = 0;
	const body = outline.blocks.flatMap((b) => (b.kind === 'table' ? ['', ...tables[t++], ''] : b.kind === 'heading' ? [`## ${b.text}`] : [b.text]));
	return [`# ${outline.title}`, outline.dateLine, outline.notice, ...body, ''].join('\n');
}
