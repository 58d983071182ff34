import {
	MAX_STORED_AGENCIES,
	ShardWriter,
	scopeFor,
	VIEWS_SHARD_FILE,
	agencyShardFile,
	answerKey,
	detailShardFile,
	packRows,
	plainRows,
	plainValue,
	shardCount,
	shardOf,
	type AnswerShard,
	type PackedRows,
	type PerAgency,
	type Rows,
	type StoredCap
} from '$lib/db/answers';
import { SCOPES } from '$lib/agencies/scope';
import { METRICS } from '$lib/catalog/metrics';
import { PROFILE_METRICS } from '$lib/db/aggregate';
import { NO_FILTERS, NO_REPORT_FILTERS, agencyQuery, factsQuery, issuesQuery, reportsQuery, seriesQuery, type RowScope, type Runner } from '$lib/db/queries';
import {
	bandGroupOf,
	bandKey,
	benchmarkBandSql,
	benchmarkRanksQuery,
	outcomes,
	peerBandSql,
	peerGroupOf,
	peerGroupQuery,
	type BandGroup,
	type BandRow,
	type PeerGroupRow
} from '$lib/db/research';
import { list, sql, type Sql } from '$lib/db/sql';
import { appendFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeRunner } from './duckdb-runner';

/**
 * The build's answers (db/answers.ts): what a shared link's view asks first,
 * in its default state, answered by native DuckDB over the dataset's Parquet
 * files with the views' own query functions, so a link draws before
 * DuckDB-WASM with the numbers DuckDB-WASM then gives.
 * - Per agency (a profile link; a Compare link, any metric): the agency's
 *   row, its reports, each report's every metric. Asked once per group of
 *   agencies (PerAgency) and kept per agency: build time and bytes grow with
 *   the reports, not with agencies × metrics.
 * - The views' default states (Outcomes by year and by agency).
 * Non-default states (filters, a year range) are not answered here; their
 * view waits for DuckDB, or finds the browser's cache (db/early.ts). Beyond
 * MAX_STORED_AGENCIES agencies, only that many are answered (storedAgencies).
 */

/** The per-agency questions answered for every agency (the profile's benchmark among them: its peer group, its ranks). */
export const AGENCY_QUESTIONS: readonly PerAgency<never>[] = [
	agencyQuery,
	reportsQuery,
	seriesQuery({ from: null, to: null }),
	peerGroupQuery,
	benchmarkRanksQuery(PROFILE_METRICS)
] as PerAgency<never>[];

/** The tables those questions and the views' default states read. */
const TABLES = ['agencies', 'report_metrics', 'reports'] as const;

function plain(rows: readonly Record<string, unknown>[], q: Sql): Rows {
	const p = plainRows(rows);
	// Not silently left out: every stored answer must equal DuckDB-WASM's.
	if (!p) throw new Error(`answers: a value of this query is not plain JSON: ${q.text.slice(0, 200)}`);
	return p;
}

/** Records each answer it gives, under its key. */
class Recorder implements Runner {
	readonly answers = new ShardWriter();
	constructor(private readonly db: Runner) {}

	async query<T>(q: Sql, scope?: RowScope): Promise<T[]> {
		const rows = plain(await this.db.query<Record<string, unknown>>(q, scope), q);
		this.answers.put(answerKey(q, scope), packRows(rows));
		return rows as T[];
	}
}

/**
 * The agencies whose answers are stored, by id: all of them, or beyond
 * MAX_STORED_AGENCIES those with the most reports (then by id), and the cap
 * when it applied.
 */
async function storedAgencies(db: Runner, max: number): Promise<{ ids: string[]; capped?: StoredCap }> {
	const [{ n }] = await db.query<{ n: number }>(sql`SELECT CAST(COUNT(*) AS DOUBLE) AS n FROM agencies`);
	if (n <= max) return { ids: (await db.query<{ id: string }>(sql`SELECT id FROM agencies ORDER BY id`)).map((r) => r.id) };
	const top = await db.query<{ id: string }>(sql`SELECT id FROM (
			SELECT a.id, COUNT(r.report_id) AS reports FROM agencies a LEFT JOIN reports r ON r.agency_id = a.id GROUP BY a.id
			ORDER BY reports DESC, a.id LIMIT ${max}) ORDER BY id`);
	return { ids: top.map((r) => r.id), capped: { stored: top.length, agencies: n } };
}

/**
 * Agencies asked at once: the IN list's length. A question that reads the
 * agencies' peers (PerAgency.peers) is asked for all of them at once, so
 * each group's peers are read and ranked once, not once per chunk.
 */
const CHUNK = 1000;

/** Metrics per query of the Compare bands: quantiles hold their values (all metrics of 1,000,000 reports at once would be ~1 GB). */
const BAND_METRICS = 8;

/**
 * The peer bands of the stored agencies' groups, each kept with its group
 * (bandKey): for a Compare link, each metric over every year in the default
 * state; for the profile's benchmark, its metrics over reports of each
 * scope. Asked for all groups at once, the rows split per group (and
 * metric) under the key of the question a view asks for one.
 */
async function storeBands(db: Runner, groups: readonly BandGroup[], shards: readonly ShardWriter[]): Promise<void> {
	if (!groups.length) return;
	const at = (g: BandGroup) => shards[shardOf(bandKey(g), shards.length)];
	const keyOf = (g: Pick<BandRow, 'basis' | 'level' | 'category'>, metric: string) => JSON.stringify([g.basis, g.level, g.category, metric]);
	const split = async (q: Sql) => {
		const by = new Map<string, Rows>();
		for (const row of plain(await db.query<Record<string, unknown>>(q), q)) {
			const k = keyOf(row as unknown as BandRow, String(row.metric));
			const list = by.get(k);
			if (list) list.push(row);
			else by.set(k, [row]);
		}
		return (g: BandGroup, metric: string) => by.get(keyOf(g, metric)) ?? [];
	};
	const all = { from: null, to: null };
	for (let i = 0; i < METRICS.length; i += BAND_METRICS) {
		const some = METRICS.slice(i, i + BAND_METRICS);
		const band = await split(peerBandSql(groups, some, all, NO_REPORT_FILTERS, NO_FILTERS.sum));
		for (const g of groups)
			for (const m of some)
				at(g).put(answerKey(peerBandSql([g], [m], all, NO_REPORT_FILTERS, NO_FILTERS.sum), { storedWith: bandKey(g) }), packRows(band(g, m.id)));
	}
	const metrics = [...new Set(PROFILE_METRICS)].sort();
	for (const scope of SCOPES) {
		const band = await split(benchmarkBandSql(groups, PROFILE_METRICS, scope));
		// One group's rows in the order its own question gives them: by metric, then year.
		for (const g of groups)
			at(g).put(answerKey(benchmarkBandSql([g], PROFILE_METRICS, scope), { storedWith: bandKey(g) }), packRows(metrics.flatMap((m) => band(g, m))));
	}
}

/** Every answer file of the dataset in `dataDir`, by file name; `max`: the cap (tests lower it). */
export async function buildAnswers(dataDir: string, max = MAX_STORED_AGENCIES): Promise<Map<string, AnswerShard>> {
	const db = await NodeRunner.open(dataDir, TABLES);
	try {
		const version = db.manifest.dataset_version;
		const { ids, capped } = await storedAgencies(db, max);
		const shards = Array.from({ length: shardCount(ids.length) }, () => new ShardWriter());
		/** The stored agencies' peer groups, whose bands are stored. */
		const groups = new Map<string, BandGroup>();
		for (const q of AGENCY_QUESTIONS) {
			const size = q.peers ? ids.length : CHUNK;
			for (let i = 0; i < ids.length; i += size) {
				const chunk = ids.slice(i, i + size);
				const all = q.sql(chunk);
				const byAgency = new Map<string, Rows>();
				for (const row of plain(await db.query<Record<string, unknown>>(all), all)) {
					const id = q.agencyOf(row as never);
					const list = byAgency.get(id);
					if (list) list.push(row);
					else byAgency.set(id, [row]);
					const band = q === peerGroupQuery ? bandGroupOf(peerGroupOf(row as unknown as PeerGroupRow)) : null;
					if (band) groups.set(bandKey(band), band);
				}
				// Each agency's rows under the key of its own question (an agency with none gets its empty answer).
				for (const id of chunk) {
					const shard = shards[shardOf(id, shards.length)];
					shard.put(answerKey(q.sql([id]), scopeFor(q, id)), packRows(byAgency.get(id) ?? []));
					shard.agencies.add(id);
				}
			}
		}
		await storeBands(db, [...groups.values()], shards);
		const views = new Recorder(db);
		for (const by of ['year', 'agency'] as const) await outcomes(views, NO_FILTERS, by);
		return new Map<string, AnswerShard>([
			...shards.map((s, i) => [agencyShardFile(i), s.shard(version, capped)] as const),
			[VIEWS_SHARD_FILE, views.answers.shard(version, capped)]
		]);
	} finally {
		db.close();
	}
}

/** The profile's printed tables and issues (PerAgency.detail), stored apart: ~90 KB of JSON an agency, 18× the rest. */
export const DETAIL_QUESTIONS: readonly PerAgency<never>[] = [factsQuery, issuesQuery] as PerAgency<never>[];

/**
 * Agencies whose detail is asked at once: their reports' facts are read
 * into DuckDB (~200 rows a report), then asked and written out, so the
 * build holds one chunk's rows whatever the number of agencies.
 */
const DETAIL_CHUNK = 250;

/**
 * A detail question's rows for many agencies, packed (packRows' form) per
 * agency (its agency_id column), read column by column: at 100,000 reports
 * they are 20 million facts, too many to make an object of each.
 */
async function packedByAgency(db: NodeRunner, q: Sql): Promise<Map<string, PackedRows>> {
	const cols = await db.columns(q);
	const c = Object.keys(cols);
	const agency = cols.agency_id;
	if (!agency) throw new Error(`answers: a detail question gives no agency_id: ${q.text.slice(0, 200)}`);
	const by = new Map<string, PackedRows>();
	for (let i = 0; i < agency.length; i++) {
		const row = c.map((name) => {
			const v = plainValue(cols[name][i]);
			// Not silently left out: every stored answer must equal DuckDB-WASM's.
			if (v === undefined) throw new Error(`answers: a value of this query is not plain JSON: ${q.text.slice(0, 200)}`);
			return v;
		});
		const id = String(agency[i]);
		const p = by.get(id);
		if (p) p.r.push(row);
		else by.set(id, { c, r: [row] });
	}
	return by;
}

/**
 * The detail answers of the stored agencies (the same agencies and files as
 * buildAnswers: detailShardFile(i) beside agencyShardFile(i)), written to
 * `dir`; returns the files' names. At 16,384 agencies they are ~1.5 GB of
 * JSON, so nothing is held: each chunk's answers are appended to their file's
 * list as they come, and each file is then written from its list alone.
 */
export async function buildDetailAnswers(dataDir: string, dir: string, max = MAX_STORED_AGENCIES): Promise<string[]> {
	// facts and issues hold only a chunk's reports at a time (fillReports reads the files: unlocked).
	const db = await NodeRunner.open(dataDir, ['agencies', 'reports'], { empty: ['facts', 'issues'], lock: false });
	try {
		const version = db.manifest.dataset_version;
		const { ids, capped } = await storedAgencies(db, max);
		const n = shardCount(ids.length);
		const pending = (i: number) => join(dir, `${detailShardFile(i)}.lines`);
		for (let i = 0; i < n; i++) rmSync(pending(i), { force: true });
		for (let i = 0; i < ids.length; i += DETAIL_CHUNK) {
			const chunk = ids.slice(i, i + DETAIL_CHUNK);
			const [span] = await db.query<{ lo: string | null; hi: string | null }>(
				sql`SELECT min(report_id) AS lo, max(report_id) AS hi FROM reports WHERE agency_id IN (${list(chunk)})`
			);
			const lines = new Map<number, string[]>();
			const byQuestion: Map<string, PackedRows>[] = [];
			if (span.lo !== null && span.hi !== null) for (const t of ['facts', 'issues'] as const) await db.fillReports(t, span.lo, span.hi);
			for (const q of DETAIL_QUESTIONS) byQuestion.push(span.lo === null ? new Map() : await packedByAgency(db, q.sql(chunk)));
			for (const id of chunk) {
				const at = shardOf(id, n);
				const out = lines.get(at) ?? [];
				// Each agency's rows under the key of its own question (none: its empty answer).
				DETAIL_QUESTIONS.forEach((q, k) => out.push(JSON.stringify([id, answerKey(q.sql([id]), scopeFor(q, id)), byQuestion[k].get(id) ?? packRows([])])));
				lines.set(at, out);
			}
			for (const [at, out] of lines) appendFileSync(pending(at), out.join('\n') + '\n');
		}
		const files: string[] = [];
		for (let i = 0; i < n; i++) {
			const shard = new ShardWriter();
			if (existsSync(pending(i)))
				for (const line of readFileSync(pending(i), 'utf8').split('\n')) {
					if (!line) continue;
					const [id, key, packed] = JSON.parse(line) as [string, string, PackedRows];
					shard.put(key, packed);
					shard.agencies.add(id);
				}
			const file = detailShardFile(i);
			// Written then renamed: a build stopped halfway leaves no truncated file.
			writeFileSync(join(dir, file + '.tmp'), JSON.stringify(shard.shard(version, capped)));
			renameSync(join(dir, file + '.tmp'), join(dir, file));
			rmSync(pending(i), { force: true });
			files.push(file);
		}
		return files;
	} finally {
		db.close();
	}
}
