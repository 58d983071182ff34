import { DATA_DIR } from '$lib/server/data-dir';
import { buildStart } from '$lib/server/start';
import { prerenderedFiles } from '$lib/server/prerendered-files';
import type { EntryGenerator, RequestHandler } from './$types';

// The start data (lib/db/start.ts), derived at prerender from the dataset's
// canonical files and written beside the pages: build/start/<file>.
export const prerender = true;

const start = prerenderedFiles(
	'start',
	() => buildStart(DATA_DIR),
	(file, bytes) => {
		const type = file.endsWith('.json') ? 'application/json' : file.endsWith('.arrow') ? 'application/vnd.apache.arrow.stream' : 'application/octet-stream';
		return new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': type } });
	}
);

export const entries: EntryGenerator = start.entries;
export const GET: RequestHandler = start.GET;
