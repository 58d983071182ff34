/** What the cache needs of a prepared statement (DuckDB-WASM's AsyncPreparedStatement). */
export interface Statement<R> {
	query(...params: unknown[]): Promise<R>;
	close(): Promise<void>;
}

/**
 * Prepared statements kept by SQL text, the least recently used closed
 * beyond `limit`. Values travel as parameters, so a filter change asks the
 * same texts again: preparing the overview's re-sum of a cube (~150
 * aggregates) took 45–214 ms at each change at a million reports. Rows
 * added later are seen (a plan reads its tables as they are when it runs).
 * A statement whose run fails is dropped and prepared afresh next time.
 */
export class StatementCache<R> {
	private readonly kept = new Map<string, Promise<Statement<R>>>();

	constructor(
		private readonly prepare: (text: string) => Promise<Statement<R>>,
		private readonly limit = 32
	) {}

	get size(): number {
		return this.kept.size;
	}

	async run(text: string, params: readonly unknown[]): Promise<R> {
		let stmt = this.kept.get(text);
		if (stmt) this.kept.delete(text);
		else stmt = this.prepare(text);
		// Last used goes last: the Map's order is the eviction order.
		this.kept.set(text, stmt);
		for (const [old, evicted] of this.kept) {
			if (this.kept.size <= this.limit) break;
			this.kept.delete(old);
			// A run already given it has sent its query first: the worker takes messages in order.
			void evicted.then((s) => s.close()).catch(() => {});
		}
		try {
			return await (await stmt).query(...params);
		} catch (e) {
			if (this.kept.get(text) === stmt) {
				this.kept.delete(text);
				void stmt.then((s) => s.close()).catch(() => {});
			}
			throw e;
		}
	}
}
