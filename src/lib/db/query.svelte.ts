import type { Runner } from './queries';

/**
 * The one way a view asks DuckDB, after Mosaic's coordinator and clients: a
 * view declares what it wants (`args`, plain data) and how to ask (`run`);
 * the query asks again when the args change, when the engine becomes ready
 * and when the data changes (uploaded reports), drops answers that a newer
 * question overtook, and keeps the last answer while the next one is on its
 * way (views dim it rather than blank it). Before the engine is ready, a
 * source may answer from stored answers (`early`); the engine then asks again.
 */
export interface Query<T> {
	/** The latest answer, possibly to earlier args (see `fresh`). */
	readonly data: T | undefined;
	/** `data` answers the current args. */
	readonly fresh: boolean;
	/** There are args and their answer is not in yet. */
	readonly busy: boolean;
	/** The failure of the latest question, as text; null once one succeeds. */
	readonly error: string | null;
	/** `data` came from stored answers (db/answers.ts) while DuckDB starts; DuckDB's own answer replaces it. */
	readonly early: boolean;
}

/** Where queries run: a runner once the engine is ready, and the data's revision. */
export interface QuerySource {
	runner(): Runner | null;
	revision(): number;
	/** Before the runner: one that answers from stored answers only (db/answers.ts), or null. */
	early?(): Runner | null;
}

/**
 * A query over `source` (views use createQuery of db/client.svelte.ts, over
 * the page's DuckDB). `args` returns null when there is nothing to ask (no
 * agency chosen, numbers prerendered); args are compared by value (JSON), so
 * rebuilding equal args asks nothing. Call it while a component (or an
 * $effect.root) initialises.
 */
export function queryOn<A, T>(source: QuerySource, args: () => A | null, run: (db: Runner, args: A) => Promise<T>): Query<T> {
	const current = $derived.by(() => {
		const a = args();
		return a === null ? null : { args: a, key: JSON.stringify([a, source.revision()]) };
	});
	let answer = $state<{ key: string; data: T; early: boolean } | null>(null);
	let error = $state<string | null>(null);
	let asked: string | null = null;
	let askedEarly: string | null = null;
	let seq = 0;

	$effect(() => {
		const q = current;
		const db = source.runner();
		if (!q) return;
		if (!db) {
			// DuckDB is not ready: draw from stored answers when every question of `run` has one; a miss waits.
			const early = source.early?.();
			if (!early || q.key === askedEarly) return;
			askedEarly = q.key;
			const mine = ++seq;
			run(early, q.args).then(
				(data) => {
					if (mine === seq) answer = { key: q.key, data, early: true };
				},
				() => {}
			);
			return;
		}
		if (q.key === asked) return;
		asked = q.key;
		const mine = ++seq;
		run(db, q.args).then(
			(data) => {
				if (mine !== seq) return;
				answer = { key: q.key, data, early: false };
				error = null;
			},
			(e: unknown) => {
				if (mine === seq) error = e instanceof Error ? e.message : String(e);
			}
		);
	});

	return {
		get data() {
			return answer?.data;
		},
		get fresh() {
			return current !== null && answer?.key === current.key;
		},
		get busy() {
			return current !== null && answer?.key !== current.key && error === null;
		},
		get error() {
			return error;
		},
		get early() {
			return answer?.early ?? false;
		}
	};
}
