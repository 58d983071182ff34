import { error } from '@sveltejs/kit';
import { join, resolve } from 'node:path';
import { DIRECTORY_FILE, type DirectoryFile } from '$lib/db/directory';
import { buildDirectory } from '$lib/server/snapshot';
import type { EntryGenerator, RequestHandler } from './$types';

// The agency directory (db/directory.ts), written at prerender beside the pages: build/directory/agencies.json.
export const prerender = true;

// The dataset the layout's snapshot reads (see +layout.server.ts).
const DATA = join(resolve(process.env.NIANBAO_STATIC || 'static'), 'data');

let built: Promise<DirectoryFile> | null = null;

export const entries: EntryGenerator = () => [{ file: DIRECTORY_FILE }];

export const GET: RequestHandler = async ({ params }) => {
	if (params.file !== DIRECTORY_FILE) error(404, `no directory file ${params.file}`);
	built ??= buildDirectory(DATA);
	return new Response(JSON.stringify(await built), { headers: { 'content-type': 'application/json' } });
};
