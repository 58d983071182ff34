import type { AsyncDuckDB, AsyncDuckDBConnection } from '@duckdb/duckdb-wasm';
import { DataType, Table, util, type Field } from 'apache-arrow';
import type { Runner } from './queries';
import { checkReadOnly, CONSOLE_SCHEMA, CONSOLE_VIEWS, type ReadOnlyCheck } from './readonly';

/**
 * The SQL console's own DuckDB connection: user SQL runs there, on read-only
 * views in a schema of their own (the search path points at them), never on
 * the dashboard's connection or its base tables. A statement that is not a
 * single read (readonly.ts) never reaches DuckDB. A running query can be
 * cancelled: it is sent as a pending query, which DuckDB-WASM executes in
 * slices between which cancelSent() interrupts it.
 */

export type ColumnKind = 'string' | 'number' | 'boolean' | 'date' | 'timestamp' | 'json';

export interface ResultColumn {
	name: string;
	/** Arrow's name of the type, as shown in the header. */
	type: string;
	kind: ColumnKind;
}

export interface ResultSet {
	columns: ResultColumn[];
	/** Plain values: numbers, strings, booleans, ISO dates, JSON text for nested values; null. */
	rows: (string | number | boolean | null)[][];
	ms: number;
}

export type ConsoleOutcome =
	| { ok: true; result: ResultSet }
	| { ok: false; reason: 'rejected'; check: Exclude<ReadOnlyCheck, { ok: true }> }
	| { ok: false; reason: 'cancelled'; ms: number }
	| { ok: false; reason: 'error'; message: string; ms: number };

/**
 * What the console needs from the engine: one more connection to the same
 * database. Engine.connect() gives one whose statements first load, in full,
 * the tables loaded on demand that they name.
 */
export interface ConnectionSource {
	connect(): Promise<AsyncDuckDBConnection>;
}

/**
 * The connection source of the page's engine: Engine.connect(); an engine
 * without it (every table loaded at start) is reached through its DuckDB.
 */
export function connectionSourceOf(engine: Runner | null): ConnectionSource | null {
	const e = engine as (Runner & { connect?: () => Promise<AsyncDuckDBConnection>; db?: AsyncDuckDB }) | null;
	if (!e) return null;
	if (typeof e.connect === 'function') return { connect: () => e.connect!() };
	if (e.db && typeof e.db.connect === 'function') return { connect: () => e.db!.connect() };
	return null;
}

function kindOf(t: DataType): ColumnKind {
	if (DataType.isUtf8(t) || DataType.isLargeUtf8(t)) return 'string';
	if (DataType.isInt(t) || DataType.isFloat(t) || DataType.isDecimal(t)) return 'number';
	if (DataType.isBool(t)) return 'boolean';
	if (DataType.isDate(t)) return 'date';
	if (DataType.isTimestamp(t)) return 'timestamp';
	return 'json';
}

function plain(v: unknown, f: Field): string | number | boolean | null {
	if (v === null || v === undefined) return null;
	const t = f.type;
	if (DataType.isDecimal(t)) return util.bigNumToNumber(v as Parameters<typeof util.bigNumToNumber>[0], t.scale);
	if (typeof v === 'bigint') return Number(v);
	if (DataType.isDate(t)) return new Date(Number(v)).toISOString().slice(0, 10);
	if (DataType.isTimestamp(t)) return new Date(Number(v)).toISOString();
	if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
	if (v instanceof Uint8Array) return [...v].map((b) => b.toString(16).padStart(2, '0')).join('');
	return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x));
}

export function toResultSet(table: Table, ms: number): ResultSet {
	const fields = table.schema.fields;
	const columns = fields.map((f) => ({ name: f.name, type: String(f.type), kind: kindOf(f.type) }));
	const vectors = fields.map((_, i) => table.getChildAt(i));
	const rows: ResultSet['rows'] = [];
	for (let r = 0; r < table.numRows; r++) rows.push(fields.map((f, i) => plain(vectors[i]?.get(r), f)));
	return { columns, rows, ms };
}

export class SqlConsole {
	private running = false;
	private cancelled = false;

	private constructor(private readonly conn: AsyncDuckDBConnection) {}

	/** A new connection with the read-only views; `source` is the page's engine. */
	static async open(source: ConnectionSource): Promise<SqlConsole> {
		const conn = await source.connect();
		await conn.query(`CREATE SCHEMA IF NOT EXISTS ${CONSOLE_SCHEMA}`);
		for (const v of CONSOLE_VIEWS) await conn.query(`CREATE OR REPLACE VIEW ${CONSOLE_SCHEMA}.${v} AS SELECT * FROM main.${v}`);
		// Unqualified names find the views; the base tables only by their full name, and only for reading.
		await conn.query(`SET search_path = '${CONSOLE_SCHEMA}'`);
		return new SqlConsole(conn);
	}

	get busy(): boolean {
		return this.running;
	}

	async run(text: string): Promise<ConsoleOutcome> {
		const check = checkReadOnly(text);
		if (!check.ok) return { ok: false, reason: 'rejected', check };
		if (this.running) return { ok: false, reason: 'error', message: 'busy', ms: 0 };
		this.running = true;
		this.cancelled = false;
		const t0 = performance.now();
		try {
			const reader = await this.conn.send(check.statement, true);
			const batches = [];
			for await (const batch of reader) {
				if (this.cancelled) break;
				batches.push(batch);
			}
			if (this.cancelled) return { ok: false, reason: 'cancelled', ms: performance.now() - t0 };
			const table = batches.length ? new Table(batches) : new Table(reader.schema);
			return { ok: true, result: toResultSet(table, performance.now() - t0) };
		} catch (e) {
			const ms = performance.now() - t0;
			if (this.cancelled) return { ok: false, reason: 'cancelled', ms };
			return { ok: false, reason: 'error', message: e instanceof Error ? e.message : String(e), ms };
		} finally {
			this.running = false;
		}
	}

	/** Interrupt the running query; resolves once DuckDB has been told. */
	async cancel(): Promise<void> {
		if (!this.running) return;
		this.cancelled = true;
		await this.conn.cancelSent();
	}

	async close(): Promise<void> {
		await this.conn.close();
	}
}
