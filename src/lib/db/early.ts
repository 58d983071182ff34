import {
	EarlyRunner,
	GROUP_KEY_PREFIX,
	answerKey,
	agencyShardFile,
	answerFileOf,
	packRows,
	plainRows,
	shardAnswer,
	shardOf,
	storedAt,
	unpackRows,
	type AnswerShard,
	type PackedRows,
	type Rows,
	type StoredCap
} from './answers';
import type { RowScope, Runner } from './queries';
import type { Sql } from './sql';

/**
 * Where the page finds answers before DuckDB is ready (db/answers.ts), all
 * for the dataset version the page was built with:
 * - this browser's Cache Storage, holding DuckDB's answers of earlier visits
 *   (one cache per version; others are deleted), so a link opened again draws
 *   at once whatever its state;
 * - the build's answer files: one per group of agencies (a link fetches its
 *   agencies' only), their detail files (the profile's printed tables: fetched
 *   only when a detail question is asked) and one for the views' default states.
 * Answers are written only while the page's data is the bundled dataset: once
 * a report is uploaded, nothing is stored and no stored answer is shown.
 */

const CACHE_PREFIX = 'nianbao-answers-';

export interface EarlyAnswers {
	/** Answers from the cache or the build's files; misses throw AnswerMiss. */
	runner: Runner;
	/**
	 * `db` (DuckDB), remembering each answer while `pristine()` holds before
	 * and after it; a question about one agency or group with an answer in
	 * the build's files is answered from them.
	 */
	remembering(db: Runner, pristine: () => boolean): Runner;
	/** Resolves once no view is asking stored answers (they drew, or found none). */
	settled(): Promise<void>;
}

function cacheStorage(): CacheStorage | null {
	// Cache Storage exists in secure contexts only (https, localhost).
	return typeof caches === 'undefined' ? null : caches;
}

/**
 * `notStored`: told when a link's agency has no stored answers because the
 * build stores at most MAX_STORED_AGENCIES (its view waits for DuckDB).
 */
export function earlyAnswers(
	version: string,
	shards: number,
	fileUrl: (file: string) => string,
	notStored?: (agency: string, cap: StoredCap) => void
): EarlyAnswers {
	const store = cacheStorage();
	const name = CACHE_PREFIX + version;
	const cache = store?.open(name).catch(() => null) ?? Promise.resolve(null);
	// Answers of other dataset versions can never be shown: drop them.
	void store
		?.keys()
		.then((names) => Promise.all(names.filter((n) => n.startsWith(CACHE_PREFIX) && n !== name).map((n) => store.delete(n))))
		.catch(() => {});
	const requestOf = (key: string) => new Request(new URL(`/__nianbao-answers/${key}`, location.origin));

	const loaded = new Map<string, PackedRows>();
	/** Keys this page found in or put into the cache: not written again. */
	const cached = new Set<string>();
	const files = new Map<string, Promise<AnswerShard['capped']>>();
	/** Reads a file's answers; resolves to its cap, when the build capped the stored agencies. */
	const load = (file: string) => {
		let p = files.get(file);
		if (!p) {
			p = fetch(fileUrl(file))
				.then((r) => (r.ok ? (r.json() as Promise<AnswerShard>) : null))
				.then((shard) => {
					// A file of another dataset version answers nothing.
					if (shard?.version !== version) return undefined;
					for (const k of Object.keys(shard.answers)) loaded.set(k, shardAnswer(shard, k)!);
					return shard.capped;
				})
				.catch(() => undefined);
			files.set(file, p);
		}
		return p;
	};

	// Questions in flight, and who waits for there to be none.
	let asking = 0;
	const waiting: (() => void)[] = [];
	const idle = () => {
		// A view's next question may follow in a moment (profileSummary asks in two steps): look again after a task.
		setTimeout(() => {
			if (asking > 0) return;
			for (const w of waiting.splice(0)) w();
		}, 0);
	};
	function settled(): Promise<void> {
		return new Promise((resolve) => {
			waiting.push(resolve);
			if (asking === 0) idle();
		});
	}

	async function find(key: string, scope?: RowScope): Promise<Rows | undefined> {
		asking++;
		try {
			return await lookUp(key, scope);
		} finally {
			if (--asking === 0) idle();
		}
	}

	async function lookUp(key: string, scope?: RowScope): Promise<Rows | undefined> {
		const known = loaded.get(key);
		if (known) return unpackRows(known);
		const c = await cache;
		const hit = await c?.match(requestOf(key)).catch(() => undefined);
		if (hit) {
			const packed = (await hit.json().catch(() => null)) as PackedRows | null;
			if (packed) {
				cached.add(key);
				return unpackRows(packed);
			}
		}
		const at = storedAt(scope);
		const cap = await loadFor(scope);
		const built = loaded.get(key);
		if (!built && cap && at !== undefined && !at.startsWith(GROUP_KEY_PREFIX) && !cap.here.includes(at))
			notStored?.(at, { stored: cap.stored, agencies: cap.agencies });
		return built ? unpackRows(built) : undefined;
	}

	/**
	 * Reads the file that would hold a question's answer. A detail file (a
	 * profile's printed tables, ~30× an answer file's bytes) only once the
	 * agency's answer file, which the profile reads anyway, says the agency
	 * is stored; resolves to the build's cap, if any.
	 */
	async function loadFor(scope?: RowScope): Promise<AnswerShard['capped']> {
		const at = storedAt(scope);
		if (scope?.detail && at !== undefined && !scope.storedWith) {
			const cap = await load(agencyShardFile(shardOf(at, shards)));
			if (cap && !cap.here.includes(at)) return cap;
		}
		return load(answerFileOf(scope, shards));
	}

	/** The build's answer to a question about one agency or group (its file, fetched once), if stored. */
	async function builtAnswer(key: string, scope?: RowScope): Promise<Rows | undefined> {
		if (storedAt(scope) === undefined) return undefined;
		if (!loaded.has(key)) await loadFor(scope);
		const built = loaded.get(key);
		return built && unpackRows(built);
	}

	function remembering(db: Runner, pristine: () => boolean): Runner {
		return {
			get cubes() {
				return db.cubes;
			},
			async query<T>(q: Sql, scope?: RowScope): Promise<T[]> {
				const clean = pristine();
				const key = answerKey(q, scope);
				// A question about one agency is answered from its build file even once DuckDB is ready: the same
				// rows, without DuckDB reading its reports' parts (the profile's facts: 100,000-row groups).
				const built = clean ? await builtAnswer(key, scope) : undefined;
				if (built && pristine()) return built as T[];
				const rows = await db.query<T>(q, scope);
				if (clean && pristine() && !loaded.has(key) && !cached.has(key)) {
					cached.add(key);
					const plain = plainRows(rows as Record<string, unknown>[]);
					const c = await cache;
					if (plain && c) void c.put(requestOf(key), new Response(JSON.stringify(packRows(plain)))).catch(() => {});
				}
				return rows;
			}
		};
	}

	return { runner: new EarlyRunner(find), remembering, settled };
}
