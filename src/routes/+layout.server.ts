import { join, resolve } from 'node:path';
import { buildSnapshot } from '$lib/server/snapshot';
import type { Snapshot } from '$lib/db/snapshot';
import type { LayoutServerLoad } from './$types';

// Runs at prerender: the default overview's numbers, and the years and
// choices the filters offer, go into every page so the first chart does not
// wait for DuckDB-WASM. Built once for all the pages. The agency list is not
// in it: it grows with the dataset, and is a file of its own (db/directory.ts).
export const prerender = true;

// The dataset is static/data unless NIANBAO_STATIC names another static
// folder (the benchmark builds the site against generated datasets; the
// same variable tells svelte.config.js which folder to ship).
const DATA = join(resolve(process.env.NIANBAO_STATIC || 'static'), 'data');

let built: Promise<Snapshot> | null = null;

export const load: LayoutServerLoad = async () => {
	built ??= buildSnapshot(DATA);
	return { snapshot: await built };
};
