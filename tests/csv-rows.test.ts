import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TABLES, TABLE_LAYOUT, type TableName } from '../src/lib/dataset/columns';
import { ByteWriter, compareText, csvBytes, rowOrder, sortRows, writeCsv } from '../src/cli/ingest/csv-rows';

/**
 * The rows' CSV is written straight to UTF-8 bytes and sorted by a comparator
 * built per table: both must give what the plain definitions give, byte for
 * byte and row for row (the Parquet and the zip are read from these bytes).
 */

/** Any UTF-16 code unit, lone surrogates included. */
const anyText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 });
/** Few distinct values, so neighbouring rows repeat them (the writer copies a repeated field). */
const fewTexts = fc.constantFrom('三', '二', '四', 'a"b', '', '"', 'new_received', '𠀀年', '\ud800', 'x\udc00y');
const value = (numeric: boolean) =>
	numeric
		? fc.oneof(fc.constant(null), fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: false }), fc.constantFrom(0.1, 1e21, -0, 123456789))
		: fc.oneof(fc.constant(null), fewTexts, anyText);

const tableName = fc.constantFrom(...(Object.keys(TABLES) as TableName[]));

function rowsOf(name: TableName) {
	return fc
		.array(fc.tuple(...TABLES[name].map(([, t]) => value(t === 'INTEGER' || t === 'DOUBLE'))), { maxLength: 30 })
		.map((list) => list.map((values) => Object.fromEntries(TABLES[name].map(([c], i) => [c, values[i]])) as Record<string, unknown>));
}

/** The CSV as its definition says: strings quoted with quotes doubled, numbers as String() prints them, null empty. */
function expected(name: TableName, rows: Record<string, unknown>[]): Uint8Array {
	const numeric = TABLES[name].map(([, t]) => t === 'INTEGER' || t === 'DOUBLE');
	const text = rows
		.map(
			(r) =>
				TABLES[name]
					.map(([c], i) => {
						const v = r[c];
						if (v === null || v === undefined) return '';
						return numeric[i] ? String(v) : `"${String(v).replace(/"/g, '""')}"`;
					})
					.join(',') + '\n'
		)
		.join('');
	return new TextEncoder().encode(text);
}

/** DuckDB's ORDER BY over the table's order keys (ascending, NULLS LAST), key by key. */
function reference(name: TableName) {
	const keys = TABLE_LAYOUT[name].order.split(',').map((k) => k.trim());
	const one = (a: unknown, b: unknown) => {
		if (a === b) return 0;
		if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
		if (b === null || b === undefined) return -1;
		if (typeof a === 'number' && typeof b === 'number') return a - b;
		return compareText(String(a), String(b));
	};
	return (a: Record<string, unknown>, b: Record<string, unknown>) => {
		for (const k of keys) {
			const c = one(a[k], b[k]);
			if (c) return c;
		}
		return 0;
	};
}

describe('rows as CSV bytes', () => {
	it('writes every table as the definition of its CSV, past the buffer and through surrogates', () => {
		fc.assert(
			fc.property(
				tableName.chain((name) => fc.tuple(fc.constant(name), rowsOf(name))),
				([name, rows]) => {
					expect(Buffer.from(csvBytes(name, rows)).equals(Buffer.from(expected(name, rows)))).toBe(true);
				}
			),
			{ numRuns: 300 }
		);
	});

	it('writes a range of rows after what the writer holds, and grows it past its first size', () => {
		const out = new ByteWriter();
		const long = '年'.repeat(40_000);
		const rows = [0, 1, 2].map((i) => ({ report_id: `r-${i}`, code: 'c', severity: 'error', message: long, expected: i, actual: null }));
		out.text('head\n');
		writeCsv(out, 'issues', rows, 1, 3);
		const want = Buffer.concat([Buffer.from('head\n'), Buffer.from(expected('issues', rows.slice(1)))]);
		expect(out.length).toBe(want.length);
		expect(Buffer.from(out.slice()).equals(want)).toBe(true);
	});

	it('sorts rows as the key-by-key order does, ties kept in their order (by ranks, and by comparator)', () => {
		fc.assert(
			fc.property(
				tableName.chain((name) => fc.tuple(fc.constant(name), rowsOf(name))),
				([name, rows]) => {
					// Equal strings that are not the same object settle nothing by `===`.
					const copies = rows.map((r, i) => ({
						...r,
						n: i,
						...(i % 2 ? { report_id: typeof r.report_id === 'string' ? [...r.report_id].join('') : r.report_id } : {})
					}));
					const order = (list: Record<string, unknown>[]) => list.map((r) => r.n);
					const want = order([...copies].sort(reference(name)));
					expect(order([...copies].sort(rowOrder(name)))).toEqual(want);
					expect(order([...sortRows(name, copies)])).toEqual(want);
				}
			),
			{ numRuns: 300 }
		);
	});

	it("sorts a report's facts by ranks as by comparator, with few keys repeated many times", () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(fewTexts, fewTexts, fc.constantFrom('natural', 'total', 'ngo', 'other')), { minLength: 2, maxLength: 400 }), (keys) => {
				const rows = keys.map(([table_no, row_key, column_key], n) => ({ report_id: 'a-2021', table_no, row_key, column_key, n }));
				const order = (list: readonly { n: number }[]) => list.map((r) => r.n);
				expect(order(sortRows('facts', rows))).toEqual(order([...rows].sort(reference('facts'))));
			})
		);
	});
});
