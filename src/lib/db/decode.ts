import { parquetMetadata, parquetRead } from 'hyparquet';
import { TABLES, type Manifest, type TableName } from '$lib/dataset/columns';
import { LoadError, messageOf } from './errors';

/** A decoded Parquet table, column by column, in the column order of TABLES. */
export type Cell = string | number | null;
export interface DecodedTable {
	table: TableName;
	rows: number;
	columns: Record<string, Cell[]>;
}

function normalize(v: unknown): Cell {
	if (v === undefined || v === null) return null;
	if (typeof v === 'bigint') return Number(v);
	if (typeof v === 'number' || typeof v === 'string') return v;
	return String(v);
}

/** Parquet bytes → columns; a file that is not Parquet, or lacks a column, is a LoadError naming it. */
export async function decodeTable(table: TableName, file: string, bytes: ArrayBuffer): Promise<DecodedTable> {
	let metadata;
	try {
		metadata = parquetMetadata(bytes);
	} catch (e) {
		throw new LoadError('file_corrupt', file, messageOf(e));
	}
	const present = new Set(metadata.schema.map((s) => s.name));
	const wanted = TABLES[table].map(([name]) => name);
	const missing = wanted.filter((n) => !present.has(n));
	if (missing.length) throw new LoadError('file_columns', file, missing.join(', '));
	const rows = Number(metadata.num_rows);
	const columns: Record<string, Cell[]> = Object.fromEntries(wanted.map((n) => [n, new Array<Cell>(rows).fill(null)]));
	try {
		await parquetRead({
			file: bytes,
			metadata,
			columns: wanted,
			onChunk: ({ columnName, columnData, rowStart }) => {
				const dst = columns[columnName];
				if (!dst) return;
				for (let i = 0; i < columnData.length && rowStart + i < rows; i++) dst[rowStart + i] = normalize(columnData[i]);
			}
		});
	} catch (e) {
		throw new LoadError('file_corrupt', file, messageOf(e));
	}
	return { table, rows, columns };
}

/** Rows as objects (small tables only: the build-time snapshot). */
export function rowsOf<T>(t: DecodedTable): T[] {
	const names = Object.keys(t.columns);
	const out: T[] = [];
	for (let i = 0; i < t.rows; i++) out.push(Object.fromEntries(names.map((n) => [n, t.columns[n][i]])) as T);
	return out;
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
	for (const t of Object.keys(TABLES) as TableName[])
		if (typeof o.files[t] !== 'string' || !/^[\w.-]+\.parquet$/.test(o.files[t])) throw new LoadError('manifest_invalid', file, `files.${t}`);
	return o as Manifest;
}
