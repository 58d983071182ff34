import { join, resolve } from 'node:path';
import { packSnapshot } from '$lib/db/snapshot-pack';
import { buildSnapshot } from '$lib/server/snapshot';
import type { LayoutServerLoad } from './$types';

// Runs at prerender: the default overview's numbers, and the agencies and
// years the filters offer, go into every page so the first chart does not
// wait for DuckDB-WASM. Built once for all the pages.
export const prerender = true;

// The dataset is static/data unless NIANBAO_STATIC names another static
// folder (the benchmark builds the site against generated datasets; the
// same variable tells svelte.config.js which folder to ship).
const DATA = join(resolve(process.env.NIANBAO_STATIC || 'static'), 'data');

let packed: Promise<ReturnType<typeof packSnapshot>> | null = null;

// Inlined in the page packed (see packSnapshot); +layout.ts unpacks it.
export const load: LayoutServerLoad = async () => {
	packed ??= buildSnapshot(DATA).then(packSnapshot);
	return { snapshot: await packed };
};
