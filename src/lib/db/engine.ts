import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import { TABLES, TABLE_NAMES, createTableSql, type ColumnSpec, type Manifest, type TableName } from '$lib/dataset/columns';
import { reportMetricsRows } from '$lib/dataset/report-metrics';
import { checkIPC, toIPC } from './arrow';
import { parseManifest, type DecodedTable } from './decode';
import { LoadError, messageOf } from './errors';
import { DEMAND_TABLES, DemandParts, LAZY_TABLES, Parts, agencyOfReport, fetchBytes, probe, rangesOf, readsData, tablesIn, type LoadEvent } from './lazy';
import { LOCKDOWN_SETTINGS, OFFLINE_SETTINGS } from './lockdown';
import type { RowScope, Runner } from './queries';
import { StatementCache } from './prepared';
import { list, sql, type Sql } from './sql';
import { PART_TABLES, START_COLUMNS, START_INDEX, START_TABLES, parseStartIndex, partFile, startFile, type PartTable } from './start';

/**
 * DuckDB-WASM from the bundled files (eh build only, no CDN) with the dataset
 * of static/data: Parquet decoded by hyparquet, handed over as Arrow, stored
 * in tables typed by TABLES. Imported dynamically from onMount only: the
 * module cannot be evaluated during prerender.
 *
 * At start only the build's start tables are read (start.ts: the overview's
 * cubes and agency_years, bounded whatever the number of reports), as Arrow
 * IPC that DuckDB's worker reads as it is: this thread, busy hydrating the
 * page, does no decoding that would hold back DuckDB's own start. Every
 * table of the dataset exists from the start and is filled when a query
 * names it: agencies and report_metrics from the build's parts (a RowScope
 * reads only its agencies' parts), the others from the dataset's files —
 * whole, or, with a RowScope, only the row groups holding those reports
 * (HTTP range requests). Either way a query sees every row it could match.
 * Once the start tables are in, DuckDB's own file and network access is off
 * and its configuration locked (lockdown.ts).
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

/** Where the files are: the dataset's (`data`: manifest.json and the Parquet files) and the build's start data (`start`, start.ts). */
export interface EngineFiles {
	data: (file: string) => string;
	start: (file: string) => string;
}

function createSql(table: string, columns: readonly ColumnSpec[]): string {
	return `CREATE TABLE ${table} (${columns.map(([name, type]) => `"${name}" ${type}`).join(', ')})`;
}

// ------------------------------------------------------------------ engine

export class Engine implements Runner {
	private readonly demand = new Map<TableName, DemandParts>();
	/** Statements prepared before (a filter change asks the same texts again). */
	private readonly prepared: StatementCache<{ toArray(): { toJSON(): unknown }[] }>;
	private readonly parts = new Map<PartTable, Parts>();
	private changed = false;

	private constructor(
		private readonly db: duckdb.AsyncDuckDB,
		private readonly conn: duckdb.AsyncDuckDBConnection,
		readonly manifest: Manifest
	) {
		this.prepared = new StatementCache((text) => this.conn.prepare(text));
	}

	static async start(files: EngineFiles, onProgress: (p: EngineProgress) => void, options: EngineOptions = {}): Promise<Engine> {
		const progress: EngineProgress = { step: 'manifest', wasmLoaded: 0, wasmTotal: 0, filesDone: 0, filesTotal: START_TABLES.length + DEMAND_TABLES.length };
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

		const text = async (url: string, file: string) => new TextDecoder().decode(await fetchBytes(url, file));
		const manifestText = await text(files.data('manifest.json'), 'manifest.json').catch((e: LoadError) => {
			throw new LoadError('manifest_missing', 'manifest.json', e.detail);
		});
		const manifest = parseManifest(manifestText);
		const indexFile = `start/${START_INDEX}`;
		const index = parseStartIndex(await text(files.start(START_INDEX), indexFile), manifest.dataset_version, indexFile);
		report({ step: 'files' });
		const done = () => report({ filesDone: progress.filesDone + 1 });
		const [decoded, probed] = await Promise.all([
			Promise.all(
				START_TABLES.map(async (t) => {
					const file = `start/${startFile(t)}`;
					// Arrow IPC written at build time: nothing to decode here, DuckDB's worker reads it as it is.
					const ipc = new Uint8Array(await fetchBytes(files.start(startFile(t)), file));
					checkIPC(t, file, ipc);
					done();
					return { table: t, file, ipc };
				})
			),
			Promise.all(
				DEMAND_TABLES.map(async (t) => {
					// Each of the table's parts: a missing or broken one is reported now.
					const probed = await Promise.all(manifest.files[t].map((file, i) => probe(files.data(file), file, manifest.bytes?.[t]?.[i])));
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
		for (const t of START_TABLES) await conn.query(createSql(t, START_COLUMNS[t]));
		for (const { table, file, ipc } of decoded) await engine.appendIPC(table, ipc, file);
		// Everything later arrives as Arrow too (tables on demand, uploads): DuckDB itself
		// never needs a file or URL again, so no statement (the SQL console's) may reach one.
		for (const s of LOCKDOWN_SETTINGS) await conn.query(s);
		const onLoad = options.onLoad ?? (() => {});
		for (const [table, parts] of probed) {
			// Spans of another list of files than the manifest's would name the wrong files: not used.
			const spans = index.spans?.[table]?.length === manifest.files[table].length ? index.spans[table] : undefined;
			const sources = parts.map(({ whole, footerLength }, i) => {
				const file = manifest.files[table][i];
				return { table, file, url: files.data(file), bytes: manifest.bytes?.[table]?.[i], whole, footerLength, span: spans?.[i] };
			});
			engine.demand.set(table, new DemandParts(sources, (rows) => engine.append(rows), onLoad));
		}
		for (const table of PART_TABLES) {
			const source = (i: number) => ({ file: `start/${partFile(table, i)}`, url: files.start(partFile(table, i)) });
			engine.parts.set(table, new Parts(table, index.parts, source, (rows) => engine.append(rows), onLoad));
		}
		report({ step: 'ready' });
		return engine;
	}

	/** An IPC stream of the build's (checkIPC'd) into its table; DuckDB failing to read it is the file's fault, named. */
	private async appendIPC(table: string, ipc: Uint8Array, file: string): Promise<void> {
		await this.conn.insertArrowFromIPCStream(ipc, { name: table, create: false }).catch((e: unknown) => {
			throw new LoadError('file_corrupt', file, messageOf(e));
		});
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
		await this.ensure(tablesIn(q.text, LAZY_TABLES), scope);
		return this.run<T>(q);
	}

	/** A statement run with its parameters, prepared once (StatementCache). */
	private async run<T>(q: Sql): Promise<T[]> {
		return (await this.prepared.run(q.text, q.params)).toArray().map((row) => row.toJSON() as T);
	}

	/** Load tables read on demand: the row groups or parts holding `scope`'s reports, or every row. Others are ignored. */
	async ensure(tables: readonly TableName[], given?: RowScope): Promise<void> {
		// A scope naming no rows (only where its stored answer is kept, storedWith) reads every row.
		const scope = given && (given.agencies || given.reports || given.parts !== undefined) ? given : undefined;
		const ranges = scope && (scope.agencies || scope.reports) ? rangesOf(scope) : null;
		const parts = tables.some((t) => this.parts.has(t as PartTable)) && scope ? await this.partsOf(scope) : null;
		await Promise.all(tables.map((t) => this.demand.get(t)?.ensure(ranges) ?? this.parts.get(t as PartTable)?.ensure(parts)));
	}

	/** The parts holding a scope's agencies (agency_years knows each agency's part), or its first n parts. */
	private async partsOf(scope: RowScope): Promise<number[]> {
		const found = new Set<number>();
		if (scope.parts !== undefined) for (let i = 0; i < scope.parts; i++) found.add(i);
		const agencies = [...new Set([...(scope.agencies ?? []), ...(scope.reports ?? []).map(agencyOfReport)])];
		if (agencies.length)
			for (const row of await this.run<{ part: number }>(sql`SELECT DISTINCT part FROM agency_years WHERE agency_id IN (${list(agencies)})`))
				found.add(Number(row.part));
		return [...found].sort((a, b) => a - b);
	}

	/** Load, in full, every table that SQL written elsewhere (the SQL console) names. */
	async ensureFor(text: string): Promise<void> {
		await this.ensure(tablesIn(text, LAZY_TABLES));
	}

	/** 'all': every row of the table is in DuckDB; 'some': the row groups or parts queries needed so far (maybe none). */
	loaded(table: TableName): 'all' | 'some' {
		const d = this.demand.get(table) ?? this.parts.get(table as PartTable);
		return !d || d.complete ? 'all' : 'some';
	}

	/** The overview may read the build's cubes: no rows were added in the page. */
	get cubes(): boolean {
		return !this.changed;
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
		// Every part in first: a part read later would bring back a replaced report's row.
		await this.ensure(PART_TABLES);
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
