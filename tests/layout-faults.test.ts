/**
 * Layout faults of table 三 that PDF extractors and text dumps leave (issue 12):
 * page footers inside the table, rows without labels named in messages, labels
 * printed beside a neighbour's numbers. The documents are the project's own
 * fixtures (md-pipes.md, tabs-2021.txt), changed here line by line; the truth
 * is their expected record.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseReport, type ParsedReport } from '../src/lib/report/index';
import { APPLICANT_COLUMNS, type RequestRow } from '../src/lib/report/schema';
import { encodeDocument } from '../src/lib/synthetic/encode';
import { generateReport } from '../src/lib/synthetic/index';
import { comparable } from './corpus';
import { mismatches } from './helpers/mismatches';

const DIR = new URL('./fixtures/', import.meta.url);
const fixture = (name: string) => readFileSync(fileURLToPath(new URL(name, DIR)), 'utf8');
const MD = fixture('md-pipes.md');
const MD_TRUTH = JSON.parse(fixture('md-pipes.expected.json')) as Record<string, unknown>;
const TABS = fixture('tabs-2021.txt');
const TABS_TRUTH = JSON.parse(fixture('tabs-2021.expected.json')) as Record<string, unknown>;

function parse(text: string, name: string): ParsedReport {
	return parseReport(encodeDocument(text, 'utf-8'), name);
}

/** `text` with `insert` lines put before the first line that contains `before`. */
function insertBefore(text: string, before: string, insert: readonly string[]): string {
	const lines = text.split('\n');
	const at = lines.findIndex((l) => l.includes(before));
	if (at < 0) throw new Error(`no line with ${before}`);
	lines.splice(at, 0, ...insert);
	return lines.join('\n');
}

function hows(r: ParsedReport, row: RequestRow): string[] {
	return APPLICANT_COLUMNS.map((c) => r.provenance?.[`requests.${row}.${c}`]?.how ?? '?');
}

/** Issues that would say something about the rows: none of them for a footer. */
const ROW_ISSUES = /^(row_|rule_|reading_|cells_)/;

describe('page footers inside table 三', () => {
	const FOOTERS = ['- 7 -', '— 7 —', '－7－', '· 7 ·', '第 7 页', '第7页 共12页', '第 7 页，共 12 页', '共12页 第7页', '7/12', '7 / 12'];

	it.each(FOOTERS)('“%s” between two rows of a text table is skipped, not a row', (footer) => {
		const r = parse(insertBefore(TABS, '2.其他法律行政法规禁止公开', [footer]), 'tabs.txt');
		expect(comparable(r)).toMatchObject(comparable(TABS_TRUTH));
		expect(r.issues.filter((i) => ROW_ISSUES.test(i.code))).toEqual([]);
	});

	it.each(FOOTERS)('“%s” as a loose line between pipe rows of markdown is skipped', (footer) => {
		const r = parse(insertBefore(MD, '2.其他法律行政法规禁止公开', ['', footer, '']), 'pipes.md');
		expect(comparable(r)).toMatchObject(comparable(MD_TRUTH));
		expect(r.issues.filter((i) => ROW_ISSUES.test(i.code))).toEqual([]);
	});

	it('a footer between the lines of a wrapped label does not keep the label from its numbers', () => {
		// （二）部分公开's label wrapped over two lines, its numbers on the second, the page ending between them.
		const lines = TABS.split('\n');
		const at = lines.findIndex((l) => l.includes('（二）部分公开'));
		const cells = lines[at].split('\t');
		const label = cells.find((c) => c.includes('（二）部分公开'))!;
		const cut = label.indexOf('，');
		lines.splice(at, 1, label.slice(0, cut + 1), '- 7 -', lines[at].replace(label, label.slice(cut + 1)));
		const r = parse(lines.join('\n'), 'tabs.txt');
		expect(comparable(r)).toMatchObject(comparable(TABS_TRUTH));
		expect(hows(r, 'partially_granted')).toEqual(new Array(7).fill('read'));
		expect(r.issues.filter((i) => ROW_ISSUES.test(i.code))).toEqual([]);
	});

	it('a lone count, or numbers that are no page (12 / 7), are still reported, not skipped as a footer', () => {
		for (const stray of ['7', '12 / 7', '- 7']) {
			const r = parse(insertBefore(TABS, '2.其他法律行政法规禁止公开', [stray]), 'tabs.txt');
			expect(comparable(r)).toMatchObject(comparable(TABS_TRUTH));
			expect(r.issues.some((i) => i.code === 'row_unknown')).toBe(true);
		}
	});
});

describe('rows without a label are named by the place they were given', () => {
	it('a rule failing over such a row names it 无标签行 and its place, never 「」', () => {
		// （二）部分公开 loses its label (its words after it) and prints 5 where 4 stands: the outcome rule fails over its cells.
		const line = MD.split('\n').find((l) => l.includes('| （二）部分公开'))!;
		const text = MD.replace(line, ['| 5 | 1 | 0 | 0 | 0 | 0 | 6 |', '', '（二）部分公开（区分处', '理的，只计这一情形，', '不计其他情形）', ''].join('\n'));
		const r = parse(text, 'pipes.md');
		const doubted = r.issues.filter((i) => i.code === 'reading_rule');
		expect(doubted.length).toBeGreaterThan(0);
		for (const i of doubted) {
			expect(i.message).not.toContain('「」');
			expect(i.message).toContain('「（无标签行，置于（二）部分公开一行）」');
		}
		expect(r.provenance?.['requests.partially_granted.natural']?.row).toBe('（无标签行，置于（二）部分公开一行）');
		expect(r.issues.filter((i) => i.code.startsWith('rule_'))).toEqual([]);
	});
});

/** A pipe row's label cells and value cells. */
function split(line: string): { labels: string[]; values: string[] } {
	const cells = line
		.split('|')
		.slice(1, -1)
		.map((c) => c.trim());
	const n = cells.length - APPLICANT_COLUMNS.length;
	return { labels: cells.slice(0, n), values: cells.slice(n) };
}
const pipe = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
const EMPTY = APPLICANT_COLUMNS.map(() => '');

/**
 * md-pipes with the rows whose label cells hold `first` … `last` printed with each label one line off its numbers:
 * `down`, each label beside the next row's numbers (the first numbers alone, the last label over empty cells or as loose
 * words); `up`, beside the previous row's.
 */
function slid(first: string, count: number, dir: 'down' | 'up', end: 'empty' | 'words' = 'empty', text = MD): string {
	const lines = text.split('\n');
	const at = lines.findIndex((l) => l.includes(`| ${first} |`));
	const rows = lines.slice(at, at + count).map(split);
	const bare = (labels: readonly string[]) => (end === 'empty' ? [pipe([...labels, ...EMPTY])] : ['', ...labels.filter(Boolean), '']);
	const alone = (values: readonly string[]) => pipe(['', '', '', ...values]);
	const out =
		dir === 'down'
			? [alone(rows[0].values), ...rows.slice(1).map((r, k) => pipe([...rows[k].labels, ...r.values])), ...bare(rows[count - 1].labels)]
			: [...bare(rows[0].labels), ...rows.slice(1).map((r, k) => pipe([...r.labels, ...rows[k].values])), alone(rows[count - 1].values)];
	lines.splice(at, count, ...out);
	return lines.join('\n');
}

describe('labels printed beside a neighbour’s numbers (markdown from PDF extractors)', () => {
	const SLID: RequestRow[] = ['partially_granted', 'denied_state_secret', 'denied_law_forbidden'];

	it.each(['down', 'up'] as const)(
		'a run slid %s, its bare end a label over empty cells: read back by the row sequence, each moved row inferred and said so',
		(dir) => {
			const r = parse(slid('（二）部分公开（区分处理的，只计这一情形，不计其他情形）', 3, dir, 'empty'), 'slid.md');
			expect(comparable(r)).toMatchObject(comparable(MD_TRUTH));
			for (const row of SLID) expect(hows(r, row)).toEqual(new Array(7).fill('inferred'));
			expect(hows(r, 'granted')).toEqual(new Array(7).fill('read'));
			expect(hows(r, 'denied_security_stability')).toEqual(new Array(7).fill('read'));
			expect(r.issues.filter((i) => /^rule_|reading_ambiguous|row_unknown|row_by_order/.test(i.code))).toEqual([]);
			expect(r.issues.some((i) => i.code === 'reading_inferred' && i.message.includes('行标签印在了相邻一行的数字旁'))).toBe(true);
		}
	);

	it.each(['down', 'up'] as const)(
		'a run slid %s, its bare end loose words: the slide is taken, but a row printed out of order reads the same sums, so the cells they dispute are ambiguous',
		(dir) => {
			const r = parse(slid('（二）部分公开（区分处理的，只计这一情形，不计其他情形）', 3, dir, 'words'), 'slid.md');
			expect(comparable(r)).toMatchObject(comparable(MD_TRUTH));
			// 部分公开 4 | 1 | … | 5 against 国家秘密 0 … and 禁止公开 1 … 1: the columns where they differ are in doubt, with the other values.
			expect(r.provenance?.['requests.partially_granted.natural']).toMatchObject({ how: 'ambiguous' });
			expect(r.provenance?.['requests.partially_granted.total']?.alternatives).toContain(dir === 'down' ? 0 : 1);
			for (const row of SLID) expect(hows(r, row).every((h) => h !== 'read')).toBe(true);
			expect(hows(r, 'granted')).toEqual(new Array(7).fill('read'));
			expect(r.issues.filter((i) => /^rule_|row_unknown|row_by_order/.test(i.code))).toEqual([]);
			expect(r.issues.some((i) => i.code === 'reading_ambiguous' && i.message.includes('行标签可能印在相邻一行的数字旁'))).toBe(true);
		}
	);

	it('a label row with empty cells, its numbers on the next row (a run of one) takes them, not zeros', () => {
		const r = parse(slid('1.本机关不掌握相关政府信息', 1, 'up'), 'slid.md');
		expect(comparable(r)).toMatchObject(comparable(MD_TRUTH));
		expect(hows(r, 'unable_not_held')).toEqual(new Array(7).fill('inferred'));
	});

	it('the run ends the table (四、结转 beside （七）总计’s numbers): its last numbers after 结转 are still table 三', () => {
		const r = parse(slid('（七）总计', 2, 'up'), 'slid.md');
		expect(comparable(r)).toMatchObject(comparable(MD_TRUTH));
		expect(hows(r, 'total_processed')).toEqual(new Array(7).fill('inferred'));
		expect(hows(r, 'carried_forward')).toEqual(new Array(7).fill('inferred'));
		const words = parse(slid('（七）总计', 2, 'up', 'words'), 'slid.md');
		expect(comparable(words)).toMatchObject(comparable(MD_TRUTH));
	});

	it('where two readings keep every rule, the layout’s is taken and the cells they dispute are ambiguous with the alternatives', () => {
		// 3.危及… prints its zeros as empty cells: the run's last numbers could be 2.其他法律… or 3.危及… — the outcome sum holds either way.
		const security = MD.split('\n').find((l) => l.includes('| 3.危及'))!;
		const text = slid(
			'（二）部分公开（区分处理的，只计这一情形，不计其他情形）',
			3,
			'down',
			'empty',
			MD.replace(security, pipe([...split(security).labels, ...EMPTY]))
		);
		const r = parse(text, 'slid.md');
		expect(comparable(r)).toMatchObject(comparable(MD_TRUTH));
		const natural = (row: RequestRow) => r.provenance?.[`requests.${row}.natural`];
		expect(natural('denied_law_forbidden')).toMatchObject({ how: 'ambiguous', alternatives: [0] });
		expect(natural('denied_security_stability')).toMatchObject({ how: 'ambiguous', alternatives: [1] });
		expect(hows(r, 'partially_granted')).toEqual(new Array(7).fill('inferred'));
		expect(r.issues.filter((i) => i.code.startsWith('rule_'))).toEqual([]);
		expect(r.issues.some((i) => i.code === 'reading_ambiguous' && i.where?.row === 'denied_law_forbidden')).toBe(true);
	});

	it('a document whose own arithmetic breaks under the only reading: 解析存疑 over the moved cells, never 报告自身不符', () => {
		// 1.属于国家秘密 prints 1 where the truth is 0, and its label sits on the next row's numbers.
		const line = MD.split('\n').find((l) => l.includes('| 1.属于国家秘密 |'))!;
		const broken = MD.replace(line, pipe([...split(line).labels, '1', '0', '0', '0', '0', '0', '1']));
		const r = parse(slid('（二）部分公开（区分处理的，只计这一情形，不计其他情形）', 3, 'down', 'empty', broken), 'slid.md');
		expect(r.requests.denied_state_secret?.natural).toBe(1);
		expect(r.issues.filter((i) => i.code.startsWith('rule_'))).toEqual([]);
		expect(r.issues.some((i) => i.code === 'reading_rule')).toBe(true);
	});
});

describe('rows printed out of order', () => {
	const lines = () => MD.split('\n');
	const at = (ls: readonly string[], label: string) => ls.findIndex((l) => l.includes(label));
	/** md-pipes with the rows labelled `labels` taken out and printed after 四、结转…, by their numbers alone. */
	function numbersAtEnd(...labels: string[]): string {
		const ls = lines();
		const moved = labels.map((label) => pipe(split(ls.splice(at(ls, label), 1)[0]).values));
		ls.splice(at(ls, '四、结转') + 1, 0, ...moved);
		return ls.join('\n');
	}

	it('a labelled row printed early keeps its label’s place and does not shut a row without a label out of its own', () => {
		const ls = lines();
		const total = ls.splice(at(ls, '| （七）总计'), 1)[0];
		ls.splice(at(ls, '二、上年结转') + 1, 0, total);
		const unable = at(ls, '| 1.本机关不掌握');
		ls[unable] = pipe(split(ls[unable]).values);
		const r = parse(ls.join('\n'), 'order.md');
		expect(comparable(r)).toMatchObject(comparable(MD_TRUTH));
		expect(hows(r, 'total_processed')).toEqual(new Array(7).fill('read'));
		expect(hows(r, 'unable_not_held')).toEqual(new Array(7).fill('inferred'));
		expect(r.issues.filter((i) => /^rule_|row_unknown|reading_ambiguous/.test(i.code))).toEqual([]);
	});

	it('numbers without a label printed after the table’s last row go to the one free row, not dropped', () => {
		const r = parse(numbersAtEnd('| 1.本机关不掌握'), 'order.md');
		expect(comparable(r)).toMatchObject(comparable(MD_TRUTH));
		expect(hows(r, 'unable_not_held')).toEqual(new Array(7).fill('inferred'));
		expect(r.issues.filter((i) => /^rule_|row_unknown|reading_ambiguous/.test(i.code))).toEqual([]);
	});

	it.each([
		['in the template’s order', ['二、上年结转', '| 1.本机关不掌握']],
		['in reverse', ['| 1.本机关不掌握', '二、上年结转']]
	])('two such rows, printed %s: the balance rule tells 上年结转 from an outcome row', (_, labels) => {
		const r = parse(numbersAtEnd(...labels), 'order.md');
		expect(comparable(r)).toMatchObject(comparable(MD_TRUTH));
		expect(hows(r, 'carried_over')).toEqual(new Array(7).fill('inferred'));
		expect(hows(r, 'unable_not_held')).toEqual(new Array(7).fill('inferred'));
		expect(r.issues.filter((i) => /^rule_|row_unknown|reading_ambiguous/.test(i.code))).toEqual([]);
	});

	it('two outcome rows no rule tells apart: the cells they dispute are ambiguous with the alternatives, never a confident guess', () => {
		const r = parse(numbersAtEnd('| 1.本机关不掌握', '2.其他法律行政法规禁止公开'), 'order.md');
		// Either row may hold 9 or 1 (自然人): whichever is taken, the other is its alternative.
		for (const row of ['unable_not_held', 'denied_law_forbidden'] as const) {
			const p = r.provenance?.[`requests.${row}.natural`];
			expect(p?.how).toBe('ambiguous');
			expect([r.requests[row]?.natural, ...(p?.alternatives ?? [])].sort()).toEqual([1, 9]);
		}
		expect(r.issues.filter((i) => i.code.startsWith('rule_'))).toEqual([]);
		expect(r.issues.filter((i) => i.code === 'reading_ambiguous').map((i) => i.where?.row)).toEqual(['denied_law_forbidden', 'unable_not_held']);
	});
});

describe('a markdown table 三 that goes on past 结转 (a label over empty cells may have its numbers later)', () => {
	it('ends at a row shaped as table 四’s, even with table 四’s header and heading lost', () => {
		const ls = MD.split('\n');
		const security = ls.findIndex((l) => l.includes('| 3.危及'));
		// 3.危及… prints its zeros as empty cells: table 三 does not end at 结转.
		ls[security] = pipe([...split(ls[security]).labels, ...EMPTY]);
		const heading = ls.findIndex((l) => l.startsWith('## 四、'));
		const values = ls.findIndex((l, i) => i > heading && /^\| \d/.test(l));
		ls.splice(heading, values - heading);
		const r = parse(ls.join('\n'), 'pipes.md');
		expect(comparable(r)).toMatchObject(comparable(MD_TRUTH));
		expect(r.issues.filter((i) => /^row_|rule_|cells_/.test(i.code))).toEqual([]);
	});
});

describe('a row of numbers with no place at all', () => {
	it('is left out and said so; the labelled rows around it keep their own numbers, read as printed', () => {
		const r = parse(insertBefore(MD, '| 3.危及', [pipe(['5', '5', '0', '0', '0', '0', '10'])]), 'extra.md');
		expect(comparable(r)).toMatchObject(comparable(MD_TRUTH));
		expect(Object.values(r.provenance ?? {}).every((p) => p.how === 'read')).toBe(true);
		expect(r.issues.filter((i) => i.code === 'row_unknown')).toHaveLength(1);
		expect(r.issues.filter((i) => /^rule_|reading_/.test(i.code))).toEqual([]);
	});
});

describe('labels that are loose lines beside the wrong numbers', () => {
	/** md-pipes with （七）总计 and 四、结转… printed as loose words, each before the other's numbers. */
	function crossed(text = MD): string {
		const ls = text.split('\n');
		const total = ls.findIndex((l) => l.includes('| （七）总计'));
		const [t, c] = [split(ls[total]).values, split(ls[total + 1]).values];
		ls.splice(total, 2, '', '（七）总计', '', pipe(c), '', '四、结转下年度', '继续办理', '', pipe(t));
		return ls.join('\n');
	}

	it('where the rules fail as printed and an exchange of the two rows’ numbers makes them hold, it is taken and inferred', () => {
		const r = parse(crossed(), 'crossed.md');
		expect(comparable(r)).toMatchObject(comparable(MD_TRUTH));
		expect(hows(r, 'total_processed')).toEqual(new Array(7).fill('inferred'));
		expect(hows(r, 'carried_forward')).toEqual(new Array(7).fill('inferred'));
		expect(r.issues.filter((i) => /^rule_|reading_rule|reading_ambiguous/.test(i.code))).toEqual([]);
		expect(r.issues.some((i) => i.code === 'reading_inferred' && i.message.includes('与相邻一行的数字错位'))).toBe(true);
	});

	it('where the rules hold as printed, the words keep the numbers beside them, read', () => {
		const ls = MD.split('\n');
		const total = ls.findIndex((l) => l.includes('| （七）总计'));
		const [t, c] = [split(ls[total]).values, split(ls[total + 1]).values];
		ls.splice(total, 2, '', '（七）总计', '', pipe(t), '', '四、结转下年度', '继续办理', '', pipe(c));
		const r = parse(ls.join('\n'), 'words.md');
		expect(comparable(r)).toMatchObject(comparable(MD_TRUTH));
		expect(hows(r, 'total_processed')).toEqual(new Array(7).fill('read'));
		expect(r.issues.filter((i) => /^reading_/.test(i.code))).toEqual([]);
	});
});

/** md-pipes with the row labelled `label` printed out of order: its words stay in its place as loose lines, its numbers come after the next row. */
function late(text: string, label: string): string {
	const lines = text.split('\n');
	const at = lines.findIndex((l) => l.includes(`| ${label} |`));
	const { labels, values } = split(lines[at]);
	const next = lines[at + 1];
	lines.splice(at, 2, '', ...labels.filter(Boolean), '', next, pipe(values));
	return lines.join('\n');
}

/** Cells that differ from md-pipes' truth but are marked read or inferred: a silent wrong number. */
function silentlyWrong(r: ParsedReport): string[] {
	return mismatches(r, MD_TRUTH).filter((path) => r.provenance?.[path]?.how !== 'ambiguous');
}

describe('a slid run and a row printed out of order in one stretch (markdown from PDF extractors)', () => {
	// 6.过程性… … 8.查询事项 slid up (6's label over empty cells), then 1.本机关不掌握… printed late: its words in place, its numbers after 2.没有现成….
	const text = () => late(slid('6.属于四类过程性信息', 3, 'up'), '1.本机关不掌握相关政府信息');

	it('no cell is read or inferred wrong: the late row’s words are where its numbers may belong, so the rows no rule tells apart are ambiguous', () => {
		const r = parse(text(), 'late.md');
		expect(silentlyWrong(r)).toEqual([]);
		for (const row of ['unable_not_held', 'unable_needs_creation'] as const) {
			const p = r.provenance?.[`requests.${row}.natural`];
			expect(p?.how).toBe('ambiguous');
			expect([r.requests[row]?.natural, ...(p?.alternatives ?? [])].sort()).toEqual([2, 9]);
		}
		expect(r.issues.filter((i) => i.code.startsWith('rule_'))).toEqual([]);
	});

	it('a row printed late after a label over empty cells (the next row’s numbers slid above its label): the two rows no rule tells apart are ambiguous', () => {
		// 1.本机关不掌握… loses its label: its words in place, then 2.没有现成…'s numbers alone, its label over empty cells, and
		// 1's numbers after it. Before, a late row was looked for only right after a labelled row with numbers: 1 was read
		// with 2's numbers, marked read.
		const lines = MD.split('\n');
		const at = lines.findIndex((l) => l.includes('| 1.本机关不掌握相关政府信息 |'));
		const [notHeld, creation] = lines.slice(at, at + 2).map(split);
		lines.splice(at, 2, '', ...notHeld.labels.filter(Boolean), '', pipe(creation.values), pipe([...creation.labels, ...EMPTY]), pipe(notHeld.values));
		const r = parse(lines.join('\n'), 'late.md');
		expect(silentlyWrong(r)).toEqual([]);
		for (const row of ['unable_not_held', 'unable_needs_creation'] as const) {
			const p = r.provenance?.[`requests.${row}.natural`];
			expect(p?.how).toBe('ambiguous');
			expect([r.requests[row]?.natural, ...(p?.alternatives ?? [])].sort()).toEqual([2, 9]);
		}
	});

	it('where the balance rule tells the readings apart (二、上年结转 printed late, after （一）予以公开), the late reading is taken and inferred', () => {
		const r = parse(late(slid('6.属于四类过程性信息', 3, 'up'), '二、上年结转政府信息公开申请数量'), 'late.md');
		expect(silentlyWrong(r)).toEqual([]);
		expect(comparable(r)).toMatchObject(comparable(MD_TRUTH));
		expect(hows(r, 'carried_over')).toEqual(new Array(7).fill('inferred'));
		expect(r.issues.filter((i) => /^rule_|reading_rule/.test(i.code))).toEqual([]);
	});
});

describe('（六）其他处理 3.其他 as loose words or beside loose words (markdown from PDF extractors)', () => {
	const NO_CORRECTION = '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请';
	const NO_FEE = '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请';
	/** Each cell that differs from the truth is ambiguous, with the truth among the value taken and its alternatives. */
	function truthAmongAlternatives(r: ParsedReport): void {
		for (const path of mismatches(r, MD_TRUTH)) {
			const p = r.provenance?.[path];
			expect(p?.how, path).toBe('ambiguous');
			const [, row, column] = path.split('.');
			const truth = (MD_TRUTH.requests as Record<string, Record<string, number>>)[row][column];
			expect(p?.alternatives ?? [], path).toContain(truth);
		}
	}

	it.each([
		['（六）’s first two sub-rows slid down', NO_CORRECTION, 2, 'down'],
		['（六）’s first two sub-rows slid up', NO_CORRECTION, 2, 'up'],
		['（五）5 and （六）1–2 slid down', '5.要求行政机关确认或重新出具已获取信息', 3, 'down'],
		['（五）5 and （六）1–2 slid up', '5.要求行政机关确认或重新出具已获取信息', 3, 'up']
	] as const)(
		'%s, the bare end as loose words, and 3.其他 printed late (its words before （七）总计, its numbers after it): no cell read or inferred wrong',
		(_, first, count, dir) => {
			// Before, the words "3.其他" named no row (only a label beside a （六） sub-row read by its label did), so the late
			// reading was never tried and a slid row was read as printed with its neighbour's numbers.
			const r = parse(late(slid(first, count, dir, 'words'), '3.其他'), 'late.md');
			expect(silentlyWrong(r)).toEqual([]);
			truthAmongAlternatives(r);
		}
	);

	it('“| 3.其他 |” after （六）’s heading and first two sub-rows as loose words (the heading wrapped a few characters a line), their numbers after it: 3.其他 is read, and no cell wrong without a mark', () => {
		const lines = MD.split('\n');
		const at = lines.findIndex((l) => l.includes(`| ${NO_CORRECTION} |`));
		const [a, b, c] = lines.slice(at, at + 3).map(split);
		lines.splice(
			at,
			3,
			'',
			'（六',
			'）其',
			'他处',
			'理',
			'1.申请人无',
			NO_CORRECTION.slice(5),
			'',
			NO_FEE,
			'',
			pipe(['3.其他', ...c.values]),
			pipe(a.values),
			pipe(b.values)
		);
		const r = parse(lines.join('\n'), 'wrapped.md');
		expect(silentlyWrong(r)).toEqual([]);
		truthAmongAlternatives(r);
		expect(r.issues.filter((i) => i.code === 'row_unknown')).toEqual([]);
	});
});

describe('the single （六）其他处理 printed late, after （七）总计 over empty cells (markdown from PDF extractors, 2019 template)', () => {
	/**
	 * A clean 2019 markdown report (seed 11: （六） 19, （七） 251, 结转 25) changed by hand as the displaced generator's
	 * seed 2271 was: 5.要求… and （六） lose their labels (their words loose lines in place), （七）总计's numbers slide above
	 * its label (printed over empty cells), （六）'s numbers come after that label, then 结转's numbers alone and its words.
	 */
	function document(prose: boolean) {
		const g = generateReport(11, { format: 'markdown', template: '2019' });
		const lines = g.text.split('\n');
		const at = lines.findIndex((l) => l.includes('| （六）其他处理 |'));
		const [other, total, carried] = lines.slice(at, at + 3).map((l) => split(l).values);
		const alone = (values: readonly string[]) => pipe(['', '', '', ...values]);
		lines.splice(
			at,
			3,
			'',
			'（六）其他处理',
			'',
			alone(total),
			pipe(['', '（七）总计', '', ...EMPTY]),
			alone(other),
			alone(carried),
			'',
			'四、结转下年度继续办理',
			''
		);
		const confirmation = lines.findIndex((l) => l.includes('| 5.要求行政机关确认或重新出具已获取信息 |'));
		lines.splice(confirmation, 1, '', '5.要求行政机关确认或重新出具已获取信息', '', alone(split(lines[confirmation]).values));
		// Without the prose's "不予处理0件" nothing but the layout tells （五）5 from （六）: both keep every rule.
		const text = lines.filter((l) => prose || !l.includes('依申请公开')).join('\n');
		return { r: parse(text, 'late-other.md'), truth: g.record };
	}
	const silent = (r: ParsedReport, truth: object) => mismatches(r, truth).filter((path) => r.provenance?.[path]?.how !== 'ambiguous');

	it('the words （六）其他处理 name the row whose numbers may come late: with the prose as witness it reads exactly, inferred', () => {
		// Before, the bare （六）其他处理 named no row: （六） got 5.要求…'s zeros and 5.要求… its 19, both marked inferred.
		const { r, truth } = document(true);
		expect(mismatches(r, truth)).toEqual([]);
		expect(hows(r, 'other')).toEqual(new Array(7).fill('inferred'));
		expect(r.issues.filter((i) => i.code.startsWith('rule_'))).toEqual([]);
	});

	it('without the prose, the two outcome rows no rule tells apart are ambiguous, each with the other reading as alternative', () => {
		const { r, truth } = document(false);
		expect(silent(r, truth)).toEqual([]);
		for (const row of ['other', 'rejected_confirmation'] as const) {
			const p = r.provenance?.[`requests.${row}.total`];
			expect(p?.how, row).toBe('ambiguous');
			expect([r.requests[row]?.total, ...(p?.alternatives ?? [])].sort((a, b) => a! - b!)).toEqual([0, 19]);
		}
	});
});

describe('rows of zeros printed blank (a label over empty cells) among displaced rows', () => {
	/** md-pipes with the rows of zeros whose labels are `labels` printed with empty cells. */
	function blank(text: string, ...labels: string[]): string {
		let out = text;
		for (const label of labels) {
			const line = out.split('\n').find((l) => l.includes(`| ${label} |`))!;
			out = out.replace(line, pipe([...split(line).labels, ...EMPTY]));
		}
		return out;
	}
	/** The row loses its label: its numbers stay as a pipe row of their own, its words become loose lines after it. */
	function orphan(text: string, label: string): string {
		const line = text.split('\n').find((l) => l.includes(`| ${label} |`))!;
		return text.replace(line, [pipe(split(line).values), '', label, ''].join('\n'));
	}

	it('read with the blank rows as zeros in place, the rows without labels in the places left: not refused as incomplete', () => {
		let text = blank(
			MD,
			'3.危及“三安全一稳定”',
			'5.属于三类内部事务信息',
			'7.属于行政执法案卷',
			'8.属于行政查询事项',
			'3.要求提供公开出版物',
			'4.无正当理由大量反复申请'
		);
		for (const label of [
			'2.其他法律行政法规禁止公开',
			'6.属于四类过程性信息',
			'1.本机关不掌握相关政府信息',
			'2.没有现成信息需要另行制作',
			'1.信访举报投诉类申请'
		])
			text = orphan(text, label);
		const r = parse(text, 'blank.md');
		expect(silentlyWrong(r)).toEqual([]);
		expect(comparable(r)).toMatchObject(comparable(MD_TRUTH));
		expect(r.issues.filter((i) => /^rule_|row_unknown|row_by_order/.test(i.code))).toEqual([]);
	});
});
