import { parquetWriteBuffer, type BasicType, type ColumnSource } from 'hyparquet-writer';

/**
 * A result table as a Parquet file (hyparquet-writer, snappy), written in the
 * page: DuckDB-WASM 1.32 cannot COPY … (FORMAT parquet) offline. Numbers are
 * DOUBLE, text STRING, dates ISO text, nested values JSON text.
 */
export type ParquetKind = 'string' | 'number' | 'boolean' | 'date' | 'timestamp' | 'json';

export interface ParquetColumn {
	name: string;
	kind: ParquetKind;
}

const TYPE: Record<ParquetKind, BasicType> = {
	string: 'STRING',
	number: 'DOUBLE',
	boolean: 'BOOLEAN',
	date: 'STRING',
	timestamp: 'TIMESTAMP',
	json: 'JSON'
};

/** Column names must be unique in a Parquet schema: "year", "year_2", … */
function uniqueNames(columns: readonly ParquetColumn[]): string[] {
	const seen = new Map<string, number>();
	return columns.map((c) => {
		const base = c.name || 'column';
		const n = (seen.get(base) ?? 0) + 1;
		seen.set(base, n);
		return n === 1 ? base : `${base}_${n}`;
	});
}

export function toParquet(columns: readonly ParquetColumn[], rows: readonly (readonly (string | number | boolean | null)[])[]): ArrayBuffer {
	const names = uniqueNames(columns);
	const columnData: ColumnSource[] = columns.map((c, i) => {
		const data = rows.map((r) => {
			const v = r[i] ?? null;
			if (v === null) return null;
			if (c.kind === 'number') return typeof v === 'number' ? v : Number(v);
			if (c.kind === 'boolean') return Boolean(v);
			if (c.kind === 'timestamp') return new Date(String(v));
			if (c.kind === 'json') return typeof v === 'string' ? JSON.parse(v) : v;
			return String(v);
		});
		return { name: names[i], data, type: TYPE[c.kind], nullable: true };
	});
	return parquetWriteBuffer({ columnData, createdBy: 'Nianbao 年报看板' });
}
