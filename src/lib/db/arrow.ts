import { Dictionary, Float64, Int32, RecordBatchReader, Table, Utf8, makeData, makeVector, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import type { ColumnType } from '$lib/dataset/columns';
import { columnsOf, type Cell, type Decodable, type DecodedTable } from './decode';
import { LoadError, messageOf } from './errors';

/**
 * Decoded rows as an Arrow IPC stream, what DuckDB-WASM takes in: built in
 * the page for tables read from Parquet and for uploads, and at build time
 * for the start tables (lib/server/start.ts), which the page then hands to
 * DuckDB's worker as they are, with no decoding on its own thread.
 */

function numeric(values: readonly Cell[], type: 'INTEGER' | 'DOUBLE'): Vector {
	const n = values.length;
	const data = type === 'DOUBLE' ? new Float64Array(n) : new Int32Array(n);
	const valid = new Uint8Array((n + 7) >> 3);
	let nulls = 0;
	for (let i = 0; i < n; i++) {
		const v = values[i];
		if (v === null) nulls++;
		else {
			data[i] = v as number;
			valid[i >> 3] |= 1 << (i & 7);
		}
	}
	const arrowType = type === 'DOUBLE' ? new Float64() : new Int32();
	return makeVector(makeData({ type: arrowType, length: n, nullCount: nulls, data, nullBitmap: nulls ? valid : undefined } as never));
}

/**
 * Text as a dictionary vector: each distinct string is encoded once. The
 * long tables repeat a few values (report ids, row and column keys), and
 * encoding every cell to UTF-8 was most of the time spent loading them.
 */
function text(values: readonly Cell[]): Vector {
	const n = values.length;
	const index = new Map<string, number>();
	const distinct: string[] = [];
	const keys = new Int32Array(n);
	const valid = new Uint8Array((n + 7) >> 3);
	let nulls = 0;
	for (let i = 0; i < n; i++) {
		const v = values[i];
		if (v === null) {
			nulls++;
			continue;
		}
		const s = v as string;
		let k = index.get(s);
		if (k === undefined) index.set(s, (k = distinct.push(s) - 1));
		keys[i] = k;
		valid[i >> 3] |= 1 << (i & 7);
	}
	const dictionary = vectorFromArray(distinct, new Utf8());
	const type = new Dictionary(new Utf8(), new Int32());
	return makeVector(makeData({ type, length: n, nullCount: nulls, data: keys, nullBitmap: nulls ? valid : undefined, dictionary } as never));
}

function toVector(values: readonly Cell[], type: ColumnType): Vector {
	return type === 'VARCHAR' ? text(values) : numeric(values, type);
}

/** Decoded rows as an Arrow IPC stream, columns in the order of columnsOf. */
export function toIPC(t: DecodedTable): Uint8Array {
	return tableToIPC(new Table(Object.fromEntries(columnsOf(t.table).map(([name, type]) => [name, toVector(t.columns[name], type)]))), 'stream');
}

/**
 * An IPC stream of `table` as fetched, checked before DuckDB inserts it by
 * position: its schema's columns must be the table's, in order (the rows are
 * not decoded; their batches' lengths are only counted). Returns its rows; a
 * stream that is not Arrow, or of another shape, is a LoadError naming `file`.
 */
export function checkIPC(table: Decodable, file: string, ipc: Uint8Array): number {
	let names: string[];
	let rows = 0;
	try {
		const reader = RecordBatchReader.from(ipc);
		reader.open();
		names = reader.schema.fields.map((f) => f.name);
		for (const batch of reader) rows += batch.numRows;
	} catch (e) {
		throw new LoadError('file_corrupt', file, messageOf(e));
	}
	const wanted = columnsOf(table).map(([name]) => name);
	if (names.join('\0') !== wanted.join('\0'))
		throw new LoadError('file_columns', file, wanted.filter((n) => !names.includes(n)).join(', ') || `column order ${names.join(', ')}`);
	return rows;
}
