import type { RowScope, Runner } from './queries';
import type { Sql } from './sql';

/**
 * Answers to the dashboard's own queries, kept to draw a view before
 * DuckDB-WASM is ready. An answer is stored under its question — the exact
 * SQL text, its parameters and its row scope — so a view's query functions
 * run unchanged against an EarlyRunner and get the rows DuckDB gave for that
 * same SQL: there is no second copy of any figure's definition. Answers come
 * from the build (native DuckDB over the same Parquet files, lib/server/answers.ts)
 * and from this browser's earlier visits (db/early.ts), always for one
 * dataset version; a question with no stored answer waits for DuckDB.
 */

export type Value = string | number | boolean | null;
export type Rows = Record<string, Value>[];

/** Rows as column names once and values by row: the form answers are stored in. */
export interface PackedRows {
	c: string[];
	r: Value[][];
}

/**
 * One file of answers (the build writes per-agency shards and one for the
 * views' default states). Each answer names its columns by index into
 * `cols`: every agency's answer to one question has the same columns (the
 * metric series alone has 84 names, 2 KB a time).
 */
export interface AnswerShard {
	version: string;
	cols: string[][];
	answers: Record<string, ShardRows>;
	/**
	 * Set when the dataset has more agencies than the build stores answers
	 * for (MAX_STORED_AGENCIES), with the agencies this file answers for.
	 */
	capped?: StoredCap & { here: string[] };
}

export interface ShardRows {
	/** Index into the shard's `cols`. */
	c: number;
	r: Value[][];
}

/** How many agencies have stored answers, of how many. */
export interface StoredCap {
	stored: number;
	agencies: number;
}

/**
 * Agencies whose answers the build stores, at most: the files hold about
 * 5 KB of JSON per agency (7 reports), so a national dataset (142,858
 * agencies at 1,000,000 reports) would need some 700 MB. Beyond the cap the
 * agencies with the most reports are stored (then by id); a link to another
 * waits for DuckDB, and the page says why.
 */
export const MAX_STORED_AGENCIES = 16_384;

/** Packs answers into one shard's form: column lists kept once. */
export class ShardWriter {
	readonly cols: string[][] = [];
	private readonly colIndex = new Map<string, number>();
	readonly answers: Record<string, ShardRows> = {};
	/** The agencies answered here. */
	readonly agencies = new Set<string>();

	put(key: string, p: PackedRows): void {
		const k = JSON.stringify(p.c);
		let c = this.colIndex.get(k);
		if (c === undefined) this.colIndex.set(k, (c = this.cols.push(p.c) - 1));
		this.answers[key] = { c, r: p.r };
	}

	shard(version: string, capped?: StoredCap): AnswerShard {
		return { version, cols: this.cols, answers: this.answers, ...(capped ? { capped: { ...capped, here: [...this.agencies] } } : {}) };
	}
}

/** One answer of a shard, as PackedRows. */
export function shardAnswer(s: AnswerShard, key: string): PackedRows | undefined {
	const a = s.answers[key];
	return a && { c: s.cols[a.c], r: a.r };
}

/** No stored answer for this question: the view waits for DuckDB. */
export class AnswerMiss extends Error {
	constructor() {
		super('no stored answer');
		this.name = 'AnswerMiss';
	}
}

/** cyrb53: a fast 53-bit string hash. */
function cyrb53(s: string, seed: number): number {
	let h1 = 0xdeadbeef ^ seed;
	let h2 = 0x41c6ce57 ^ seed;
	for (let i = 0; i < s.length; i++) {
		const ch = s.charCodeAt(i);
		h1 = Math.imul(h1 ^ ch, 2654435761);
		h2 = Math.imul(h2 ^ ch, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * The key of a question: two independent 53-bit hashes and the length of
 * [SQL text, parameters, scope] (about 110 bits: the SQL texts are long, and
 * a key of the whole text would be most of a shard's bytes).
 */
export function answerKey(q: Sql, scope?: RowScope): string {
	const s = JSON.stringify([q.text, q.params, scope?.agencies ?? null, scope?.reports ?? null]);
	return `${cyrb53(s, 1).toString(36)}-${cyrb53(s, 2).toString(36)}-${s.length.toString(36)}`;
}

/** Which of `shards` per-agency files holds an agency's answers (or a group's: storedAt). */
export function shardOf(agencyId: string, shards: number): number {
	return cyrb53(agencyId, 0) % Math.max(1, shards);
}

/** How many agencies' answers share a file: a link fetches its agencies' files only. */
export const AGENCIES_PER_SHARD = 32;

export function shardCount(agencies: number): number {
	return Math.max(1, Math.ceil(agencies / AGENCIES_PER_SHARD));
}

export const agencyShardFile = (i: number) => `agencies-${i}.json`;
/** The detail answers (PerAgency.detail) of the agencies of agencyShardFile(i). */
export const detailShardFile = (i: number) => `detail-${i}.json`;
export const VIEWS_SHARD_FILE = 'views.json';

/**
 * The rows as plain values, or null when one is not (a non-finite number, an
 * object): such an answer is not stored, its view waits for DuckDB. BigInts
 * become numbers as DuckDB-WASM gives them (castBigIntToDouble), when exact.
 */
export function plainRows(rows: readonly Record<string, unknown>[]): Rows | null {
	const out: Rows = [];
	for (const row of rows) {
		const o: Record<string, Value> = {};
		for (const [k, v] of Object.entries(row)) {
			const p = plainValue(v);
			if (p === undefined) return null;
			o[k] = p;
		}
		out.push(o);
	}
	return out;
}

/** One value as plainRows keeps it, or undefined when it is not plain. */
export function plainValue(v: unknown): Value | undefined {
	if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
	if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
	if (typeof v === 'bigint' && Number.isSafeInteger(Number(v))) return Number(v);
	return undefined;
}

export function packRows(rows: Rows): PackedRows {
	const c = rows.length ? Object.keys(rows[0]) : [];
	return { c, r: rows.map((row) => c.map((k) => row[k])) };
}

export function unpackRows(p: PackedRows): Rows {
	return p.r.map((values) => Object.fromEntries(p.c.map((k, i) => [k, values[i]])));
}

/** A runner that answers from stored answers (`find`), and throws AnswerMiss for any other question. */
export class EarlyRunner implements Runner {
	/** Its answers are DuckDB's over the data as built, where the overview reads the cubes: it asks the same questions. */
	readonly cubes = true;

	constructor(private readonly find: (key: string, scope?: RowScope) => Promise<Rows | undefined>) {}

	async query<T>(q: Sql, scope?: RowScope): Promise<T[]> {
		const rows = await this.find(answerKey(q, scope), scope);
		if (!rows) throw new AnswerMiss();
		return rows as T[];
	}
}

/**
 * A question about one agency at a time whose SQL is the same for a list of
 * agencies (`WHERE agency IN list … ORDER BY agency, …`): its answer for a
 * list is each agency's answer in turn. Views ask it per agency (ask), with
 * the agency as the row scope, so each answer is stored under that agency;
 * the build asks once for many and splits the rows (agencyOf).
 */
export interface PerAgency<T> {
	sql(ids: readonly string[]): Sql;
	agencyOf(row: T): string;
	/** Its SQL reads other agencies' rows too (the agency's peers): see scopeFor. */
	peers?: boolean;
	/**
	 * Its answers are large (facts: ~200 cells a report) and kept apart, in
	 * the detail files (detailShardFile), so a link's first chart fetches only
	 * the small answer file.
	 */
	detail?: boolean;
}

/** One agency's rows of a PerAgency question. */
export function ask<T>(db: Runner, q: PerAgency<T>, agencyId: string): Promise<T[]> {
	return db.query<T>(q.sql([agencyId]), scopeFor(q, agencyId));
}

/**
 * The row scope a PerAgency question is asked with for one agency: that
 * agency's rows, or, when its SQL reads its peers' rows too, every row, its
 * answer kept with the agency's (storedWith).
 */
export function scopeFor(q: PerAgency<unknown>, agencyId: string): RowScope {
	if (q.peers) return { storedWith: agencyId };
	return q.detail ? { agencies: [agencyId], detail: true } : { agencies: [agencyId] };
}

/** storedWith of a question about a group of agencies (a peer band): never an agency id, which has no colon. */
export const GROUP_KEY_PREFIX = 'group:';

/** The key whose answer file holds a question's stored answer: its one agency, or storedWith; none: the views' file. */
export function storedAt(scope?: RowScope): string | undefined {
	return scope?.storedWith ?? (scope?.agencies?.length === 1 ? scope.agencies[0] : undefined);
}

/** The answer file holding a question's stored answer (storedAt; a detail question's in the detail files), of `shards` per-agency files. */
export function answerFileOf(scope: RowScope | undefined, shards: number): string {
	const at = storedAt(scope);
	if (at === undefined) return VIEWS_SHARD_FILE;
	const i = shardOf(at, shards);
	return scope?.detail && !scope.storedWith ? detailShardFile(i) : agencyShardFile(i);
}
