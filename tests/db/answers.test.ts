import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRICS } from '../../src/lib/catalog/metrics';
import {
	AnswerMiss,
	EarlyRunner,
	VIEWS_SHARD_FILE,
	agencyShardFile,
	answerFileOf,
	answerKey,
	detailShardFile,
	packRows,
	plainRows,
	scopeFor,
	shardAnswer,
	shardCount,
	shardOf,
	unpackRows,
	type AnswerShard,
	type Rows,
	type StoredCap
} from '../../src/lib/db/answers';
import { earlyAnswers } from '../../src/lib/db/early';
import { NO_FILTERS, factsQuery, metricSeries, profileDetail, profileSummary, type RowScope, type Runner } from '../../src/lib/db/queries';
import { PROFILE_METRICS } from '../../src/lib/db/aggregate';
import { benchmark, outcomes, peerBand } from '../../src/lib/db/research';
import { sql, type Sql } from '../../src/lib/db/sql';
import { buildAnswers, buildDetailAnswers } from '../../src/lib/server/answers';
import { NodeRunner } from '../../src/lib/server/duckdb-runner';

// The build's answers: each view asks its own query functions of an EarlyRunner over the answer files, and must get
// exactly what native DuckDB answers to the same functions — for every agency, every metric, the default states.

const DATA = join(process.cwd(), 'static/data');
let db: NodeRunner;
let files: Map<string, AnswerShard>;
let ids: string[];

/** What a page finds in the build's files alone (no browser cache): the file of the question's agency, or the views' file. */
function buildRunner(): { runner: Runner; misses: string[] } {
	const misses: string[] = [];
	const find = async (key: string, scope?: RowScope): Promise<Rows | undefined> => {
		const f = files.get(answerFileOf(scope, shards()));
		const p = f && shardAnswer(f, key);
		if (!p) misses.push(key);
		return p ? unpackRows(p) : undefined;
	};
	return { runner: new EarlyRunner(find), misses };
}
const shards = () => [...files.keys()].filter((f) => f.startsWith('agencies-')).length;

/** Native DuckDB's rows as the page receives them (BigInts as numbers); a question asked again is not run again. */
const asked = new Map<string, Rows | null>();
const plainDb: Runner = {
	query: async <T>(q: Sql, scope?: RowScope) => {
		const key = answerKey(q, scope);
		if (!asked.has(key)) asked.set(key, plainRows(await db.query<Record<string, unknown>>(q)));
		return asked.get(key) as T[];
	}
};

/** The detail files as the route writes them, read back as sent (JSON). */
async function withDetail(max?: number): Promise<Map<string, AnswerShard>> {
	const dir = mkdtempSync(join(tmpdir(), 'answers-test-'));
	try {
		const names = await buildDetailAnswers(DATA, dir, max);
		return new Map(names.map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as AnswerShard]));
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

beforeAll(async () => {
	db = await NodeRunner.open(DATA);
	files = new Map([...(await buildAnswers(DATA)), ...(await withDetail())]);
	ids = (await db.query<{ id: string }>(sql`SELECT id FROM agencies ORDER BY id`)).map((r) => r.id);
}, 120_000);

afterAll(() => db?.close());

describe('the build’s answers', () => {
	it('are one file per 32 agencies and one for the views, all of this dataset version', () => {
		expect(shards()).toBe(shardCount(ids.length));
		expect(files.has(VIEWS_SHARD_FILE)).toBe(true);
		for (const f of files.values()) expect(f.version).toBe(db.manifest.dataset_version);
	});

	it('answer every agency’s profile summary exactly as DuckDB does', async () => {
		const { runner, misses } = buildRunner();
		for (const id of ids) expect(await profileSummary(runner, id), id).toEqual(await profileSummary(plainDb, id));
		expect(misses).toEqual([]);
	});

	it('answer every agency’s printed tables and issues (profile detail) from its detail file exactly as DuckDB does', async () => {
		expect([...files.keys()].filter((f) => f.startsWith('detail-')).sort()).toEqual(Array.from({ length: shards() }, (_, i) => detailShardFile(i)).sort());
		const { runner, misses } = buildRunner();
		let cells = 0;
		let issues = 0;
		for (const id of ids) {
			const want = await profileDetail(plainDb, id);
			expect(await profileDetail(runner, id), id).toEqual(want);
			cells += want.facts.length;
			issues += want.issues.length;
		}
		expect(misses).toEqual([]);
		// Not only empty answers: the bundled reports have their cells and issues.
		expect(cells).toBeGreaterThan(1000);
		expect(issues).toBeGreaterThan(0);
		// The agencies' answer files hold no detail: a link's first chart fetches only those.
		for (const id of ids) {
			const key = answerKey(factsQuery.sql([id]), scopeFor(factsQuery, id));
			expect(files.get(agencyShardFile(shardOf(id, shards())))!.answers[key], id).toBeUndefined();
			expect(files.get(detailShardFile(shardOf(id, shards())))!.answers[key], id).toBeDefined();
		}
	});

	it('answer Compare for any two agencies and any metric exactly as DuckDB does', async () => {
		const { runner, misses } = buildRunner();
		for (let i = 0; i + 1 < ids.length; i++) {
			const pair = [ids[i + 1], ids[i]];
			for (const m of METRICS) {
				const want = await metricSeries(plainDb, pair, m.id, { from: null, to: null });
				expect(await metricSeries(runner, pair, m.id, { from: null, to: null }), `${pair} ${m.id}`).toEqual(want);
			}
		}
		expect(misses).toEqual([]);
	});

	it('answer every agency’s benchmark (its peer group, ranks and the peers’ quantiles) exactly as DuckDB does', async () => {
		const { runner, misses } = buildRunner();
		let compared = 0;
		for (const id of ids) {
			const want = await benchmark(plainDb, id, PROFILE_METRICS);
			expect(await benchmark(runner, id, PROFILE_METRICS), id).toEqual(want);
			compared += want?.rows.filter((r) => r.p50 !== null).length ?? 0;
		}
		expect(misses).toEqual([]);
		// Not only empty benchmarks: the bundled data has peer groups with quantiles.
		expect(compared).toBeGreaterThan(0);
	});

	it('answer Compare’s peer band for any agency as 基准机关 and any metric exactly as DuckDB does', async () => {
		const { runner, misses } = buildRunner();
		let bands = 0;
		for (const id of ids)
			for (const m of METRICS) {
				const want = await peerBand(plainDb, id, m.id, { from: null, to: null });
				expect(await peerBand(runner, id, m.id, { from: null, to: null }), `${id} ${m.id}`).toEqual(want);
				bands += want?.years.filter((y) => y.p50 !== null).length ?? 0;
			}
		expect(misses).toEqual([]);
		expect(bands).toBeGreaterThan(0);
	});

	it('answer Outcomes’ default states exactly as DuckDB does', async () => {
		const { runner } = buildRunner();
		for (const by of ['year', 'agency'] as const) expect(await outcomes(runner, NO_FILTERS, by)).toEqual(await outcomes(plainDb, NO_FILTERS, by));
	});

	it('have no answer for a state they do not hold: the view waits for DuckDB', async () => {
		const { runner } = buildRunner();
		await expect(metricSeries(runner, ids.slice(0, 2), METRICS[0].id, { from: 2022, to: null })).rejects.toBeInstanceOf(AnswerMiss);
		await expect(outcomes(runner, { ...NO_FILTERS, minN: 5 }, 'agency')).rejects.toBeInstanceOf(AnswerMiss);
		await expect(peerBand(runner, ids[0], METRICS[0].id, { from: 2022, to: null })).rejects.toBeInstanceOf(AnswerMiss);
		await expect(peerBand(runner, ids[0], METRICS[0].id, { from: null, to: null }, undefined, 'aggregate')).rejects.toBeInstanceOf(AnswerMiss);
	});
});

describe('answers capped at a number of agencies', () => {
	const MAX = 5;
	let capped: Map<string, AnswerShard>;
	let stored: string[];
	beforeAll(async () => {
		// As sent: through JSON.
		capped = new Map([
			...[...(await buildAnswers(DATA, MAX))].map(([f, s]) => [f, JSON.parse(JSON.stringify(s)) as AnswerShard] as const),
			...(await withDetail(MAX))
		]);
		// The agencies with the most reports, then by id (from the reports table itself).
		const rows = await db.query<{ id: string; n: number }>(
			sql`SELECT a.id, CAST(COUNT(r.report_id) AS DOUBLE) AS n FROM agencies a LEFT JOIN reports r ON r.agency_id = a.id GROUP BY a.id`
		);
		stored = rows
			.sort((a, b) => b.n - a.n || (a.id < b.id ? -1 : 1))
			.slice(0, MAX)
			.map((r) => r.id);
	}, 120_000);

	it('store the agencies with the most reports, say so in every file, and answer those exactly as DuckDB does', async () => {
		expect([...capped.keys()].filter((f) => f.startsWith('agencies-'))).toHaveLength(shardCount(MAX));
		const here = (prefix: string) => [...capped].flatMap(([f, s]) => (f.startsWith(prefix) ? (s.capped?.here ?? []) : []));
		expect(here('agencies-').sort()).toEqual([...stored].sort());
		expect(here('detail-').sort()).toEqual([...stored].sort());
		for (const s of capped.values()) expect(s.capped).toMatchObject({ stored: MAX, agencies: ids.length });
		const find = async (key: string, scope?: RowScope) => {
			const f = capped.get(answerFileOf(scope, shardCount(MAX)));
			const p = f && shardAnswer(f, key);
			return p ? unpackRows(p) : undefined;
		};
		const runner = new EarlyRunner(find);
		for (const id of stored) expect(await profileSummary(runner, id), id).toEqual(await profileSummary(plainDb, id));
		for (const id of stored) expect(await profileDetail(runner, id), id).toEqual(await profileDetail(plainDb, id));
		expect([...capped.keys()].filter((f) => f.startsWith('detail-'))).toHaveLength(shardCount(MAX));
		for (const id of ids.filter((x) => !stored.includes(x))) {
			await expect(profileSummary(runner, id), id).rejects.toBeInstanceOf(AnswerMiss);
			await expect(profileDetail(runner, id), id).rejects.toBeInstanceOf(AnswerMiss);
		}
		for (const by of ['year', 'agency'] as const) expect(await outcomes(runner, NO_FILTERS, by)).toEqual(await outcomes(plainDb, NO_FILTERS, by));
	});

	it('tell the page which agency was left out, and draw the stored ones (the page’s own lookup over the files)', async () => {
		const told: [string, StoredCap][] = [];
		const serve = async (url: string) => {
			const file = capped.get(url.slice('answers/'.length));
			return file ? new Response(JSON.stringify(file)) : new Response('', { status: 404 });
		};
		const realFetch = globalThis.fetch;
		globalThis.fetch = ((u: string) => serve(String(u))) as typeof fetch;
		try {
			const early = earlyAnswers(
				db.manifest.dataset_version,
				shardCount(MAX),
				(f) => `answers/${f}`,
				(agency, cap) => told.push([agency, cap])
			);
			const left = ids.find((x) => !stored.includes(x))!;
			await expect(profileSummary(early.runner, left)).rejects.toBeInstanceOf(AnswerMiss);
			expect(told).toEqual([[left, { stored: MAX, agencies: ids.length }]]);
			expect(await profileSummary(early.runner, stored[0])).toEqual(await profileSummary(plainDb, stored[0]));
			expect(await profileDetail(early.runner, stored[0])).toEqual(await profileDetail(plainDb, stored[0]));
			// A stored agency's state that was not stored (a year range) is a miss, not an agency left out.
			await expect(metricSeries(early.runner, [stored[0]], METRICS[0].id, { from: 2022, to: null })).rejects.toBeInstanceOf(AnswerMiss);
			expect(told).toHaveLength(1);
			// Once DuckDB is ready, a stored agency's profile is still drawn from its files (DuckDB is not asked),
			// and DuckDB answers what they do not hold: a left-out agency, a state not stored.
			const duck: string[] = [];
			const ready = early.remembering(
				{
					query: async <T>(q: Sql, scope?: RowScope) => {
						duck.push(q.text);
						return plainDb.query<T>(q, scope);
					}
				},
				() => true
			);
			expect(await profileDetail(ready, stored[1])).toEqual(await profileDetail(plainDb, stored[1]));
			expect(await profileSummary(ready, stored[1])).toEqual(await profileSummary(plainDb, stored[1]));
			expect(duck).toEqual([]);
			expect(await profileDetail(ready, left)).toEqual(await profileDetail(plainDb, left));
			expect(duck).toHaveLength(2);
			await metricSeries(ready, [stored[0]], METRICS[0].id, { from: 2022, to: null });
			expect(duck).toHaveLength(3);
			expect(told).toHaveLength(1);
		} finally {
			globalThis.fetch = realFetch;
		}
	});
});

describe('answer keys and rows', () => {
	it('differ with the SQL text, a parameter or the row scope', () => {
		const q = sql`SELECT ${1} AS x`;
		const keys = [
			answerKey(q),
			answerKey(sql`SELECT ${2} AS x`),
			answerKey(sql`SELECT ${'1'} AS x`),
			answerKey(q, { agencies: ['a'] }),
			answerKey(sql`SELECT ${1} AS y`)
		];
		expect(new Set(keys).size).toBe(keys.length);
		expect(answerKey(sql`SELECT ${1} AS x`)).toBe(keys[0]);
	});

	it('store plain values only (a non-finite number or an inexact BigInt is not stored), in column order', () => {
		expect(plainRows([{ a: 1n, b: 'x', c: null, d: true }])).toEqual([{ a: 1, b: 'x', c: null, d: true }]);
		expect(plainRows([{ a: Infinity }])).toBeNull();
		expect(plainRows([{ a: 2n ** 60n }])).toBeNull();
		expect(plainRows([{ a: [1] }])).toBeNull();
		const rows = [
			{ z: 1, a: 'p' },
			{ z: 2, a: null }
		];
		const back = unpackRows(packRows(rows));
		expect(back).toEqual(rows);
		expect(Object.keys(back[0])).toEqual(['z', 'a']);
	});
});
