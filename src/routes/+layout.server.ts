import { DATA_DIR, storedAgencyCap } from '$lib/server/data-dir';
import { buildSnapshot } from '$lib/server/snapshot';
import type { Snapshot } from '$lib/db/snapshot';
import type { LayoutServerLoad } from './$types';

// Runs at prerender: the default overview's numbers, and the years and
// choices the filters offer, go into every page so the first chart does not
// wait for DuckDB-WASM. Built once for all the pages. The agency list is not
// in it: it grows with the dataset, and is a file of its own (db/directory.ts).
export const prerender = true;

let built: Promise<Snapshot> | null = null;

export const load: LayoutServerLoad = async () => {
	built ??= buildSnapshot(DATA_DIR, storedAgencyCap());
	return { snapshot: await built };
};
