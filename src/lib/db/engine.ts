import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import { Dictionary, Float64, Int32, Table, Utf8, makeData, makeVector, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import { TABLES, TABLE_LAYOUT, TABLE_NAMES, createTableSql, type ColumnType, type Manifest, type TableName } from '$lib/dataset/columns';
import { reportMetricsRows } from '$lib/dataset/report-metrics';
import { decodeTable, parseManifest, type Cell, type DecodedTable } from './decode';
import { LoadError, messageOf } from './errors';
import { DEMAND_TABLES, OnDemand, fetchBytes, probe, rangesOf, readsData, tablesIn, type LoadEvent } from './lazy';
import { LOCKDOWN_SETTINGS, OFFLINE_SETTINGS } from './lockdown';
import type { RowScope, Runner } from './queries';
import type { Sql } from './sql';

/**
 * DuckDB-WASM from the bundled files (eh build only, no CDN) with the dataset
 * of static/data: Parquet decoded by hyparquet, handed over as Arrow, stored
 * in tables typed by TABLES. Imported dynamically from onMount only: the
 * module cannot be evaluated during prerender.
 *
 * Tables are read at start or on demand (TABLE_LAYOUT). Every table exists
 * from the start; one loaded on demand is filled when a query names it —
 * whole, or, when the query gives a RowScope, only the row groups of the
 * file holding those reports (HTTP range requests). Either way a query sees
 * every row it could match. Once the start tables are in, DuckDB's own file
 * and network access is off and its configuration locked (lockdown.ts).
 */

export type EngineStep = 'manifest' | 'wasm' | 'files' | 'tables' | 'ready';

export interface EngineProgress {
	step: EngineStep;
	/** WebAssembly bytes loaded / total (0 when unknown). */
	wasmLoaded: number;
	wasmTotal: number;
	filesDone: number;
	filesTotal: number;
}

export type { LoadEvent };

export interface EngineOptions {
	onLoad?: (e: LoadEvent) => void;
}

// ------------------------------------------------------------------ Arrow

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

/** Decoded rows as an Arrow IPC stream, what DuckDB-WASM takes in. */
function toIPC(t: DecodedTable): Uint8Array {
	return tableToIPC(new Table(Object.fromEntries(TABLES[t.table].map(([name, type]) => [name, toVector(t.columns[name], type)]))), 'stream');
}

// ------------------------------------------------------------------ engine

export class Engine implements Runner {
	private readonly demand = new Map<TableName, OnDemand>();
	private changed = false;

	private constructor(
		private readonly db: duckdb.AsyncDuckDB,
		private readonly conn: duckdb.AsyncDuckDBConnection,
		readonly manifest: Manifest
	) {}

	/** `dataUrl(file)` → the URL of a file under static/data. */
	static async start(dataUrl: (file: string) => string, onProgress: (p: EngineProgress) => void, options: EngineOptions = {}): Promise<Engine> {
		const startTables = TABLE_NAMES.filter((t) => TABLE_LAYOUT[t].load === 'start');
		const progress: EngineProgress = { step: 'manifest', wasmLoaded: 0, wasmTotal: 0, filesDone: 0, filesTotal: TABLE_NAMES.length };
		const report = (patch: Partial<EngineProgress>) => onProgress(Object.assign(progress, patch));
		report({});

		// The wasm download and compile (~3 s) runs while the data files load.
		const dbReady = (async () => {
			const worker = new Worker(ehWorker);
			const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
			try {
				await db.instantiate(ehWasm, null, (p) => report({ wasmLoaded: p.bytesLoaded, wasmTotal: p.bytesTotal }));
				await db.open({ query: { castBigIntToDouble: true } });
				const conn = await db.connect();
				for (const s of OFFLINE_SETTINGS) await conn.query(s);
				// For the benchmark: where the time to "ready" goes (with nianbao:data-decoded).
				performance.mark('nianbao:duckdb-open');
				return { db, conn };
			} catch (e) {
				worker.terminate();
				throw new LoadError('engine_failed', null, messageOf(e));
			}
		})();
		dbReady.catch(() => {}); // reported below, after the data files

		const manifestText = new TextDecoder().decode(
			await fetchBytes(dataUrl('manifest.json'), 'manifest.json').catch((e: LoadError) => {
				throw new LoadError('manifest_missing', 'manifest.json', e.detail);
			})
		);
		const manifest = parseManifest(manifestText);
		report({ step: 'files' });
		const done = () => report({ filesDone: progress.filesDone + 1 });
		const [decoded, probed] = await Promise.all([
			Promise.all(
				startTables.map(async (t) => {
					const file = manifest.files[t];
					const decoded = await decodeTable(t, file, await fetchBytes(dataUrl(file), file));
					// Arrow now, while the wasm still compiles: after it, only DuckDB's own insert is left.
					const ipc = decoded.rows ? toIPC(decoded) : null;
					done();
					return { table: t, ipc };
				})
			),
			Promise.all(
				DEMAND_TABLES.map(async (t) => {
					const probed = await probe(dataUrl(manifest.files[t]), manifest.files[t], manifest.bytes?.[t]);
					done();
					return [t, probed] as const;
				})
			)
		]);
		performance.mark('nianbao:data-decoded');
		report({ step: progress.wasmTotal && progress.wasmLoaded >= progress.wasmTotal ? 'tables' : 'wasm' });
		const { db, conn } = await dbReady;
		report({ step: 'tables' });
		const engine = new Engine(db, conn, manifest);
		for (const t of TABLE_NAMES) await conn.query(createTableSql(t));
		for (const { table, ipc } of decoded) if (ipc) await conn.insertArrowFromIPCStream(ipc, { name: table, create: false });
		// Everything later arrives as Arrow too (tables on demand, uploads): DuckDB itself
		// never needs a file or URL again, so no statement (the SQL console's) may reach one.
		for (const s of LOCKDOWN_SETTINGS) await conn.query(s);
		const onLoad = options.onLoad ?? (() => {});
		for (const [table, { whole, footerLength }] of probed) {
			const file = manifest.files[table];
			engine.demand.set(
				table,
				new OnDemand({ table, file, url: dataUrl(file), bytes: manifest.bytes?.[table], whole, footerLength }, (rows) => engine.append(rows), onLoad)
			);
		}
		report({ step: 'ready' });
		return engine;
	}

	private async append(t: DecodedTable): Promise<void> {
		if (t.rows > 0) await this.conn.insertArrowFromIPCStream(toIPC(t), { name: t.table, create: false });
	}

	/**
	 * Run a statement. Tables loaded on demand that it names are loaded first:
	 * with `scope`, only the row groups holding those agencies' or reports'
	 * rows (the statement must then read no others); without, in full.
	 */
	async query<T>(q: Sql, scope?: RowScope): Promise<T[]> {
		await this.ensure(tablesIn(q.text), scope);
		const stmt = await this.conn.prepare(q.text);
		try {
			const result = await stmt.query(...q.params);
			return result.toArray().map((row) => row.toJSON() as T);
		} finally {
			await stmt.close();
		}
	}

	/** Load tables read on demand: the row groups holding `scope`'s reports, or every row. Others are ignored. */
	async ensure(tables: readonly TableName[], scope?: RowScope): Promise<void> {
		const ranges = scope ? rangesOf(scope) : null;
		await Promise.all(tables.map((t) => this.demand.get(t)?.ensure(ranges)));
	}

	/** Load, in full, every table that SQL written elsewhere (the SQL console) names. */
	async ensureFor(text: string): Promise<void> {
		await this.ensure(tablesIn(text));
	}

	/** 'all': every row of the table is in DuckDB; 'some': the row groups queries needed so far (maybe none). */
	loaded(table: TableName): 'all' | 'some' {
		const d = this.demand.get(table);
		return !d || d.complete ? 'all' : 'some';
	}

	/**
	 * Another connection to the same database (the SQL console). Its `query`
	 * and `send` load, in full, the tables on demand that a reading statement
	 * names before running it, so SQL typed by a reader sees every row.
	 */
	async connect(): Promise<duckdb.AsyncDuckDBConnection> {
		const conn = await this.db.connect();
		return new Proxy(conn, {
			get: (target, prop) => {
				const value = Reflect.get(target, prop, target);
				if ((prop === 'query' || prop === 'send') && typeof value === 'function')
					return async (text: string, ...rest: unknown[]) => {
						if (readsData(text)) await this.ensureFor(text);
						return (value as (...a: unknown[]) => unknown).call(target, text, ...rest);
					};
				return typeof value === 'function' ? value.bind(target) : value;
			}
		});
	}

	/**
	 * Add rows to the loaded tables for this session (reports a user parsed in
	 * the page). Rows follow TABLES; nothing is written anywhere. Reports come
	 * with their report_metrics row, derived here when not given; it replaces
	 * any earlier one of the same report.
	 */
	async insert(rows: Partial<Record<TableName, readonly Record<string, unknown>[]>>): Promise<void> {
		this.changed = true;
		type Reports = Parameters<typeof reportMetricsRows>[0];
		type Metrics = Parameters<typeof reportMetricsRows>[1];
		const given = { ...rows };
		if (given.reports?.length && !given.report_metrics)
			given.report_metrics = reportMetricsRows(given.reports as unknown as Reports, (given.metrics ?? []) as unknown as Metrics);
		const ids = (given.report_metrics ?? []).map((r) => String(r.report_id));
		if (ids.length) await this.query({ text: `DELETE FROM report_metrics WHERE report_id IN (${ids.map(() => '?').join(', ')})`, params: ids });
		for (const table of TABLE_NAMES) {
			const list = given[table];
			if (!list?.length) continue;
			const columns = Object.fromEntries(
				TABLES[table].map(([name]) => [name, list.map((r) => (r[name] === undefined ? null : (r[name] as string | number | null)))])
			);
			await this.append({ table, rows: list.length, columns });
		}
	}

	/** Rows were added to the bundled dataset (or are being added): its figures are no longer the build's. */
	get modified(): boolean {
		return this.changed;
	}

	async close(): Promise<void> {
		await this.conn.close();
		await this.db.terminate();
	}
}
