import { toHalfWidth } from './normalize';
import { CASE_FIELDS, OTHER_SPLIT_ROWS, REQUEST_ROWS, type ReportIssue, type ReportRecord } from './schema';

/**
 * The prose as a witness: the 总体情况 text often states counts the tables
 * hold (新收申请 N 件, 办结 N 件, 予以公开 N 件, 行政复议 N 起，其中纠正 N 起,
 * 制发规范性文件 N 件). Each statement becomes a claim about named cells: the
 * sum of one set of cells, or of one of a few sets where the wording allows
 * more than one meaning (收到申请 may include the carried-over ones). A claim
 * is made only where the wording names its cells unambiguously, and a count
 * the text states twice with different numbers is no claim.
 *
 * The mapping uses the claims to choose between readings the layout and the
 * arithmetic leave open (choose.ts); after parsing, a claim the tables
 * contradict is an issue naming the sentence and the cell. Never changes a
 * number on its own.
 */

export const PROSE_CODE = 'prose_table';

export interface ProseClaim {
	/** What the sentence counts, in its words (予以公开). */
	what: string;
	value: number;
	/** Cell paths (provenance keys) whose sum the sentence states: any one set matching agrees with it. */
	sums: readonly (readonly string[])[];
	/** Where the claim points, for the issue. */
	table: '二' | '三' | '四';
	row: string;
	column: string;
	/** The sentence, at most 80 characters. */
	sentence: string;
}

interface ClaimRule {
	what: string;
	/** Global, starting with a literal (a fast scan); the number is the first group that matched. */
	pattern: RegExp;
	/** What may not stand just before the match (予以公开 in 予以公开及部分公开 is not 予以公开 alone), tested on the 8 characters before it. */
	notAfter?: RegExp;
	sums: readonly (readonly string[])[];
	table: ProseClaim['table'];
	row: string;
	column: string;
}

const total = (rows: readonly string[]) => rows.map((r) => `requests.${r}.total`);
const rowsStarting = (prefix: string) => REQUEST_ROWS.filter((r) => r.startsWith(prefix));
/** A clause that stays inside one sentence and does not reach the next case kind. */
const SAME_CLAUSE = (stop: string) => `(?:(?!${stop})[^。；])*?`;
const COUNT = '(\\d+)(?:起|件)';

/** 行政诉讼 named as one of its two kinds (直接起诉的行政诉讼, 复议后起诉的行政诉讼) is not both of them. */
const ONE_KIND_OF_SUIT = /(?:起诉|复议后|直接)的?$/;

/** Table 四's case counts: the whole 行政复议 (or 行政诉讼) and its parts, within the clause that names it. */
function caseRules(kind: '行政复议' | '行政诉讼', groups: readonly string[], stop: string): ClaimRule[] {
	const notAfter = kind === '行政诉讼' ? ONE_KIND_OF_SUIT : undefined;
	const whole: ClaimRule = {
		what: kind,
		pattern: new RegExp(`${kind}(?:案件)?(?:共)?${COUNT}`, 'g'),
		notAfter,
		sums: [groups.map((g) => `${g}.total`)],
		table: '四',
		row: groups[0],
		column: 'total'
	};
	const parts: [string, string, string][] = [
		['维持', '(?:结果)?维持', 'maintained'],
		['纠正', '(?:结果)?(?<!未)纠正', 'corrected'],
		['尚未审结', '(?:尚)?未审结', 'pending']
	];
	return [
		whole,
		...parts.map(
			([word, re, field]): ClaimRule => ({
				what: `${kind}${word}`,
				pattern: new RegExp(`${kind}${SAME_CLAUSE(stop)}${re}${COUNT}`, 'g'),
				notAfter,
				sums: [groups.map((g) => `${g}.${field}`)],
				table: '四',
				row: groups[0],
				column: field
			})
		)
	];
}

/** Each kind of suit by its own count: 未经复议直接起诉（的行政诉讼）N 件, 复议后起诉 N 件. */
const SUIT_KINDS: readonly ClaimRule[] = (
	[
		['直接起诉', '直接(?:向人民法院)?(?:提起|起诉)(?:的)?(?:行政诉讼)?(?:案件)?', 'litigation_direct'],
		['复议后起诉', '复议后(?:提起|起诉)(?:的)?(?:行政诉讼)?(?:案件)?', 'litigation_after_review']
	] as const
).map(([what, words, group]) => ({ what, pattern: new RegExp(`${words}${COUNT}`, 'g'), sums: [[`${group}.total`]], table: '四', row: group, column: 'total' }));

/** A table 二 row's cell under either template's field name. */
const activeCell = (row: string, ...fields: string[]) => fields.map((f) => [`active.${row}.${f}`]);

const RULES: readonly ClaimRule[] = [
	{
		what: '新收申请',
		pattern: /新收(?:政府信息公开|依申请公开)?申请(?:数量)?(?:共)?(\d+)件/g,
		sums: [total(['new_received'])],
		table: '三',
		row: 'new_received',
		column: 'total'
	},
	{
		what: '收到申请',
		pattern: /(?:收到|受理|接收)[^。；，\d]{0,24}?申请[^。；\d]{0,6}?(\d+)件/g,
		sums: [total(['new_received']), total(['new_received', 'carried_over'])],
		table: '三',
		row: 'new_received',
		column: 'total'
	},
	{
		what: '上年结转',
		pattern: /上年(?:度)?结转(?:的)?(?:政府信息公开)?(?:申请)?(\d+)件/g,
		sums: [total(['carried_over'])],
		table: '三',
		row: 'carried_over',
		column: 'total'
	},
	{ what: '办结', pattern: /办结[^。；，\d]{0,10}?(\d+)件/g, sums: [total(['total_processed'])], table: '三', row: 'total_processed', column: 'total' },
	{
		what: '结转下年',
		pattern: /结转(?:至)?下(?:一)?年(?:度)?(?:继续办理)?(?:的)?(?:申请)?(\d+)件/g,
		sums: [total(['carried_forward'])],
		table: '三',
		row: 'carried_forward',
		column: 'total'
	},
	// 予以公开 alone, not 予以公开及部分公开 (a sum of two rows, below).
	{ what: '予以公开', pattern: /予以公开(\d+)件/g, notAfter: /[及和与、]$/, sums: [total(['granted'])], table: '三', row: 'granted', column: 'total' },
	{
		what: '予以公开及部分公开',
		pattern: /予以公开(?:及|和|与|、)部分公开(\d+)件/g,
		sums: [total(['granted', 'partially_granted'])],
		table: '三',
		row: 'granted',
		column: 'total'
	},
	{
		what: '部分公开',
		pattern: /部分公开(?:答复)?(\d+)件/g,
		notAfter: /[及和与、]$/,
		sums: [total(['partially_granted'])],
		table: '三',
		row: 'partially_granted',
		column: 'total'
	},
	{ what: '不予公开', pattern: /不予公开(?:答复)?(\d+)件/g, sums: [total(rowsStarting('denied_'))], table: '三', row: 'denied_state_secret', column: 'total' },
	{ what: '无法提供', pattern: /无法提供(?:的)?(\d+)件/g, sums: [total(rowsStarting('unable_'))], table: '三', row: 'unable_not_held', column: 'total' },
	{ what: '不予处理', pattern: /不予处理(?:的)?(\d+)件/g, sums: [total(rowsStarting('rejected_'))], table: '三', row: 'rejected_complaint', column: 'total' },
	{ what: '其他处理', pattern: /其他处理(?:的)?(\d+)件/g, sums: [total(['other']), total(OTHER_SPLIT_ROWS)], table: '三', row: 'other', column: 'total' },
	...caseRules('行政复议', ['review'], '行政诉讼'),
	...caseRules('行政诉讼', ['litigation_direct', 'litigation_after_review'], '行政复议'),
	...SUIT_KINDS,
	// Table 二: only wordings that name the row and the column. No claim from 规范性文件类信息 N 条 (a count of web
	// pages) or 集中发布现行有效规范性文件 N 件 (what a library published, not always the 现行有效 count).
	{
		what: '制发规范性文件',
		pattern: /制[发作](?:的)?(?:行政)?规范性文件(\d+)件/g,
		sums: activeCell('normative_documents', 'issued', 'made'),
		table: '二',
		row: 'normative_documents',
		column: 'issued'
	},
	{
		what: '废止规范性文件',
		pattern: /废止(?:的)?(?:行政)?规范性文件(\d+)件/g,
		sums: activeCell('normative_documents', 'repealed'),
		table: '二',
		row: 'normative_documents',
		column: 'repealed'
	},
	{
		what: '制发规章',
		pattern: /制[发作](?:的)?规章(\d+)件/g,
		sums: activeCell('regulations', 'issued', 'made'),
		table: '二',
		row: 'regulations',
		column: 'issued'
	},
	...(
		[
			['行政许可', 'licensing'],
			['行政处罚', 'punishment'],
			['行政强制', 'coercion']
		] as const
	).map(
		([word, row]): ClaimRule => ({
			what: `${word}决定`,
			pattern: new RegExp(`${word}(?:处理)?决定(?:书)?(\\d+)(?:件|个)`, 'g'),
			sums: activeCell(row, 'decisions'),
			table: '二',
			row,
			column: 'decisions'
		})
	),
	{
		what: '行政事业性收费',
		pattern: /行政事业性收费(?:金额)?(?:共|合计)?(\d+(?:\.\d+)?)万元/g,
		sums: activeCell('fees', 'amount_10k_yuan'),
		table: '二',
		row: 'fees',
		column: 'amount_10k_yuan'
	}
];

/** Where a sentence or clause ends (full- or half-width). */
const STOPS = ['。', '；', ';'];

/** The sentence around a match, at most 80 characters. */
function sentence(text: string, index: number): string {
	const start = Math.max(...STOPS.map((p) => text.lastIndexOf(p, index - 1) + 1), index - 40);
	const ends = STOPS.map((p) => text.indexOf(p, index)).filter((i) => i >= 0);
	const end = ends.length ? Math.min(...ends) + 1 : index + 40;
	const s = text.slice(start, Math.min(end, start + 80));
	return s.length >= 80 ? `${s}…` : s;
}

/**
 * Every count the text states about cells of the tables, once per kind;
 * a kind stated with two different numbers is left out (the wording may
 * mean two things, or count two different sets).
 */
export function proseClaims(lines: readonly string[]): ProseClaim[] {
	// White space goes first (PDF and scraped text break words): the half-width text matched and the text quoted keep the same positions.
	// A note's number set after a count ("12¹件", a web page's 12<sup>1</sup>) is no digit of it: dropped, the count reads 12.
	const printed = lines
		.join('')
		.replace(/\s+/g, '')
		.replace(/([0-9０-９])[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+(?![0-9０-９])/g, '$1');
	const text = toHalfWidth(printed);
	const out: ProseClaim[] = [];
	for (const rule of RULES) {
		let first: { value: number; index: number } | undefined;
		let conflict = false;
		for (const m of text.matchAll(rule.pattern)) {
			if (rule.notAfter?.test(text.slice(Math.max(0, m.index - 8), m.index))) continue;
			const value = Number(m[1]);
			if (!first) first = { value, index: m.index };
			else if (first.value !== value) conflict = true;
		}
		if (!first || conflict) continue;
		const { what, sums, table, row, column } = rule;
		out.push({ what, value: first.value, sums, table, row, column, sentence: sentence(printed, first.index) });
	}
	return out;
}

/** A cell's value where it is known (undefined: not in what is being judged; null: printed unreadably). */
export type CellLookup = (path: string) => number | null | undefined;

/** Sums without binary noise (fee amounts are decimals). */
function sumOf(values: readonly number[]): number {
	return Math.round(values.reduce((a, b) => a + b, 0) * 1e6) / 1e6;
}

/** The sums of a claim's cell sets that are known in full. */
function knownSums(claim: ProseClaim, get: CellLookup): number[] {
	const out: number[] = [];
	for (const set of claim.sums) {
		const values = set.map(get);
		if (values.every((v): v is number => typeof v === 'number')) out.push(sumOf(values));
	}
	return out;
}

/** true: the cells agree with the claim; false: they contradict it; undefined: the claim's cells are not all known. */
export function claimHolds(claim: ProseClaim, get: CellLookup): boolean | undefined {
	const sums = knownSums(claim, get);
	if (sums.length === 0) return undefined;
	return sums.includes(claim.value);
}

/** The claims that bear on a set of cells: some cell set of the claim lies wholly inside it. */
export function claimsOn(claims: readonly ProseClaim[], has: (path: string) => boolean): ProseClaim[] {
	return claims.filter((c) => c.sums.some((set) => set.every(has)));
}

/** A record's cell by path ("requests.granted.total", "review.corrected", "active.fees.amount_10k_yuan"). */
export function recordCell(r: ReportRecord, path: string): number | null | undefined {
	const [head, row, column] = path.split('.');
	if (head === 'requests') return r.requests[row as keyof ReportRecord['requests']]?.[column as 'total'];
	if (head === 'active') return (r.active?.[row as keyof NonNullable<ReportRecord['active']>] as Record<string, number | null> | null | undefined)?.[column];
	if (CASE_FIELDS.includes(row as (typeof CASE_FIELDS)[number])) return r[head as 'review']?.[row as 'total'];
	return undefined;
}

/** Issues where the prose states a count its table gives differently (each kind's first statement). */
export function proseIssues(lines: readonly string[], record: ReportRecord): ReportIssue[] {
	const out: ReportIssue[] = [];
	for (const c of proseClaims(lines)) {
		const get = (path: string) => recordCell(record, path);
		if (claimHolds(c, get) !== false) continue;
		const expected = knownSums(c, get)[0];
		const many = c.sums[0].length > 1;
		out.push({
			code: PROSE_CODE,
			severity: 'warning',
			message: `正文与表格不一致：正文“${c.sentence}”称${c.what} ${c.value}，表${c.table}对应${many ? '各单元格之和' : '单元格'}为 ${expected}`,
			where: { table: c.table, row: c.row, column: c.column },
			expected,
			actual: c.value
		});
	}
	return out;
}
