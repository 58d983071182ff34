/**
 * The project's own fixtures (tests/fixtures/): small hand-written documents
 * for fictitious agencies, each with `NAME.expected.json` holding the full
 * record (schema.md shape, every key, exact numbers), plus bad inputs that must
 * be refused with a specific error code and message, plus hostile inputs that
 * must finish (parse or ReportError, nothing else).
 *
 * An expectation here is what the document says, never what the parser happens
 * to produce: a failing test is a parser bug or limitation to fix in src/.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
	ACTIVE_LAYOUT,
	CASE_FIELDS,
	OTHER_SPLIT_ROWS,
	OUTCOME_ROWS,
	REQUEST_ROWS,
	APPLICANT_COLUMNS,
	ReportError,
	parseReport,
	type ParsedReport,
	type ReportIssue
} from '../src/lib/report/index';
import { encodeDocument } from '../src/lib/synthetic/encode';
import { comparable } from './corpus';

const DIR = fileURLToPath(new URL('./fixtures/', import.meta.url));
const BAD = join(DIR, 'bad');

const RECORD_KEYS = ['schema', 'agency', 'year', 'template', 'active', 'requests', 'review', 'litigation_direct', 'litigation_after_review'];

function bytesOf(file: string): Uint8Array {
	return readFileSync(join(DIR, file));
}

/** An expected record as the fixture's JSON spells it (every cell a number). */
interface ExpectedRecord {
	schema: number;
	template: '2019' | '2021';
	active: Record<string, Record<string, number>>;
	/** A row the report lacks is null. */
	requests: Record<string, Record<string, number>>;
	review: Record<string, number>;
	litigation_direct: Record<string, number>;
	litigation_after_review: Record<string, number>;
}

const CASE_GROUP_KEYS = ['review', 'litigation_direct', 'litigation_after_review'] as const;

function expectedOf(name: string): Record<string, unknown> {
	return JSON.parse(readFileSync(join(DIR, `${name}.expected.json`), 'utf8'));
}

function parseFixture(file: string): ParsedReport {
	return parseReport(bytesOf(file), file);
}

function ruleIssues(r: ParsedReport): ReportIssue[] {
	return r.issues.filter((i) => i.code.startsWith('rule_'));
}

/** Every fixture document and what it exercises. */
const FIXTURES: { name: string; file: string; about: string }[] = [
	{
		name: 'tabs-2021',
		file: 'tabs-2021.txt',
		about: '2021 tables as tab text: 本年度止件数, 3.其他 and （七）总计 shifted left, blank line inside 表二（六）, publication date 2024, a 2026 plan'
	},
	{ name: 'official-2019', file: 'official-2019.html', about: '2019 official rowspan/colspan tables, signed 本年增/减, 采购总金额 251000元' },
	{ name: 'official-2019-wan', file: 'official-2019-wan.html', about: '2019 tables, year-first title, 采购总金额 25.1万元 → 251000 元' },
	{ name: 'gbk-meta', file: 'gbk-meta.html', about: 'GBK bytes with <meta charset="gb2312">' },
	{ name: 'gbk-nometa', file: 'gbk-nometa.html', about: 'GBK bytes without any charset declaration' },
	{ name: 'utf8-bom', file: 'utf8-bom.html', about: 'UTF-8 with a BOM, an HTML fragment' },
	{
		name: 'word-cms',
		file: 'word-cms.html',
		about: 'Word-exported tables (MsoNormal, <font>, &nbsp;, numbers split across runs, one character per <p>) inside a full CMS page'
	},
	{ name: 'trad-twin-simplified', file: 'trad-twin-simplified.html', about: 'simplified twin of the traditional-script copies' },
	{ name: 'trad-chars', file: 'trad-chars.html', about: 'traditional characters only (Big5-gateway style)' },
	{ name: 'trad-mirror', file: 'trad-mirror.html', about: 'converter mirror with Taiwan vocabulary: 政府資訊公開, 規範性檔案, 入口網站' },
	{ name: 'broken-totals', file: 'broken-totals.html', about: 'row total, balance and 表四 totals broken as printed' },
	{ name: 'md-pipes', file: 'md-pipes.md', about: 'markdown pipe tables, full-width digits, 4,521, —, /, 无, -, 12件, 11件' },
	{ name: 'spaces-2019', file: 'spaces-2019.txt', about: '2019 tables as space-separated text, +2/-1, 251000元, split label' },
	{ name: 'single-other-2021', file: 'single-other-2021.html', about: '2021 表二 with the single-row （六）其他处理; fee cell 356.78万元' }
];

describe('fixture files', () => {
	it('every *.expected.json in tests/fixtures has a document listed here', () => {
		const expected = readdirSync(DIR)
			.filter((f) => f.endsWith('.expected.json'))
			.map((f) => f.replace(/\.expected\.json$/, ''))
			.sort();
		expect(expected).toEqual(FIXTURES.map((f) => f.name).sort());
	});

	for (const f of FIXTURES) {
		it(`${f.name}.expected.json is a full record (every key, schema order)`, () => {
			const e = expectedOf(f.name) as unknown as ExpectedRecord;
			expect(Object.keys(e)).toEqual(RECORD_KEYS);
			expect(e.schema).toBe(1);
			expect(Object.keys(e.active)).toEqual(Object.keys(ACTIVE_LAYOUT[e.template as '2019' | '2021']));
			for (const [row, fields] of Object.entries(ACTIVE_LAYOUT[e.template as '2019' | '2021'])) expect(Object.keys(e.active[row]), row).toEqual([...fields]);
			expect(Object.keys(e.requests)).toEqual([...REQUEST_ROWS]);
			for (const row of REQUEST_ROWS) if (e.requests[row] !== null) expect(Object.keys(e.requests[row]), row).toEqual([...APPLICANT_COLUMNS]);
			for (const g of CASE_GROUP_KEYS) expect(Object.keys(e[g]), g).toEqual([...CASE_FIELDS]);
			// Exactly one form of （六）其他处理.
			const split = OTHER_SPLIT_ROWS.filter((r) => e.requests[r] !== null).length;
			expect(split === 3 ? e.requests.other === null : e.requests.other !== null && split === 0).toBe(true);
		});
	}

	it('the hand-made datasets satisfy the four rules (all but broken-totals)', () => {
		for (const f of FIXTURES.filter((x) => x.name !== 'broken-totals')) {
			const e = expectedOf(f.name) as unknown as ExpectedRecord;
			const q = e.requests;
			for (const col of APPLICANT_COLUMNS) {
				expect(q.new_received[col] + q.carried_over[col], `${f.name} balance ${col}`).toBe(q.total_processed[col] + q.carried_forward[col]);
				const outcomes = OUTCOME_ROWS.filter((r) => q[r]).reduce((s, r) => s + q[r][col], 0);
				expect(outcomes, `${f.name} outcomes ${col}`).toBe(q.total_processed[col]);
			}
			for (const row of REQUEST_ROWS) {
				if (!q[row]) continue;
				const sum = APPLICANT_COLUMNS.filter((c) => c !== 'total').reduce((s, c) => s + q[row][c], 0);
				expect(sum, `${f.name} ${row}`).toBe(q[row].total);
			}
			for (const g of CASE_GROUP_KEYS) {
				const c = e[g];
				expect(c.maintained + c.corrected + c.other + c.pending, `${f.name} ${g}`).toBe(c.total);
			}
		}
	});

	it('the GBK fixtures are the GBK encoding of their UTF-8 sources (npx tsx tests/fixtures/make-gbk.ts)', () => {
		for (const name of ['gbk-meta', 'gbk-nometa']) {
			const source = readFileSync(join(DIR, `${name}.utf8-source.html`), 'utf8');
			const bytes = bytesOf(`${name}.html`);
			expect(Buffer.from(encodeDocument(source, 'gbk')).equals(Buffer.from(bytes)), name).toBe(true);
			expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes), `${name} is not UTF-8`).toThrow();
		}
		expect(source('gbk-meta')).toContain('<meta charset="gb2312">');
		expect(source('gbk-nometa')).not.toMatch(/charset|encoding/i);

		function source(name: string) {
			return readFileSync(join(DIR, `${name}.utf8-source.html`), 'utf8');
		}
	});

	it('utf8-bom.html starts with a BOM', () => {
		expect([...bytesOf('utf8-bom.html').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	});
});

describe('fixtures parse to their expected records', () => {
	for (const f of FIXTURES) {
		it(`${f.file} — ${f.about}`, () => {
			const parsed = parseFixture(f.file);
			expect(comparable(parsed)).toEqual(comparable(expectedOf(f.name)));
		});
	}
});

describe('fixture details and issues', () => {
	it('tabs-2021: typo header, shifted rows and split block read without guessing; year from the period, not 2024 or 2026', () => {
		const r = parseFixture('tabs-2021.txt');
		expect(r.year).toBe(2023);
		expect(r.template).toBe('2021');
		expect(r.active?.normative_documents).toEqual({ issued: 3, repealed: 1, in_force: 12 });
		expect(r.active?.punishment).toEqual({ decisions: 812 });
		expect(r.requests.other_other).toEqual({ natural: 1, commercial: 1, research: 0, ngo: 0, legal_service: 0, other: 0, total: 2 });
		expect(r.requests.other).toBeNull();
		const codes = r.issues.map((i) => i.code);
		for (const bad of ['cells_missing', 'cells_extra', 'row_unknown', 'row_by_order', 'row_missing', 'row_duplicate', 'table_missing', 'year_conflict'])
			expect(codes, bad).not.toContain(bad);
		expect(ruleIssues(r)).toEqual([]);
	});

	it('official-2019: signed 本年增/减 and 采购总金额 in 元; no issues', () => {
		const r = parseFixture('official-2019.html');
		expect(r.template).toBe('2019');
		expect(r.active?.licensing).toEqual({ previous_items: 136, change: 2, decisions: 5120 });
		expect(r.active?.other_services).toEqual({ previous_items: 41, change: -1, decisions: 873 });
		expect(r.active?.fees).toEqual({ previous_items: 17, change: -3 });
		expect(r.active?.procurement).toEqual({ projects: 6, amount_yuan: 251000 });
		expect(r.requests.other).toEqual({ natural: 2, commercial: 1, research: 0, ngo: 0, legal_service: 0, other: 0, total: 3 });
		for (const row of OTHER_SPLIT_ROWS) expect(r.requests[row]).toBeNull();
		expect(r.issues.filter((i) => i.severity !== 'info')).toEqual([]);
	});

	it('official-2019-wan: 25.1万元 becomes 251000 元', () => {
		const r = parseFixture('official-2019-wan.html');
		expect(r.active?.procurement).toEqual({ projects: 6, amount_yuan: 251000 });
		expect(r.agency).toBe('示范县财政局');
		expect(r.year).toBe(2019);
	});

	it('GBK with and without a declaration parse like their UTF-8 sources', () => {
		for (const name of ['gbk-meta', 'gbk-nometa']) {
			const fromGbk = parseFixture(`${name}.html`);
			const fromUtf8 = parseFixture(`${name}.utf8-source.html`);
			expect(comparable(fromGbk), name).toEqual(comparable(fromUtf8));
			expect(ruleIssues(fromGbk), name).toEqual([]);
		}
	});

	it('word-cms: the previous-year report in the related links is not the title; blank Word cells are 0', () => {
		const r = parseFixture('word-cms.html');
		expect(r.agency).toBe('样例市生态环境局');
		expect(r.year).toBe(2022);
		expect(r.active?.regulations).toEqual({ issued: 0, repealed: 0, in_force: 2 });
		expect(r.requests.granted?.natural).toBe(20);
		expect(r.requests.new_received?.total).toBe(55);
		expect(r.review).toEqual({ maintained: 2, corrected: 1, other: 0, pending: 1, total: 4 });
		expect(ruleIssues(r)).toEqual([]);
		expect(r.issues.map((i) => i.code)).not.toContain('year_conflict');
		expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
	});

	it('traditional copies parse to the same record as their simplified twin', () => {
		expect(readFileSync(join(DIR, 'trad-mirror.html'), 'utf8')).toContain('規範性檔案');
		expect(readFileSync(join(DIR, 'trad-mirror.html'), 'utf8')).toContain('政府資訊公開');
		const twin = comparable(parseFixture('trad-twin-simplified.html'));
		expect(comparable(parseFixture('trad-chars.html')), 'trad-chars').toEqual(twin);
	});

	it('trad-mirror (政府資訊公開, 規範性檔案) parses to the same record as its simplified twin', () => {
		const twin = comparable(parseFixture('trad-twin-simplified.html'));
		expect(comparable(parseFixture('trad-mirror.html'))).toEqual(twin);
	});

	it('broken-totals: each broken rule reported with where/expected/actual; numbers kept as printed', () => {
		const r = parseFixture('broken-totals.html');
		expect(r.requests.unable_not_held?.total).toBe(12);
		expect(r.requests.carried_forward).toEqual({ natural: 3, commercial: 1, research: 0, ngo: 0, legal_service: 0, other: 0, total: 4 });
		expect(r.review?.total).toBe(3);
		expect(r.litigation_after_review?.total).toBe(0);
		const got = ruleIssues(r).map((i) => ({
			code: i.code,
			table: i.where?.table,
			row: i.where?.row,
			column: i.where?.column,
			expected: i.expected,
			actual: i.actual
		}));
		expect(got).toEqual([
			{ code: 'rule_balance', table: '三', row: undefined, column: 'natural', expected: 49, actual: 50 },
			{ code: 'rule_balance', table: '三', row: undefined, column: 'total', expected: 59, actual: 60 },
			{ code: 'rule_outcomes', table: '三', row: 'total_processed', column: 'total', expected: 57, actual: 56 },
			{ code: 'rule_row_total', table: '三', row: 'unable_not_held', column: 'total', expected: 11, actual: 12 },
			{ code: 'rule_case_total', table: '四', row: 'review', column: 'total', expected: 4, actual: 3 },
			{ code: 'rule_case_total', table: '四', row: 'litigation_after_review', column: 'total', expected: 1, actual: 0 }
		]);
		for (const i of ruleIssues(r)) {
			expect(i.message).toContain(String(i.expected));
			expect(i.message).toContain(String(i.actual));
		}
	});

	it('md-pipes: full-width digits, thousands separators and units read; —, /, 无, - are 0 with dash_as_zero', () => {
		const r = parseFixture('md-pipes.md');
		expect(r.active?.licensing).toEqual({ decisions: 4521 });
		expect(r.active?.punishment).toEqual({ decisions: 812 });
		expect(r.active?.normative_documents).toEqual({ issued: 3, repealed: 1, in_force: 12 });
		expect(r.active?.fees).toEqual({ amount_10k_yuan: 356.78 });
		expect(r.requests.granted).toEqual({ natural: 20, commercial: 2, research: 1, ngo: 0, legal_service: 1, other: 0, total: 24 });
		expect(r.requests.unable_not_held?.total).toBe(11);
		const dashes = r.issues
			.filter((i) => i.code === 'dash_as_zero')
			.map((i) => `${i.where?.table}/${i.where?.row}/${i.where?.column}`)
			.sort();
		expect(dashes).toEqual(
			['二/regulations/issued', '三/granted/ngo', '三/granted/other', '三/denied_state_secret/natural', '四/review/other', '四/litigation_direct/other'].sort()
		);
		for (const i of r.issues.filter((x) => x.code === 'dash_as_zero')) expect(i.severity).toBe('info');
		expect(r.issues.map((i) => i.code)).not.toContain('cells_missing');
		expect(ruleIssues(r)).toEqual([]);
	});

	it('spaces-2019: a space-separated copy reads every row', () => {
		const r = parseFixture('spaces-2019.txt');
		expect(r.template).toBe('2019');
		expect(r.requests.rejected_excessive).toEqual({ natural: 0, commercial: 0, research: 0, ngo: 0, legal_service: 0, other: 0, total: 0 });
		expect(r.issues.map((i) => i.code)).not.toContain('cells_missing');
		expect(ruleIssues(r)).toEqual([]);
	});

	it('single-other-2021: template 2021, （六） in `other`, a template_mixed info issue', () => {
		const r = parseFixture('single-other-2021.html');
		expect(r.template).toBe('2021');
		expect(r.requests.other).toEqual({ natural: 3, commercial: 1, research: 0, ngo: 0, legal_service: 0, other: 0, total: 4 });
		for (const row of OTHER_SPLIT_ROWS) expect(r.requests[row]).toBeNull();
		const mixed = r.issues.filter((i) => i.code === 'template_mixed');
		expect(mixed).toHaveLength(1);
		expect(mixed[0]).toMatchObject({ severity: 'info', where: { table: '三', row: 'other' } });
		expect(ruleIssues(r)).toEqual([]);
		// "356.78万元" under a 万元 header: kept as is, not rescaled.
		expect(r.active?.fees).toEqual({ amount_10k_yuan: 356.78 });
		expect(r.issues.map((i) => i.code)).not.toContain('unit_converted');
	});
});

// ---------------------------------------------------------------- bad inputs

/** A deterministic byte soup with NULs. */
function randomBytes(n: number, seed = 12345): Uint8Array {
	const out = new Uint8Array(n);
	let x = seed;
	for (let i = 0; i < n; i++) {
		x = (Math.imul(x, 1103515245) + 12345) >>> 0;
		out[i] = (x >>> 16) & 0xff;
	}
	out[3] = 0;
	return out;
}

const PNG = Uint8Array.from([
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x08, 0x06,
	0x00, 0x00, 0x00, 0x5c, 0x72, 0xa8, 0x66
]);
const PDF = new TextEncoder().encode('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n');
const DOCX = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00]);

function fixtureBytes(name: string): Uint8Array {
	return readFileSync(join(BAD, name));
}

const BAD_INPUTS: { name: string; bytes: () => Uint8Array; file: string; code: string; message: RegExp; contains?: string[] }[] = [
	{ name: 'empty file', bytes: () => new Uint8Array(0), file: 'empty.txt', code: 'empty', message: /空/ },
	{
		name: 'whitespace-only file',
		bytes: () => new TextEncoder().encode(' \n\t\u3000\u00a0 \r\n  \n'),
		file: 'blank.txt',
		code: 'empty',
		message: /空|没有文字/
	},
	{ name: 'random bytes with NULs', bytes: () => randomBytes(4096), file: 'noise.bin', code: 'binary', message: /二进制/ },
	{ name: 'a PNG image', bytes: () => PNG, file: 'report.png', code: 'binary', message: /二进制|图片|PNG/ },
	{ name: 'a PDF (no adapter yet)', bytes: () => PDF, file: 'report.pdf', code: 'unsupported_format', message: /PDF/ },
	{ name: 'a .docx (no adapter yet)', bytes: () => DOCX, file: 'report.docx', code: 'unsupported_format', message: /Word/ },
	{
		name: 'a news article',
		bytes: () => fixtureBytes('news-article.html'),
		file: 'news-article.html',
		code: 'not_report',
		message: /不是政府信息公开工作年度报告/
	},
	{
		name: 'a 解读 page about a report',
		bytes: () => fixtureBytes('interpretation.html'),
		file: 'interpretation.html',
		code: 'not_report',
		message: /解读/,
		contains: ['样例市交通运输局2023年政府信息公开工作年度报告']
	},
	{ name: 'half-year statistics (上半年)', bytes: () => fixtureBytes('half-year.html'), file: 'half-year.html', code: 'not_report', message: /半年/ },
	{
		name: 'a copy of the blank template',
		bytes: () => fixtureBytes('blank-template.html'),
		file: 'blank-template.html',
		code: 'no_numbers',
		message: /没有任何数字|模板/
	},
	{
		name: 'a 2017 report with the 政府信息公开情况统计表',
		bytes: () => fixtureBytes('pre2019-2017.txt'),
		file: 'pre2019-2017.txt',
		code: 'pre2019',
		message: /2017/,
		contains: ['no standard tables (pre-2019 format?)']
	},
	{
		name: 'table 三 stopping halfway',
		bytes: () => fixtureBytes('truncated.html'),
		file: 'truncated.html',
		code: 'truncated',
		message: /表三/,
		contains: ['（五）不予处理 1.信访举报投诉类申请', '（七）总计', '四、结转下年度继续办理']
	},
	{ name: 'a report with no year anywhere', bytes: () => fixtureBytes('no-year.html'), file: 'no-year.html', code: 'no_year', message: /年度|年份/ }
];

describe('bad inputs are refused with a specific code and message', () => {
	for (const b of BAD_INPUTS) {
		it(`${b.name} → ${b.code}`, () => {
			let error: unknown;
			let parsed: ParsedReport | undefined;
			try {
				parsed = parseReport(b.bytes(), b.file);
			} catch (e) {
				error = e;
			}
			expect(parsed, 'must not become a record').toBeUndefined();
			expect(error).toBeInstanceOf(ReportError);
			const e = error as ReportError;
			expect({ code: e.code, message: e.message }).toMatchObject({ code: b.code, message: expect.stringMatching(b.message) });
			for (const s of b.contains ?? []) expect(e.message).toContain(s);
			// One plain line: no stack, no newline, not an internal error.
			expect(e.message).not.toMatch(/\n|\bat\s|Error|undefined|NaN/);
			expect(e.message.length).toBeGreaterThan(4);
			expect(e.message.length).toBeLessThan(400);
		});
	}

	it('the messages tell the cases apart', () => {
		const messages = new Map<string, string>();
		for (const b of BAD_INPUTS) {
			try {
				parseReport(b.bytes(), b.file);
			} catch (e) {
				if (e instanceof ReportError) messages.set(b.name, e.message);
			}
		}
		// 解读, 半年 and a news page are all not_report, but each says which.
		const notReport = ['a news article', 'a 解读 page about a report', 'half-year statistics (上半年)'].map((n) => messages.get(n));
		expect(new Set(notReport).size).toBe(3);
	});
});

// ---------------------------------------------------------------- robustness

/** Parse, or a ReportError: nothing else may come out (no hang, no TypeError, no RangeError). */
function parseOrRefuse(bytes: Uint8Array, file: string): { record?: ParsedReport; code?: string; ms: number } {
	const start = performance.now();
	try {
		const record = parseReport(bytes, file);
		return { record, ms: performance.now() - start };
	} catch (e) {
		if (!(e instanceof ReportError)) throw e;
		return { code: e.code, ms: performance.now() - start };
	}
}

const enc = (s: string) => new TextEncoder().encode(s);
const reportBody = () => {
	const html = readFileSync(join(DIR, 'utf8-bom.html'), 'utf8').replace(/^\ufeff/, '');
	return html;
};

describe('hostile inputs finish with a record or a ReportError', () => {
	it('<td colspan="100000" rowspan="100000"> in a report', () => {
		const html = reportBody().replace('<td colspan="7">申请人情况</td>', '<td colspan="100000" rowspan="100000">申请人情况</td>');
		const alone = '<html><body><table><tr><td colspan="100000">1</td><td colspan="99999999999">2</td></tr></table></body></html>';
		const a = parseOrRefuse(enc(html), 'colspan.html');
		const b = parseOrRefuse(enc(alone), 'colspan-alone.html');
		console.log(`colspan: ${a.ms.toFixed(0)} ms (${a.code ?? 'record'}), alone ${b.ms.toFixed(0)} ms (${b.code ?? 'record'})`);
		// The span is clamped, so the report still reads as it does without it; the lone table is no report.
		expect(a.code).toBeUndefined();
		expect(comparable(a.record!)).toEqual(comparable(expectedOf('utf8-bom')));
		expect(b.code).toBe('not_report');
	});

	it('10,000 nested <div> and <span> tags', () => {
		const n = 10_000;
		const divs = '<div>'.repeat(n) + '样例市交通运输局' + '</div>'.repeat(n);
		const spans = '<span>'.repeat(n) + '2023年' + '</span>'.repeat(n);
		const cells = '<table><tr>' + '<td><div>'.repeat(n) + '1' + '</div></td>'.repeat(n) + '</tr></table>';
		for (const [name, html] of [
			['divs', `<html><body>${divs}</body></html>`],
			['spans', `<html><body><p>${spans}</p></body></html>`],
			['cells', `<html><body>${cells}</body></html>`],
			['report in divs', '<div>'.repeat(n) + reportBody() + '</div>'.repeat(n)]
		] as const) {
			const r = parseOrRefuse(enc(html), `${name}.html`);
			console.log(`nested ${name}: ${r.ms.toFixed(0)} ms (${r.code ?? 'record'})`);
			if (name !== 'report in divs') expect(r.code, name).toBe('not_report');
			else {
				expect(r.code, name).toBeUndefined();
				expect(comparable(r.record!)).toEqual(comparable(expectedOf('utf8-bom')));
			}
		}
	});

	it('a ~20 MB HTML page', () => {
		const filler = '<p>样例市交通运输局持续推进政务公开标准化规范化建设，做好重点领域信息公开。第1条。</p>\n';
		const target = 20 * 1024 * 1024;
		const bytesPer = enc(filler).length;
		const body = reportBody();
		const html = '<html><body>' + filler.repeat(Math.ceil(target / 2 / bytesPer)) + body + filler.repeat(Math.ceil(target / 2 / bytesPer)) + '</body></html>';
		const bytes = enc(html);
		expect(bytes.length).toBeGreaterThan(19 * 1024 * 1024);
		const r = parseOrRefuse(bytes, 'huge.html');
		console.log(`20 MB: ${(bytes.length / 1048576).toFixed(1)} MB in ${r.ms.toFixed(0)} ms (${r.code ?? 'record'})`);
		// The report sits 10 MB down, past the bounded windows the title and period are looked for in
		// (metadata.ts, kept for speed): refused for want of a year, never misread.
		expect(r.code).toBe('no_year');

		// A 20 MB table: 200,000 rows of numbers.
		const rows = '<tr><td>行政许可</td><td>1</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td><td>7</td><td>8</td></tr>\n';
		const table = '<html><body><table>' + rows.repeat(Math.ceil(target / enc(rows).length)) + '</table></body></html>';
		const t = parseOrRefuse(enc(table), 'huge-table.html');
		console.log(`20 MB table: ${t.ms.toFixed(0)} ms (${t.code ?? 'record'})`);
		// Numbers without a title or period: refused, for the first thing missing.
		expect(t.code).toBe('no_year');
	});
});

describe('a JSON record given to parse', () => {
	it('is refused as data, pointing to ingest', () => {
		const bytes = new TextEncoder().encode(JSON.stringify({ schema: 1, agency: '样例局', year: 2023 }));
		expect(() => parseReport(bytes, 'record.json')).toThrowError(/JSON 数据不是报告文档.*ingest/);
		expect(() => parseReport(bytes, 'record.txt')).toThrowError(/JSON 数据不是报告文档/);
	});
});
