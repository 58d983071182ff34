import type { AgencyInfo } from '$lib/agencies/index';
import { TABLE_NAMES, TABLES, type TableName } from '$lib/dataset/columns';
import { buildTables, type DatasetEntry, type ReportRow } from '$lib/dataset/tables';
import type { Runner } from '$lib/db/queries';
import { list, sql } from '$lib/db/sql';

/**
 * A parsed upload joins the loaded tables for this session: the same rows the
 * CLI's ingest would write (buildTables), inserted with Engine.insert. One
 * report per agency and year, as in the bundled data: a report of the same
 * agency and year is removed first, and the caller says which one.
 */
export interface SessionWriter extends Runner {
	insert(rows: Partial<Record<TableName, readonly Record<string, unknown>[]>>): Promise<void>;
}

export function isSessionWriter(r: Runner | null): r is SessionWriter {
	return !!r && typeof (r as Partial<SessionWriter>).insert === 'function';
}

export interface Added {
	report: ReportRow;
	agency: AgencyInfo;
	/** The source file of the report this one replaced, or null. */
	replaced: string | null;
	/** The agency was not in the data before. */
	newAgency: boolean;
}

/** The tables whose rows belong to one report (every one with a report_id column), reports last. */
const REPORT_TABLES = TABLE_NAMES.filter(
	(t) => t !== 'reports' && (TABLES[t] as readonly (readonly [string, string])[]).some(([c]) => c === 'report_id')
).concat(['reports']);

export async function addToSession(db: SessionWriter, entry: DatasetEntry): Promise<Added> {
	const tables = buildTables([entry]);
	const report = tables.reports[0];
	const agency = tables.agencies[0];
	const ids = [report.report_id];
	// Scoped to this report: only its row groups are read, even at 100,000 reports.
	const scope = { reports: ids };
	const [before] = await db.query<{ source_file: string }>(sql`SELECT source_file FROM reports WHERE report_id IN (${list(ids)})`, scope);
	for (const t of REPORT_TABLES) await db.query({ text: `DELETE FROM ${t} WHERE report_id = ?`, params: [report.report_id] }, scope);
	const [known] = await db.query<{ id: string }>(sql`SELECT id FROM agencies WHERE id = ${agency.id}`);
	// Every table buildTables makes, whatever the dataset's schema holds.
	const rows: Partial<Record<TableName, readonly Record<string, unknown>[]>> = {};
	for (const [t, list] of Object.entries(tables) as [TableName, Record<string, unknown>[]][]) if (TABLE_NAMES.includes(t)) rows[t] = list;
	if (known) rows.agencies = [];
	await db.insert(rows);
	return { report, agency, replaced: before?.source_file ?? null, newAgency: !known };
}

/** Hex SHA-256 of the file's bytes (the dataset's `sha256` column). */
export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
	const digest = await crypto.subtle.digest('SHA-256', bytes);
	return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
