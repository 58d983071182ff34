import { join, resolve } from 'node:path';
import { MAX_STORED_AGENCIES } from '$lib/db/answers';

/**
 * The dataset the build reads (snapshot, start data, answer files):
 * static/data, unless NIANBAO_STATIC names another static folder (the
 * benchmarks build the site against generated datasets; the same variable
 * tells svelte.config.js which folder to ship).
 */
export const DATA_DIR = join(resolve(process.env.NIANBAO_STATIC || 'static'), 'data');

/**
 * Agencies whose answers the build stores (db/answers.ts): MAX_STORED_AGENCIES,
 * or fewer where NIANBAO_STORED_AGENCIES says so (a smaller site; the tests
 * build one with agencies left out, whose views wait for DuckDB).
 */
export function storedAgencyCap(): number {
	const v = process.env.NIANBAO_STORED_AGENCIES;
	if (!v) return MAX_STORED_AGENCIES;
	const n = Number(v);
	if (!Number.isSafeInteger(n) || n < 1 || n > MAX_STORED_AGENCIES)
		throw new Error(`NIANBAO_STORED_AGENCIES=${v}: expected a whole number of agencies from 1 to ${MAX_STORED_AGENCIES}`);
	return n;
}
