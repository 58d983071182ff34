/**
 * What the generated 总体情况 says about the tables' cells, as real reports say
 * it: a few counts of table 三 (予以公开 N 件, 不予公开 N 件 …), of table 四
 * (行政复议 N 件，其中维持 N 件、纠正 N 件) and of table 二 (制发规范性文件 N
 * 件, 作出行政许可决定 N 件). Every number agrees with the record. Which
 * sentences appear is drawn from a stream of the record's own, so adding prose
 * leaves the rest of a document's random choices as they were. The wording is
 * the generator's own (not the parser's patterns), and `cells` says which
 * cells each statement sums, so tests can hold the parser to them.
 */
import { CASE_GROUPS, OTHER_SPLIT_ROWS, REQUEST_ROWS, type CompleteRecord, type RequestRow } from '../report/schema';
import { recordRng, type Rng } from './random';

export interface ProseStatement {
	/** The words, without the closing punctuation. */
	text: string;
	/** For each count the words state, the cell paths (provenance keys) it sums. */
	claims: string[][];
}

export interface ProseStatements {
	/** Statements for the 依申请公开 paragraph (table 三 and 四). */
	requests: ProseStatement[];
	/** Statements for the 主动公开 paragraph (table 二). */
	active: ProseStatement[];
}

/** The prose's own random stream. */
const PROSE_STREAM = 7;

function requestSum(record: CompleteRecord, rows: readonly RequestRow[]): { value: number; cells: string[] } | undefined {
	const present = rows.filter((r) => record.requests[r]);
	if (present.length === 0) return undefined;
	return { value: present.reduce((s, r) => s + (record.requests[r]?.total ?? 0), 0), cells: present.map((r) => `requests.${r}.total`) };
}

const startingWith = (prefix: string) => REQUEST_ROWS.filter((r) => r.startsWith(prefix));

/** Table 三's outcome groups as the prose names them, each with the rows it sums. */
const OUTCOME_WORDS: readonly [string[], readonly RequestRow[]][] = [
	[['予以公开', '同意公开'], ['granted']],
	[['部分公开'], ['partially_granted']],
	[['不予公开'], startingWith('denied_')],
	[['无法提供'], startingWith('unable_')],
	[['不予处理'], startingWith('rejected_')]
];

function requestStatements(record: CompleteRecord, rng: Rng): ProseStatement[] {
	const out: ProseStatement[] = [];
	const parts: string[] = [];
	const claims: string[][] = [];
	for (const [words, rows] of OUTCOME_WORDS) {
		const s = requestSum(record, rows);
		if (!s || !rng.chance(0.5)) continue;
		const word = rng.pick(words);
		parts.push(`${word}${s.value}件`);
		// 同意公开 is a wording the parser does not take as 予以公开: no claim.
		if (word !== '同意公开') claims.push(s.cells);
	}
	const other = record.requests.other ? requestSum(record, ['other']) : requestSum(record, OTHER_SPLIT_ROWS);
	if (other && rng.chance(0.3)) {
		parts.push(`其他处理${other.value}件`);
		claims.push(other.cells);
	}
	if (parts.length > 0) out.push({ text: `办理结果中，${parts.join('，')}`, claims });
	const review = record.review;
	if (review && rng.chance(0.6)) {
		const detail = review.total > 0 && rng.chance(0.6);
		out.push({
			text: `因政府信息公开被申请行政复议${review.total}件${detail ? `，其中结果维持${review.maintained}件、结果纠正${review.corrected}件` : ''}`,
			claims: [['review.total'], ...(detail ? [['review.maintained'], ['review.corrected']] : [])]
		});
	}
	const suits = CASE_GROUPS.slice(1).map((g) => record[g]);
	if (suits.every((s) => s) && rng.chance(0.5)) {
		const n = suits.reduce((s, g) => s + (g?.total ?? 0), 0);
		const direct = rng.chance(0.5) ? record.litigation_direct?.total : undefined;
		out.push({
			text: `被提起行政诉讼${n}件${direct === undefined ? '' : `，其中未经复议直接起诉${direct}件`}`,
			claims: [['litigation_direct.total', 'litigation_after_review.total'], ...(direct === undefined ? [] : [['litigation_direct.total']])]
		});
	}
	return out;
}

function activeStatements(record: CompleteRecord, rng: Rng): ProseStatement[] {
	const out: ProseStatement[] = [];
	const a = record.active;
	if (!a) return out;
	const made = record.template === '2021' ? 'issued' : 'made';
	const docs = a.normative_documents as Record<string, number> | null | undefined;
	if (docs && rng.chance(0.5))
		out.push({ text: `本年度${rng.pick(['制发', '新制发'])}规范性文件${docs[made]}件`, claims: [[`active.normative_documents.${made}`]] });
	const decisions: [string, 'licensing' | 'punishment' | 'coercion'][] = [
		['行政许可', 'licensing'],
		['行政处罚', 'punishment'],
		['行政强制', 'coercion']
	];
	const said = decisions.filter(([, row]) => a[row] && rng.chance(0.4));
	if (said.length > 0)
		out.push({
			text: `依法作出${said.map(([word, row]) => `${word}决定${(a[row] as Record<string, number>).decisions}件`).join('、')}`,
			claims: said.map(([, row]) => [`active.${row}.decisions`])
		});
	return out;
}

export function proseStatements(record: CompleteRecord): ProseStatements {
	const rng = recordRng(record, PROSE_STREAM);
	return { requests: requestStatements(record, rng), active: activeStatements(record, rng) };
}

/** The statements as sentences. */
export function proseSentences(statements: readonly ProseStatement[]): string {
	return statements.length > 0 ? `${statements.map((s) => s.text).join('；')}。` : '';
}

/** Every set of cells the generated prose states a sum of. */
export function statedCells(record: CompleteRecord): string[][] {
	const { requests, active } = proseStatements(record);
	return [...requests, ...active].flatMap((s) => s.claims);
}
