import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSnapshot } from '$lib/db/snapshot';
import type { PageServerLoad } from './$types';

// Runs once, at prerender: the default overview's numbers go into the page so
// the first chart does not wait for DuckDB-WASM.
export const prerender = true;

const DATA = join(process.cwd(), 'static', 'data');

async function read(file: string): Promise<ArrayBuffer | null> {
	try {
		const b = await readFile(join(DATA, file));
		return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw e;
	}
}

export const load: PageServerLoad = async () => ({ snapshot: await buildSnapshot(read) });
