/**
 * Where each document came from, read beside it: the fetch-manifest.jsonl
 * that `fetch` wrote in the folder (the URL after redirects and the fetch
 * time of the file saved there), or a hand-made X.truth.json beside X whose
 * `_source` names the published page (the corpus). A record carries its own
 * `_source` (read.ts). Nothing here fails a run: a manifest that cannot be
 * read costs the links, and says so.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { originOfNote, webUrl, type Origin } from '../../lib/dataset/origin';
import type { ManifestLine } from '../fetch/store';
import type { SourceFile } from './walk';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Origins of the documents among `sources`, by their path. */
export async function documentOrigins(
	sources: readonly SourceFile[],
	fetchManifests: readonly string[],
	truths: readonly string[],
	warn: (s: string) => void
): Promise<Map<string, Origin>> {
	const documents = new Set(sources.filter((s) => s.kind === 'document').map((s) => resolve(s.path)));
	const out = new Map<string, Origin>();
	// Truth files first: a fetch manifest, which knows the fetch time, wins where both speak of one file.
	const byStem = new Map<string, string[]>();
	for (const d of documents) {
		const stem = join(dirname(d), basename(d).replace(/\.[^.]+$/, ''));
		byStem.set(stem, [...(byStem.get(stem) ?? []), d]);
	}
	for (const t of truths) {
		const docs = byStem.get(resolve(t).replace(/\.truth\.json$/i, ''));
		if (!docs) continue;
		let note: unknown;
		try {
			note = (JSON.parse(await readFile(t, 'utf8')) as { _source?: unknown })._source;
		} catch (e) {
			warn(`ingest: ${t}：真值文件无法读取，其来源未记录 (truth file unreadable, source not recorded: ${message(e)})`);
			continue;
		}
		const origin = originOfNote(note);
		if (origin) for (const d of docs) out.set(d, origin);
	}
	for (const m of fetchManifests) {
		const base = dirname(resolve(m));
		try {
			const lines = createInterface({ input: createReadStream(m, 'utf8'), crlfDelay: Infinity });
			for await (const raw of lines) {
				if (!raw.trim()) continue;
				let line: ManifestLine;
				try {
					line = JSON.parse(raw) as ManifestLine;
				} catch {
					continue; // a line cut short by a killed fetch: fetch itself passes over it the same way
				}
				if ((line.kind !== 'page' && line.kind !== 'attachment') || typeof line.file !== 'string') continue;
				const path = resolve(base, ...line.file.split('/'));
				if (!documents.has(path)) continue;
				// The last line for a file is its state (the manifest is append-only).
				out.set(path, {
					url: webUrl(line.final_url) ?? webUrl(line.url),
					fetchedAt: typeof line.fetched_at === 'string' ? line.fetched_at : null,
					note: out.get(path)?.note ?? null
				});
			}
		} catch (e) {
			warn(`ingest: ${m}：下载清单无法读取，其中报告的原始链接未记录 (fetch manifest unreadable, source links not recorded: ${message(e)})`);
		}
	}
	return out;
}
