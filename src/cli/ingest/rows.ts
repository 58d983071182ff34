import { createHash } from 'node:crypto';
import type { AgencyOverride } from '../../lib/agencies/index';
import { CONTINUITY_CODE, continuityIssues, type CarriedRows } from '../../lib/dataset/continuity';
import { TABLE_NAMES, type Row, type TableName } from '../../lib/dataset/columns';
import type { Origin } from '../../lib/dataset/origin';
import { originOfNote } from '../../lib/dataset/origin';
import { buildTables } from '../../lib/dataset/tables';
import { ByteWriter, compareText, csvBytes, sortRows, writeCsv } from './csv-rows';
import type { ReadEntry, SourceKind } from './read';
import { crc32 } from './zip';

/**
 * The dataset's rows of one report, built where the report is parsed (the
 * parse worker), while its record is in memory: the record is never written
 * out as JSON and read back. Each report's rows are kept as the dataset
 * writer's CSV lines, one segment per table, in the ingest cache; writing
 * the dataset then only lays the kept reports' segments end to end, agency
 * by agency, adding what needs a whole agency: its one `agencies` row (that
 * of its latest report) and the cross-year checks (continuity.ts).
 *
 * An entry (one report's rows) is a header line of JSON, then its segments:
 * TABLE_NAMES order, each the table's lines of the report, in table order.
 */

/** What a report's rows are built from besides its file's content: where it was read, and what overrides say of its agency. */
export interface RowContext {
	/** As the manifest names it (`file#line` for a JSON Lines entry). */
	sourceFile: string;
	kind: SourceKind;
	sha256: string;
	/** Where the document was published and fetched (read beside it, not from it). */
	origin?: Origin;
}

/** An entry's header: per table its rows and bytes; clean; where a continuity issue goes in its issues; the carried rows continuity compares. */
export interface EntryHead {
	rows: number[];
	len: number[];
	clean: boolean;
	/** Bytes of the report's issue lines that sort before (or tie with) a continuity issue: a continuity issue's lines go after them. */
	cut: number;
	carry: CarriedRows['requests'];
}

/** Bytes of a context key (a truncated sha256). */
export const CONTEXT_BYTES = 16;

/** Everything a report's rows depend on outside its file's content, hashed: equal keys (and equal content and code), equal rows. */
export function contextKey(ctx: RowContext, override: AgencyOverride | undefined): Uint8Array {
	const digest = createHash('sha256')
		.update(JSON.stringify([ctx.sourceFile, ctx.kind, ctx.sha256, ctx.origin ?? null, override ?? null]))
		.digest();
	return new Uint8Array(digest.buffer, digest.byteOffset, CONTEXT_BYTES);
}

const encoder = new TextEncoder();
const segmentsOut = new ByteWriter();
const decoder = new TextDecoder();

/**
 * One report → its entry (header and segments), and its rows per table. The
 * same code on a parse worker and, for an entry lost from the cache, on the
 * main thread.
 */
export function reportEntry(e: ReadEntry, ctx: RowContext, overrides: Map<string, AgencyOverride>): { bytes: Uint8Array; rows: number[] } {
	const origin = ctx.origin ?? originOfNote(e.source) ?? undefined;
	const tables = buildTables(
		[{ record: e.record, issues: e.issues, provenance: e.provenance, scope: e.scope, origin, sourceFile: ctx.sourceFile, sha256: ctx.sha256, kind: ctx.kind }],
		overrides
	);
	// The segments are written to one buffer, reused from report to report, then copied behind the header.
	const out = segmentsOut;
	out.length = 0;
	const rows: number[] = [];
	const len: number[] = [];
	let cut = 0;
	for (const name of TABLE_NAMES) {
		const list = tables[name] as unknown as Record<string, unknown>[];
		const sorted = sortRows(name, list);
		rows.push(list.length);
		const start = out.length;
		if (name === 'issues') {
			// One report's issues are in (report_id, code) order: those up to CONTINUITY_CODE come before any continuity issue (a stable sort keeps ties first).
			let n = 0;
			while (n < sorted.length && compareText(String(sorted[n].code), CONTINUITY_CODE) <= 0) n++;
			writeCsv(out, name, sorted, 0, n);
			cut = out.length - start;
			writeCsv(out, name, sorted, n);
		} else writeCsv(out, name, sorted);
		len.push(out.length - start);
	}
	const head: EntryHead = {
		rows,
		len,
		clean: tables.reports[0].status === 'clean',
		cut,
		carry: { carried_forward: e.record.requests.carried_forward, carried_over: e.record.requests.carried_over }
	};
	// Into a plain ArrayBuffer of the exact size: moving one that TextEncoder.encode allocated to another thread cost ~90 µs
	// (V8 copies its memory), this ~6 µs.
	const text = JSON.stringify(head) + '\n';
	const size = Buffer.byteLength(text);
	const bytes = new Uint8Array(new ArrayBuffer(size + out.length));
	encoder.encodeInto(text, bytes);
	bytes.set(out.bytes.subarray(0, out.length), size);
	return { bytes, rows };
}

/** An entry's header and where each table's segment is in it; null when the bytes are not an entry (a cache damaged on disk). */
export function readEntry(bytes: Uint8Array): { head: EntryHead; at: number[] } | null {
	const nl = bytes.indexOf(0x0a);
	if (nl < 0) return null;
	let head: EntryHead;
	try {
		head = JSON.parse(decoder.decode(bytes.subarray(0, nl))) as EntryHead;
	} catch {
		return null;
	}
	if (!Array.isArray(head.len) || head.len.length !== TABLE_NAMES.length || !Array.isArray(head.rows) || head.rows.length !== TABLE_NAMES.length) return null;
	const at: number[] = [];
	let p = nl + 1;
	for (const n of head.len) {
		at.push(p);
		p += n;
	}
	return p === bytes.length ? { head, at } : null;
}

/** One agency's rows: per table its row count and the byte length of its lines. */
export interface BuiltGroup {
	rows: number[];
	lengths: number[];
	/** CRC-32 of its lines, per table: the CSV zip's parts are checked without reading every byte again (zip-parts.ts). */
	crc: number[];
	clean: number;
	/** Messages of the cross-year checks (continuity), in order. */
	across: string[];
}

/** A kept report of an agency: its entry's bytes, read (readEntry), and the keys its rows carry. */
export interface GroupReport {
	bytes: Uint8Array;
	entry: { head: EntryHead; at: number[] };
	key: Pick<Row<'reports'>, 'report_id' | 'agency_id' | 'agency' | 'year'>;
}

/**
 * One agency's lines per table (TABLE_NAMES order) from its kept reports'
 * entries, in report id order: each table's segments end to end, the
 * agency's row that of its latest report (as buildTables names an agency),
 * and the cross-year issues placed in their reports' issues.
 */
export function assembleGroup(reports: readonly GroupReport[]): { lines: Uint8Array[]; group: BuiltGroup } {
	const entries = reports.map((r) => r.entry);
	const across = continuityIssues(
		reports.map((r) => r.key),
		entries.map((e) => ({ requests: e.head.carry }))
	);
	const extra = new Map<string, Row<'issues'>[]>();
	for (const i of across) extra.set(i.report_id, [...(extra.get(i.report_id) ?? []), i]);
	const lines = TABLE_NAMES.map((name: TableName, t) => {
		if (name === 'agencies') {
			const last = entries.length - 1;
			return reports[last].bytes.subarray(entries[last].at[t], entries[last].at[t] + entries[last].head.len[t]);
		}
		const pieces: Uint8Array[] = [];
		entries.forEach((e, k) => {
			const seg = reports[k].bytes.subarray(e.at[t], e.at[t] + e.head.len[t]);
			const added = name === 'issues' ? extra.get(reports[k].key.report_id) : undefined;
			if (!added) pieces.push(seg);
			else pieces.push(seg.subarray(0, e.head.cut), csvBytes(name, added as unknown as Record<string, unknown>[]), seg.subarray(e.head.cut));
		});
		return pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
	});
	const group: BuiltGroup = {
		rows: TABLE_NAMES.map((name, t) => (name === 'agencies' ? 1 : entries.reduce((n, e) => n + e.head.rows[t], 0) + (name === 'issues' ? across.length : 0))),
		lengths: lines.map((l) => l.length),
		crc: lines.map((l) => crc32(l)),
		clean: entries.reduce((n, e) => n + (e.head.clean ? 1 : 0), 0),
		across: across.map((i) => i.message)
	};
	return { lines, group };
}
