import { parquetMetadata, parquetMetadataAsync, parquetRead, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { DATASET_SCHEMA_VERSION, TABLES, type ColumnSpec, type Manifest, type TableName } from '$lib/dataset/columns';
import { LoadError, messageOf } from './errors';
import { START_COLUMNS, type StartTable } from './start';

/** A table the page decodes: one of the dataset's, or one the build derived for the start. */
export type Decodable = TableName | StartTable;

/** A decodable table's columns (TABLES, START_COLUMNS). */
export function columnsOf(table: Decodable): readonly ColumnSpec[] {
	return table in TABLES ? TABLES[table as TableName] : START_COLUMNS[table as StartTable];
}

/** A decoded Parquet table (or some of its rows), column by column, in the column order of columnsOf. */
export type Cell = string | number | null;
export interface DecodedTable {
	table: Decodable;
	rows: number;
	columns: Record<string, Cell[]>;
}

/** One row group of a file: its rows and the range of its sort key (report_id), when the file says. */
export interface RowGroupInfo {
	index: number;
	rowStart: number;
	rowEnd: number;
	minKey: string | null;
	maxKey: string | null;
}

/** An opened Parquet file: its footer, checked against TABLES, and its row groups. */
export interface ParquetFile {
	table: Decodable;
	file: string;
	buffer: AsyncBuffer;
	metadata: FileMetaData;
	groups: RowGroupInfo[];
}

function normalize(v: unknown): Cell {
	if (v === undefined || v === null) return null;
	if (typeof v === 'bigint') return Number(v);
	if (typeof v === 'number' || typeof v === 'string') return v;
	return String(v);
}

function keyOf(v: unknown): string | null {
	if (typeof v === 'string') return v;
	if (v instanceof Uint8Array) return new TextDecoder().decode(v);
	return null;
}

function checkColumns(table: Decodable, file: string, metadata: FileMetaData): void {
	const present = new Set(metadata.schema.map((s) => s.name));
	const missing = columnsOf(table)
		.map(([name]) => name)
		.filter((n) => !present.has(n));
	if (missing.length) throw new LoadError('file_columns', file, missing.join(', '));
}

function groupsOf(metadata: FileMetaData, key: string): RowGroupInfo[] {
	let start = 0;
	return metadata.row_groups.map((rg, index) => {
		const stats = rg.columns.find((c) => c.meta_data?.path_in_schema.join('.') === key)?.meta_data?.statistics;
		const rows = Number(rg.num_rows);
		const g = { index, rowStart: start, rowEnd: start + rows, minKey: keyOf(stats?.min_value ?? stats?.min), maxKey: keyOf(stats?.max_value ?? stats?.max) };
		start += rows;
		return g;
	});
}

/**
 * The footer of a Parquet file behind `buffer` (one read of its last
 * `footerLength` + 8 bytes when known); not Parquet, or lacking a column, is
 * a LoadError naming the file.
 */
export async function openParquet(table: Decodable, file: string, buffer: AsyncBuffer, footerLength?: number): Promise<ParquetFile> {
	let metadata: FileMetaData;
	try {
		metadata = await parquetMetadataAsync(buffer, { initialFetchSize: Math.min(buffer.byteLength, footerLength !== undefined ? footerLength + 8 : 1 << 16) });
	} catch (e) {
		if (e instanceof LoadError) throw e;
		throw new LoadError('file_corrupt', file, messageOf(e));
	}
	checkColumns(table, file, metadata);
	return { table, file, buffer, metadata, groups: groupsOf(metadata, columnsOf(table)[0][0]) };
}

/** Rows [rowStart, rowEnd) of an opened file (whole row groups are read; only these rows are kept). */
export async function decodeRows(f: ParquetFile, rowStart = 0, rowEnd = Number(f.metadata.num_rows)): Promise<DecodedTable> {
	const wanted = columnsOf(f.table).map(([name]) => name);
	const rows = rowEnd - rowStart;
	const columns: Record<string, Cell[]> = Object.fromEntries(wanted.map((n) => [n, new Array<Cell>(rows).fill(null)]));
	try {
		await parquetRead({
			file: f.buffer,
			metadata: f.metadata,
			columns: wanted,
			rowStart,
			rowEnd,
			onChunk: ({ columnName, columnData, rowStart: at }) => {
				const dst = columns[columnName];
				if (!dst) return;
				const from = Math.max(rowStart, at);
				const to = Math.min(rowEnd, at + columnData.length);
				for (let i = from; i < to; i++) dst[i - rowStart] = normalize(columnData[i - at]);
			}
		});
	} catch (e) {
		if (e instanceof LoadError) throw e;
		throw new LoadError('file_corrupt', f.file, messageOf(e));
	}
	return { table: f.table, rows, columns };
}

/** A whole file in memory as an AsyncBuffer. */
export function memoryBuffer(bytes: ArrayBuffer): AsyncBuffer {
	return { byteLength: bytes.byteLength, slice: (start, end) => bytes.slice(start, end) };
}

/** Parquet bytes → columns; a file that is not Parquet, or lacks a column, is a LoadError naming it. */
export async function decodeTable(table: Decodable, file: string, bytes: ArrayBuffer): Promise<DecodedTable> {
	let metadata: FileMetaData;
	try {
		metadata = parquetMetadata(bytes);
	} catch (e) {
		throw new LoadError('file_corrupt', file, messageOf(e));
	}
	checkColumns(table, file, metadata);
	return decodeRows({ table, file, buffer: memoryBuffer(bytes), metadata, groups: groupsOf(metadata, columnsOf(table)[0][0]) });
}

/** manifest.json text → Manifest, checked enough that a broken one is reported, not half-used. */
export function parseManifest(text: string, file = 'manifest.json'): Manifest {
	let m: unknown;
	try {
		m = JSON.parse(text);
	} catch (e) {
		throw new LoadError('manifest_invalid', file, messageOf(e));
	}
	const o = m as Partial<Manifest> | null;
	if (!o || typeof o.dataset_version !== 'string' || typeof o.files !== 'object' || o.files === null)
		throw new LoadError('manifest_invalid', file, 'dataset_version / files');
	// A dataset another version of ingest wrote is whole, just laid out differently (schema ≤ 7: one file per table): say so, not "damaged".
	if (o.schema_version !== DATASET_SCHEMA_VERSION)
		throw new LoadError('manifest_version', file, `schema_version ${String(o.schema_version ?? '?')}, this dashboard reads ${DATASET_SCHEMA_VERSION}`);
	for (const t of Object.keys(TABLES) as TableName[]) {
		const parts: unknown = o.files[t];
		// A list of parts (schema 8).
		if (!Array.isArray(parts) || parts.length === 0 || !parts.every((f) => typeof f === 'string' && /^[\w.-]+\.parquet$/.test(f)))
			throw new LoadError('manifest_invalid', file, `files.${t}`);
		const bytes: unknown = o.bytes?.[t];
		if (bytes !== undefined && (!Array.isArray(bytes) || bytes.length !== parts.length || !bytes.every((b) => Number.isInteger(b) && b > 0)))
			throw new LoadError('manifest_invalid', file, `bytes.${t}`);
	}
	return o as Manifest;
}
