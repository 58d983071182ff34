import { cell, type Cell, type ReportDocument } from '../document';
import { labelKey, toHalfWidth } from '../normalize';
import { readingKey, type Readings } from '../provenance';
import { ACTIVE_ROW_LABELS, CASE_FIELDS, CASE_GROUPS, REQUEST_ROW_LABELS, type ActiveRowKey, type ReportIssue } from '../schema';
import { activeFields, TEMPLATES, type TemplateDescriptor } from '../template/index';
import { ACTIVE_ROW_PATTERNS, CASES_TABLE_START, REQUESTS_FIRST_ROW, REQUESTS_TABLE_START } from '../template/labels';
import { proseClaims } from '../prose';
import { activeCost, decideCases, decideRequests, type RequestRun } from './decide';
import { choose } from './choose';
import { runWitness } from './witness';
import { requestReader } from './requests';
import type { RowView } from './rows';
import { prepareRun, splitRun } from './split';

/**
 * Text whose table cells ran together ("行政许可3960181", "一、本年新收政府信息
 * 公开申请数量230 000023"): page-to-text dumps keep each row as its label
 * followed by one run of digits. This reads the runs in the order the tables
 * print them, splits each by the template's cell counts and arithmetic
 * (decide.ts), with the report's prose as a witness where those leave a
 * choice (table 二 has no arithmetic: there the prose is the only one), and
 * hands the mapping an ordinary document of exact cells plus how every cell
 * was decided.
 */

/** Where the run-together tables start: table 二's first block header. */
const TABLES_START = /第二十条/;
/** A run of digits: spaces inside are boundaries the text kept; a decimal part and a unit stay on it. */
const RUN = /[+-]?\d[\d +-]*(?:\.\d+)?(?:万元|元)?/g;
/** Table 三's first row with its label glued to its run: the sign that the cells ran together. */
const GLUED_FIRST_ROW = /新收政府信息公开申请数量(\d[\d ]*)/;
/** Seven cells make at least seven digits. */
const MIN_ROW_DIGITS = 7;

export function looksGlued(lines: readonly string[]): boolean {
	for (const line of lines) {
		const m = GLUED_FIRST_ROW.exec(toHalfWidth(line));
		if (m && m[1].replace(/ /g, '').length >= MIN_ROW_DIGITS) return true;
	}
	return false;
}

interface Chunk {
	/** Half-width, for matching. */
	label: string;
	/** The same characters as the document prints them (toHalfWidth keeps every position), for messages and provenance. */
	printed: string;
	run: string;
}

/**
 * Label / run pairs from the tables' start. A sub-row's own number ("2.其他法
 * 律…") glued to the run before it goes back to its label. `raw` is `text`
 * before toHalfWidth, position for position.
 */
function chunksOf(text: string, raw: string): Chunk[] {
	const chunks: Chunk[] = [];
	/** Where the next label starts: after the last run, or earlier where a run gave its digits or was empty. */
	let labelStart = 0;
	for (const m of text.matchAll(RUN)) {
		const label = text.slice(labelStart, m.index);
		const printed = raw.slice(labelStart, m.index);
		const last = m.index + m[0].length;
		labelStart = last;
		let run = m[0];
		if (/^[.、]\D/.test(text.slice(last, last + 2)) && /[1-9]$/.test(run)) {
			run = run.slice(0, -1);
			labelStart = last - 1;
		}
		if (!run.trim()) {
			labelStart = m.index - label.length;
			continue;
		}
		chunks.push({ label: label.trim(), printed: printed.trim(), run: run.trim() });
	}
	return chunks;
}

/** The table 二 row a label ends with, and where that row's own text starts. */
function activeRowAt(label: string): { key: ActiveRowKey; at: number } | undefined {
	for (let at = 0; at < label.length; at++) {
		const key = labelKey(label.slice(at));
		const hit = ACTIVE_ROW_PATTERNS.find(([, re]) => re.test(key));
		if (hit && key.length <= 12) return { key: hit[0], at };
	}
	return undefined;
}

function templateOf(headers: string): TemplateDescriptor {
	const votes = TEMPLATES.map((t) => ({ t, v: (headers.match(new RegExp(t.markers.headers.source, 'g')) ?? []).length }));
	return votes.reduce((a, b) => (b.v > a.v ? b : a)).t;
}

export interface Unglued {
	doc: ReportDocument;
	readings: Readings;
	issues: ReportIssue[];
}

function rowOf(label: string, values: readonly string[]): Cell[] {
	return [cell(label), ...values.map((v) => cell(v))];
}

/** Run-together tables → a document of exact cells, and how each was decided. */
export function unglue(doc: ReportDocument): Unglued {
	const raw = doc.lines.join(' ');
	const text = toHalfWidth(raw);
	const start = text.search(TABLES_START);
	const chunks = start < 0 ? [] : chunksOf(text.slice(start), raw.slice(start));
	const readings: Readings = new Map();
	const issues: ReportIssue[] = [];
	const claims = proseClaims(start < 0 ? doc.lines : [text.slice(0, start)]);

	const requestsAt = chunks.findIndex((c) => REQUESTS_TABLE_START.test(labelKey(c.label)) || REQUESTS_FIRST_ROW.test(c.label));
	const activeChunks = requestsAt < 0 ? chunks : chunks.slice(0, requestsAt);
	const template = templateOf(activeChunks.map((c) => labelKey(c.label)).join('|'));

	const active: Cell[][] = [];
	for (const c of activeChunks) {
		const hit = activeRowAt(c.label);
		const fields = hit && activeFields(template.id, hit.key);
		if (!hit || !fields) continue;
		const header = c.printed.slice(0, hit.at).trim();
		if (header) active.push([cell(header)]);
		const run = prepareRun(c.run);
		const amountAt = fields.findIndex((f) => f.startsWith('amount'));
		const options = { n: fields.length, maxDigits: 12, decimalCells: amountAt < 0 ? [] : [amountAt] };
		const { readings: layout } = splitRun(run, options, 512);
		if (layout.length === 0) continue;
		const witness = runWitness(
			claims,
			fields.map((f) => `active.${hit.key}.${f}`)
		);
		const witnessed = witness && { readings: splitRun(run, { ...options, accept: witness.holds }, 512).readings, reason: witness.reason };
		const choice = choose(layout, [], activeCost(fields), witnessed);
		active.push(rowOf(c.printed.slice(hit.at), choice.cells));
		readings.set(readingKey('二', hit.key), choice.readings);
		report(issues, '二', hit.key, ACTIVE_ROW_LABELS[hit.key], c.run, choice);
	}

	const requests: Cell[][] = [];
	const cases: Cell[][] = [];
	if (requestsAt >= 0) {
		const runs: RequestRun[] = [];
		const reader = requestReader([]);
		reader.open();
		let casesAt = -1;
		for (let i = requestsAt; i < chunks.length; i++) {
			let { label, printed } = chunks[i];
			if (i === requestsAt) {
				const at = Math.max(0, label.search(/一、本年新收|本年(度)?新收/));
				label = label.slice(at);
				printed = printed.slice(at);
			}
			if (runs.length > 0 && CASES_TABLE_START.test(labelKey(label))) {
				casesAt = i;
				break;
			}
			const view: RowView = { label: labelKey(label), printed, labelCells: [printed], values: [chunks[i].run], exact: false };
			const before = reader.rows.size;
			const done = reader.read(view);
			const key = [...reader.rows].find(([, v]) => v === view)?.[0];
			if (key && reader.rows.size > before) runs.push({ key, label: printed, run: chunks[i].run });
			if (done) {
				casesAt = i + 1;
				break;
			}
		}
		for (const r of decideRequests(runs, claims)) {
			requests.push(rowOf(r.label, r.choice.cells));
			readings.set(readingKey('三', r.key), r.choice.readings);
			report(issues, '三', r.key, REQUEST_ROW_LABELS[r.key], r.run, r.choice);
		}
		const casesChunk = casesAt >= 0 ? chunks[casesAt] : undefined;
		if (casesChunk && CASES_TABLE_START.test(labelKey(casesChunk.label))) {
			const choice = decideCases(casesChunk.run, template.cases.groups.length * template.cases.fields.length, claims);
			if (choice) {
				// The header's own text is long; its first words carry the marker the segmenter looks for.
				cases.push([cell(casesChunk.printed.slice(casesChunk.label.search(/行政复议/)).slice(0, 30))]);
				cases.push(choice.cells.map((v) => cell(v)));
				CASE_GROUPS.forEach((g, gi) => readings.set(readingKey('四', g), choice.readings.slice(gi * CASE_FIELDS.length, (gi + 1) * CASE_FIELDS.length)));
				report(issues, '四', 'review', '行政复议、行政诉讼', casesChunk.run, choice);
			}
		}
	}
	const tables = [active, requests, cases].filter((t) => t.length > 0).map((rows) => ({ rows, exactCells: true }));
	return { doc: { lines: doc.lines, titles: doc.titles, tables }, readings, issues };
}

/** One issue per row the layout left open: inferred by the arithmetic (or the prose), or still ambiguous. */
function report(issues: ReportIssue[], table: '二' | '三' | '四', row: string, name: string, run: string, choice: ReturnType<typeof choose>): void {
	if (choice.outcome === 'read') return;
	const printed = choice.cells.join(' | ');
	const prose = choice.readings.find((r) => r.reason)?.reason;
	const by = prose ? `按表格的勾稽关系和报告正文（${prose}）` : '按表格的勾稽关系';
	if (choice.outcome === 'inferred')
		issues.push({
			code: 'reading_inferred',
			severity: 'info',
			message: `表${table}「${name}」的数字连在一起（${run}），${by}只有一种拆法：${printed}`,
			where: { table, row }
		});
	else
		issues.push({
			code: 'reading_ambiguous',
			severity: 'warning',
			message: `表${table}「${name}」的数字连在一起（${run}），可有多种拆法${prose ? `（报告正文${prose.slice(3)}排除了一部分）` : ''}，取 ${printed}；标为存疑的单元格请核对原件`,
			where: { table, row }
		});
}
