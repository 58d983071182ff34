import { TABLES, TABLE_LAYOUT, type TableName } from '../../lib/dataset/columns';

/**
 * Rows of a table as the CSV the dataset writer streams into Parquet, in the
 * table's order. No DuckDB here: the row-building workers import it too.
 */

/**
 * DuckDB's order of two VARCHARs: by UTF-8 bytes, which is code point order.
 * JavaScript's `<` compares UTF-16 units, which puts U+E000–U+FFFF after
 * the surrogates of characters past U+FFFF; those two ranges are swapped here.
 */
export function compareText(a: string, b: string): number {
	const n = Math.min(a.length, b.length);
	for (let i = 0; i < n; i++) {
		let x = a.charCodeAt(i);
		let y = b.charCodeAt(i);
		if (x === y) continue;
		if (x >= 0xd800 && y >= 0xd800) {
			x = x < 0xe000 ? x + 0x2000 : x - 0x800;
			y = y < 0xe000 ? y + 0x2000 : y - 0x800;
		}
		return x - y;
	}
	return a.length - b.length;
}

/** DuckDB's ORDER BY of one value (ascending, NULLS LAST). */
function compareValue(a: unknown, b: unknown): number {
	if (a === b) return 0;
	if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
	if (b === null || b === undefined) return -1;
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	return compareText(String(a), String(b));
}

/** Rows of a table in its TABLE_LAYOUT order, as DuckDB would sort them. */
export function rowOrder(name: TableName): (a: Record<string, unknown>, b: Record<string, unknown>) => number {
	const keys = TABLE_LAYOUT[name].order.split(',').map((k) => k.trim());
	// Rows of one report share their key strings: most keys are settled by `===`.
	return (a, b) => {
		for (let i = 0; i < keys.length; i++) {
			const x = a[keys[i]];
			const y = b[keys[i]];
			const c = x === y ? 0 : compareValue(x, y);
			if (c) return c;
		}
		return 0;
	};
}

/** Per table: its columns' names, and which are numbers (the rest are text). */
const LAYOUTS = new Map<TableName, { names: string[]; numeric: boolean[] }>();

/**
 * Rows `from`–`to` (already in order) as CSV lines. Strings are always
 * quoted (so an empty string is not a null); a null is an empty unquoted
 * field. Numbers print in JavaScript's shortest round-trip form, which
 * DuckDB reads back to the same double.
 */
export function csvLines(name: TableName, rows: readonly Record<string, unknown>[], from = 0, to = rows.length): string {
	let layout = LAYOUTS.get(name);
	if (!layout) {
		layout = { names: TABLES[name].map(([c]) => c), numeric: TABLES[name].map(([, t]) => t === 'INTEGER' || t === 'DOUBLE') };
		LAYOUTS.set(name, layout);
	}
	const { names, numeric } = layout;
	// Neighbouring rows repeat most values (a report's id, its table and row keys): each column's last field is reused.
	const last: unknown[] = names.map(() => undefined);
	const field: string[] = names.map(() => '');
	let text = '';
	for (let r = from; r < to; r++) {
		const row = rows[r];
		for (let c = 0; c < names.length; c++) {
			if (c) text += ',';
			const value = row[names[c]];
			if (value === null || value === undefined) continue;
			if (value !== last[c]) {
				last[c] = value;
				const t = String(value);
				field[c] = numeric[c] ? t : t.includes('"') ? `"${t.replace(/"/g, '""')}"` : `"${t}"`;
			}
			text += field[c];
		}
		text += '\n';
	}
	return text;
}
