import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import { Float64, Int32, Table, Utf8, vectorFromArray, type DataType } from 'apache-arrow';
import { TABLES, TABLE_NAMES, type ColumnType, type Manifest, type TableName } from '$lib/dataset/columns';
import { decodeTable, parseManifest, type DecodedTable } from './decode';
import { LoadError, messageOf } from './errors';
import type { Runner } from './queries';
import type { Sql } from './sql';

/**
 * DuckDB-WASM from the bundled files (eh build only, no CDN) with the dataset
 * of static/data: Parquet decoded by hyparquet, handed over as Arrow, stored
 * in tables typed by TABLES. Imported dynamically from onMount only: the
 * module cannot be evaluated during prerender.
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

const ARROW_TYPE: Record<ColumnType, () => DataType> = {
	VARCHAR: () => new Utf8(),
	INTEGER: () => new Int32(),
	DOUBLE: () => new Float64()
};

function toArrow(t: DecodedTable): Table {
	const vectors = Object.fromEntries(TABLES[t.table].map(([name, type]) => [name, vectorFromArray(t.columns[name], ARROW_TYPE[type]())]));
	return new Table(vectors);
}

async function fetchBytes(url: string, file: string): Promise<ArrayBuffer> {
	let res: Response;
	try {
		res = await fetch(url);
	} catch (e) {
		throw new LoadError('file_missing', file, messageOf(e));
	}
	if (!res.ok) throw new LoadError('file_missing', file, `HTTP ${res.status}`);
	return res.arrayBuffer();
}

export class Engine implements Runner {
	private constructor(
		private readonly db: duckdb.AsyncDuckDB,
		private readonly conn: duckdb.AsyncDuckDBConnection,
		readonly manifest: Manifest
	) {}

	/** `dataUrl(file)` → the URL of a file under static/data. */
	static async start(dataUrl: (file: string) => string, onProgress: (p: EngineProgress) => void): Promise<Engine> {
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
				// Offline: never try to fetch an extension from extensions.duckdb.org.
				await conn.query('SET autoinstall_known_extensions = false');
				await conn.query('SET autoload_known_extensions = false');
				return { db, conn };
			} catch (e) {
				worker.terminate();
				throw new LoadError('engine_failed', null, messageOf(e));
			}
		})();
		dbReady.catch(() => {}); // reported below, after the data files

		const manifestText = new TextDecoder().decode(await fetchBytes(dataUrl('manifest.json'), 'manifest.json').catch((e: LoadError) => {
			throw new LoadError('manifest_missing', 'manifest.json', e.detail);
		}));
		const manifest = parseManifest(manifestText);
		report({ step: 'files' });
		const decoded = await Promise.all(
			TABLE_NAMES.map(async (t) => {
				const file = manifest.files[t];
				const table = await decodeTable(t, file, await fetchBytes(dataUrl(file), file));
				report({ filesDone: progress.filesDone + 1 });
				return table;
			})
		);
		report({ step: progress.wasmTotal && progress.wasmLoaded >= progress.wasmTotal ? 'tables' : 'wasm' });
		const { db, conn } = await dbReady;
		report({ step: 'tables' });
		for (const t of decoded) await conn.insertArrowTable(toArrow(t), { name: t.table as TableName, create: true });
		report({ step: 'ready' });
		return new Engine(db, conn, manifest);
	}

	async query<T>(q: Sql): Promise<T[]> {
		const stmt = await this.conn.prepare(q.text);
		try {
			const result = await stmt.query(...q.params);
			return result.toArray().map((row) => row.toJSON() as T);
		} finally {
			await stmt.close();
		}
	}

	/**
	 * Add rows to the loaded tables for this session (reports a user parsed in
	 * the page). Rows follow TABLES; nothing is written anywhere.
	 */
	async insert(rows: Partial<Record<TableName, readonly Record<string, unknown>[]>>): Promise<void> {
		for (const table of TABLE_NAMES) {
			const list = rows[table];
			if (!list?.length) continue;
			const columns = Object.fromEntries(
				TABLES[table].map(([name]) => [name, list.map((r) => (r[name] === undefined ? null : (r[name] as string | number | null)))])
			);
			await this.conn.insertArrowTable(toArrow({ table, rows: list.length, columns }), { name: table, create: false });
		}
	}

	async close(): Promise<void> {
		await this.conn.close();
		await this.db.terminate();
	}
}

