import type { Summary } from './choice';
import { readScopeStatement, type ScopeStatement } from '../../lib/agencies/scope';
import {
	checkRecord,
	isReportError,
	parseDocument,
	proseIssues,
	readDocument,
	toRecord,
	validateRecord,
	type ReportIssue,
	type ReportRecord
} from '../../lib/report/index';
import type { FactProvenance } from '../../lib/dataset/tables';

export type SourceKind = 'document' | 'record';

export interface ReadEntry {
	record: ReportRecord;
	issues: ReportIssue[];
	/** How each cell was read, as parsed (a document's; `facts` keeps how, row, page and reason). */
	provenance?: FactProvenance;
	/** What a document's prose says about its scope (records have no prose). */
	scope?: ScopeStatement | null;
	/** For JSON Lines: which line. */
	line?: number;
	/** An imported record's `_source` note: where it was transcribed from (dataset/origin.ts). */
	source?: string;
}

export type Failure = { ok: false; reason: string };
export type ReadOutcome = { ok: true; entries: ReadEntry[] } | Failure;
/** Entries of rows (rows.ts) a parse worker sends ahead of its answer: `sizes`, each entry's bytes, end to end in `bytes`. */
export interface EntryPart {
	bytes: Uint8Array;
	sizes: number[];
}
/** What a parse worker answers, after its entries' parts: the summaries of its entries, in the same order. */
export type PackedOutcome = { ok: true; summaries: Summary[] } | Failure;

/** A document → one parsed record; a JSON / JSON Lines file → validated records. */
export async function readSource(bytes: Uint8Array, path: string, kind: SourceKind): Promise<ReadOutcome> {
	if (kind === 'document') {
		try {
			const doc = await readDocument(bytes, path);
			const { issues, provenance, ...record } = parseDocument(doc);
			// The prose's counts against the tables: issues beside the parser's, never a number changed.
			issues.push(...proseIssues(doc.lines, record));
			const scope = readScopeStatement(doc.lines);
			// What the parser gives is held to the same contract as an imported record before anything is written.
			const errors = validateRecord(record);
			if (errors.length)
				return { ok: false, reason: `解析结果不符合 schema.md：${errors.slice(0, 3).join('；')}${errors.length > 3 ? ` 等 ${errors.length} 处` : ''}` };
			return { ok: true, entries: [{ record: toRecord(record), issues, provenance, scope }] };
		} catch (e) {
			if (isReportError(e)) return { ok: false, reason: e.message };
			return { ok: false, reason: `解析器内部错误：${e instanceof Error ? e.message : String(e)}` };
		}
	}
	return readRecords(new TextDecoder('utf-8').decode(bytes));
}

/** One JSON record, or JSON Lines of records; each validated against schema.md. */
export function readRecords(text: string): ReadOutcome {
	const body = text.replace(/^\ufeff/, '').trim();
	if (!body) return { ok: false, reason: '文件为空' };
	let objects: { value: unknown; line?: number }[];
	try {
		objects = [{ value: JSON.parse(body) }];
	} catch {
		objects = [];
		const lines = body.split(/\r?\n/);
		for (let i = 0; i < lines.length; i++) {
			if (!lines[i].trim()) continue;
			try {
				objects.push({ value: JSON.parse(lines[i]), line: i + 1 });
			} catch (e) {
				return { ok: false, reason: `第 ${i + 1} 行不是合法的 JSON（${e instanceof Error ? e.message : String(e)}）` };
			}
		}
	}
	if (objects.length === 1 && Array.isArray(objects[0].value)) objects = (objects[0].value as unknown[]).map((value, i) => ({ value, line: i + 1 }));
	const entries: ReadEntry[] = [];
	for (const { value, line } of objects) {
		const errors = validateRecord(value);
		if (errors.length) {
			const at = line ? `第 ${line} 条记录` : '记录';
			return { ok: false, reason: `${at}不符合 schema.md：${errors.slice(0, 3).join('；')}${errors.length > 3 ? ` 等 ${errors.length} 处` : ''}` };
		}
		const record = toRecord(value as Record<string, unknown>);
		const source = (value as Record<string, unknown>)._source;
		entries.push({ record, issues: checkRecord(record), line, ...(typeof source === 'string' && source.trim() ? { source } : {}) });
	}
	return { ok: true, entries };
}
