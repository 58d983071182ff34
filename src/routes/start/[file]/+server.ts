import { error } from '@sveltejs/kit';
import { DATA_DIR } from '$lib/server/data-dir';
import { buildStart } from '$lib/server/start';
import type { EntryGenerator, RequestHandler } from './$types';

// The start data (lib/db/start.ts), derived at prerender from the dataset's
// canonical files and written beside the pages: build/start/<file>.
export const prerender = true;

let built: Promise<Map<string, Uint8Array>> | null = null;
const files = () => (built ??= buildStart(DATA_DIR));

export const entries: EntryGenerator = async () => [...(await files()).keys()].map((file) => ({ file }));

export const GET: RequestHandler = async ({ params }) => {
	const bytes = (await files()).get(params.file);
	if (!bytes) error(404, `no start file ${params.file}`);
	const type = params.file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
	return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': type } });
};
