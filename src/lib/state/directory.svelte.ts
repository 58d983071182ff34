import { asset } from '$app/paths';
import { DIRECTORY_FILE, directoryShardFile, directoryShardOf, unpackAgencies, type DirectoryFile } from '$lib/db/directory';
import type { AgencyOption } from '$lib/db/snapshot';

/**
 * The agency directory in the page (db/directory.ts). A link naming agencies
 * reads only the shards listing them (`named`), so their names show and an
 * unknown id is reported before the view opens; the whole list (`agencies`),
 * for the pickers, is read once when something asks for it. Held raw: at a
 * national scale it is 150,000 rows, which a deep proxy would only slow.
 */
class Directory {
	/** The whole list's state. */
	status = $state<'idle' | 'loading' | 'ready' | 'failed'>('idle');
	/** Why the whole list could not be read (status 'failed'). */
	error = $state<string | null>(null);
	agencies = $state.raw<readonly AgencyOption[]>([]);
	ids = $state.raw<ReadonlySet<string>>(new Set());
	/** The agencies of the shards read for links, by id. */
	named = $state.raw<ReadonlyMap<string, AgencyOption>>(new Map());
	/** The shards read (those that could not be read are not here: their ids are taken as sent). */
	shardsRead = $state.raw<ReadonlySet<number>>(new Set());
	shards = $state(1);
}

export const directory = new Directory();

async function readFile(file: string, version: string): Promise<AgencyOption[]> {
	const url = new URL(asset(`/directory/${file}`), location.href);
	const r = await fetch(url);
	if (!r.ok) throw new Error(`${url.pathname}: HTTP ${r.status}`);
	const read = (await r.json()) as DirectoryFile;
	if (read.version !== version) throw new Error(`${url.pathname}: dataset ${read.version}, the page's is ${version}`);
	return unpackAgencies(read.agencies);
}

let reading: Promise<void> | null = null;

/** Read the whole directory of dataset `version` (once; later calls wait for the same read). */
export function loadDirectory(version: string): Promise<void> {
	reading ??= (async () => {
		directory.status = 'loading';
		try {
			const agencies = await readFile(DIRECTORY_FILE, version);
			directory.agencies = agencies;
			directory.ids = new Set(agencies.map((a) => a.id));
			directory.status = 'ready';
		} catch (e) {
			directory.error = e instanceof Error ? e.message : String(e);
			directory.status = 'failed';
		}
	})();
	return reading;
}

const shardReads = new Map<number, Promise<void>>();

/** Read the shards (of `shards`, dataset `version`) listing `ids`, each once. A shard that cannot be read leaves its ids taken as sent. */
export function loadNamed(version: string, shards: number, ids: readonly string[]): Promise<void> {
	directory.shards = shards;
	const wanted = [...new Set(ids.map((id) => directoryShardOf(id, shards)))];
	return Promise.all(
		wanted.map((i) => {
			let p = shardReads.get(i);
			if (!p) {
				p = readFile(directoryShardFile(i), version).then(
					(list) => {
						directory.named = new Map([...directory.named, ...list.map((a) => [a.id, a] as const)]);
						directory.shardsRead = new Set([...directory.shardsRead, i]);
					},
					() => {}
				);
				shardReads.set(i, p);
			}
			return p;
		})
	).then(() => {});
}

/**
 * Whether the bundled data has an agency: the whole list once read; before,
 * the shard listing it; an id whose shard is not read is taken as sent (null).
 */
export function bundledHas(id: string): boolean | null {
	if (directory.status === 'ready') return directory.ids.has(id);
	if (directory.named.has(id)) return true;
	return directory.shardsRead.has(directoryShardOf(id, directory.shards)) ? false : null;
}
