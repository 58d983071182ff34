import { join, resolve } from 'node:path';
import { packSnapshot } from '$lib/db/snapshot-pack';
import { buildSnapshot } from '$lib/server/snapshot';
import type { PageServerLoad } from './$types';

// Runs once, at prerender: the default overview's numbers go into the page so
// the first chart does not wait for DuckDB-WASM.
export const prerender = true;

// The dataset is static/data unless NIANBAO_STATIC names another static
// folder (the benchmark builds the site against generated datasets; the
// same variable tells svelte.config.js which folder to ship).
const DATA = join(resolve(process.env.NIANBAO_STATIC || 'static'), 'data');

// Inlined in the page packed (see packSnapshot); +page.ts unpacks it.
export const load: PageServerLoad = async () => ({ snapshot: packSnapshot(await buildSnapshot(DATA)) });
