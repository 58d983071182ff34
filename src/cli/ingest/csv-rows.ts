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
export function rowOrder(name: TableName): Order {
	let order = ORDERS.get(name);
	if (!order) ORDERS.set(name, (order = makeOrder(name)));
	return order;
}

type Order = (a: Record<string, unknown>, b: Record<string, unknown>) => number;
const ORDERS = new Map<TableName, Order>();

function makeOrder(name: TableName): Order {
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

/** Each table's order keys. */
const KEYS = new Map<TableName, string[]>();

/**
 * Rows of a table in its order (rowOrder), stably: `list` itself when it has
 * one row, else a sorted copy. When every order key is a string, each key's
 * distinct strings are ranked once and the rows are sorted by one number each
 * (ranks, then place), in a typed array, with no comparator called per pair:
 * sorting a report's two hundred facts by comparator was a sixth of building
 * its rows.
 */
export function sortRows<T extends Record<string, unknown>>(name: TableName, list: readonly T[]): readonly T[] {
	if (list.length < 2) return list;
	let keys = KEYS.get(name);
	if (!keys) KEYS.set(name, (keys = TABLE_LAYOUT[name].order.split(',').map((k) => k.trim())));
	const n = list.length;
	const ranks: Uint32Array[] = [];
	const counts: number[] = [];
	let span = n;
	for (const key of keys) {
		const seen = new Map<string, number>();
		const of = new Uint32Array(n);
		for (let i = 0; i < n; i++) {
			const v = list[i][key];
			if (typeof v !== 'string') return [...list].sort(rowOrder(name));
			let r = seen.get(v);
			if (r === undefined) seen.set(v, (r = seen.size));
			of[i] = r;
		}
		// First-seen numbers → ranks in text order.
		const distinct = [...seen.keys()].sort(compareText);
		const rank = new Uint32Array(distinct.length);
		distinct.forEach((v, k) => (rank[seen.get(v)!] = k));
		for (let i = 0; i < n; i++) of[i] = rank[of[i]];
		span *= distinct.length;
		counts.push(distinct.length);
		// Exact integers only (2^53).
		if (span > Number.MAX_SAFE_INTEGER) return [...list].sort(rowOrder(name));
		ranks.push(of);
	}
	const order = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		let v = 0;
		for (let k = 0; k < ranks.length; k++) v = v * counts[k] + ranks[k][i];
		order[i] = v * n + i;
	}
	order.sort();
	const out = new Array<T>(n);
	for (let i = 0; i < n; i++) out[i] = list[order[i] % n];
	return out;
}

/** Per table: its columns' names, and which are numbers (the rest are text). */
const LAYOUTS = new Map<TableName, { names: string[]; numeric: boolean[] }>();

function layoutOf(name: TableName): { names: string[]; numeric: boolean[] } {
	let layout = LAYOUTS.get(name);
	if (!layout) {
		layout = { names: TABLES[name].map(([c]) => c), numeric: TABLES[name].map(([, t]) => t === 'INTEGER' || t === 'DOUBLE') };
		LAYOUTS.set(name, layout);
	}
	return layout;
}

/**
 * Bytes written end to end into one growing buffer (reused from report to
 * report): CSV lines go straight to UTF-8 here, never through a JavaScript
 * string of the whole segment (joining fields into one string and encoding it
 * again cost about as much as building the rows).
 */
export class ByteWriter {
	bytes = new Uint8Array(1 << 16);
	length = 0;

	/** Room for `n` more bytes. */
	room(n: number): void {
		if (this.length + n <= this.bytes.length) return;
		let size = this.bytes.length * 2;
		while (size < this.length + n) size *= 2;
		const b = new Uint8Array(size);
		b.set(this.bytes.subarray(0, this.length));
		this.bytes = b;
	}

	byte(c: number): void {
		this.room(1);
		this.bytes[this.length++] = c;
	}

	/** `s` as UTF-8, as TextEncoder writes it (a lone surrogate as U+FFFD). */
	text(s: string): void {
		this.room(s.length * 3);
		const b = this.bytes;
		let at = this.length;
		for (let i = 0; i < s.length; i++) {
			let c = s.charCodeAt(i);
			if (c < 0x80) b[at++] = c;
			else if (c < 0x800) {
				b[at++] = 0xc0 | (c >> 6);
				b[at++] = 0x80 | (c & 0x3f);
			} else {
				if (c >= 0xd800 && c < 0xe000) {
					const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
					if (c < 0xdc00 && d >= 0xdc00 && d < 0xe000) {
						c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
						i++;
						b[at++] = 0xf0 | (c >> 18);
						b[at++] = 0x80 | ((c >> 12) & 0x3f);
						b[at++] = 0x80 | ((c >> 6) & 0x3f);
						b[at++] = 0x80 | (c & 0x3f);
						continue;
					}
					c = 0xfffd;
				}
				b[at++] = 0xe0 | (c >> 12);
				b[at++] = 0x80 | ((c >> 6) & 0x3f);
				b[at++] = 0x80 | (c & 0x3f);
			}
		}
		this.length = at;
	}

	/** Bytes `start`–`end` already written, again at the end. */
	again(start: number, end: number): void {
		this.room(end - start);
		const b = this.bytes;
		let at = this.length;
		if (end - start < 32) for (let i = start; i < end; i++) b[at++] = b[i];
		else {
			b.copyWithin(at, start, end);
			at += end - start;
		}
		this.length = at;
	}

	/** A copy of bytes `start`–`end`, in its own ArrayBuffer. */
	slice(start = 0, end = this.length): Uint8Array {
		return this.bytes.slice(start, end);
	}
}

const QUOTE = 0x22;

/**
 * Rows `from`–`to` (already in order) as CSV lines, written to `out`.
 * Strings are always quoted (so an empty string is not a null); a null is an
 * empty unquoted field. Numbers print in JavaScript's shortest round-trip
 * form, which DuckDB reads back to the same double.
 */
export function writeCsv(out: ByteWriter, name: TableName, rows: readonly Record<string, unknown>[], from = 0, to = rows.length): void {
	const { names, numeric } = layoutOf(name);
	// Neighbouring rows repeat most values (a report's id, its table and row keys): each column's last field is copied
	// from where it was last written.
	const last: unknown[] = names.map(() => undefined);
	const start: number[] = names.map(() => 0);
	const end: number[] = names.map(() => 0);
	for (let r = from; r < to; r++) {
		const row = rows[r];
		for (let c = 0; c < names.length; c++) {
			if (c) out.byte(0x2c);
			const value = row[names[c]];
			if (value === null || value === undefined) continue;
			if (value === last[c]) {
				const s = start[c];
				const e = end[c];
				start[c] = out.length;
				out.again(s, e);
				end[c] = out.length;
				continue;
			}
			last[c] = value;
			start[c] = out.length;
			const t = String(value);
			if (numeric[c]) out.text(t);
			else {
				out.byte(QUOTE);
				out.text(t.includes('"') ? t.replace(/"/g, '""') : t);
				out.byte(QUOTE);
			}
			end[c] = out.length;
		}
		out.byte(0x0a);
	}
}

const scratch = new ByteWriter();

/** Rows `from`–`to` (already in order) as CSV lines (writeCsv), in bytes of their own. */
export function csvBytes(name: TableName, rows: readonly Record<string, unknown>[], from = 0, to = rows.length): Uint8Array {
	scratch.length = 0;
	writeCsv(scratch, name, rows, from, to);
	return scratch.slice();
}
