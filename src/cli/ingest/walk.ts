import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import type { SourceKind } from './read';

const DOCUMENT_EXT = /\.(txt|md|html?|shtml|xhtml|pdf|docx?)$/i;

export interface SourceFile {
	path: string;
	rel: string;
	kind: SourceKind;
}

export interface Walked {
	sources: SourceFile[];
	skipped: string[];
	/** agencies.csv files. */
	overrides: string[];
	missing: string[];
	/** fetch-manifest.jsonl files: where the documents beside them were downloaded from (origin.ts). */
	fetchManifests: string[];
	/** X.truth.json files: not sources, but their `_source` says where the document X was published. */
	truths: string[];
}

/**
 * Every file below the folders, sorted; dot-folders and node_modules are not
 * walked. Symbolic links are followed once: a link to a folder already walked
 * (a loop, or the same folder twice) and a dangling link are listed as skipped.
 */
export async function walk(dirs: string[]): Promise<Walked> {
	const sources: SourceFile[] = [];
	const skipped: string[] = [];
	const overrides: string[] = [];
	const missing: string[] = [];
	const fetchManifests: string[] = [];
	const truths: string[] = [];
	const walked = new Set<string>();
	const classify = (name: string, path: string, rel: string) => {
		if (name === 'agencies.csv') overrides.push(path);
		else if (/^(readme|license|changelog)(\.[a-z]+)?$/i.test(name)) skipped.push(`${rel}（说明文件 documentation）`);
		else if (name === 'fetch-manifest.jsonl') {
			skipped.push(`${rel}（fetch 的下载清单 crawler manifest）`);
			fetchManifests.push(path);
		} else if (/\.truth\.json$/i.test(name)) {
			skipped.push(`${rel}（测试用真值文件 test truth file）`);
			truths.push(path);
		} else if (/\.(json|jsonl|ndjson)$/i.test(name)) sources.push({ path, rel, kind: 'record' });
		else if (DOCUMENT_EXT.test(name)) sources.push({ path, rel, kind: 'document' });
		else skipped.push(`${rel}（不支持的文件类型 unsupported file type）`);
	};
	const visit = async (dir: string, root: string) => {
		walked.add(await realpath(dir));
		const entries = await readdir(dir, { withFileTypes: true });
		entries.sort((a, b) => (a.name < b.name ? -1 : 1));
		for (const e of entries) {
			const path = join(dir, e.name);
			const rel = join(basename(root), relative(root, path));
			let isDir = e.isDirectory();
			let isFile = e.isFile();
			if (e.isSymbolicLink()) {
				const target = await stat(path).catch(() => null);
				if (!target) {
					skipped.push(`${rel}（符号链接指向不存在的文件 dangling symlink）`);
					continue;
				}
				isDir = target.isDirectory();
				isFile = target.isFile();
				if (isDir && walked.has(await realpath(path))) {
					skipped.push(`${rel}（符号链接指向已读过的目录，不再重复 symlink to a folder already read）`);
					continue;
				}
			}
			if (isDir) {
				if (!e.name.startsWith('.') && e.name !== 'node_modules') await visit(path, root);
			} else if (isFile) classify(e.name, path, rel);
			else skipped.push(`${rel}（不是普通文件 not a regular file）`);
		}
	};
	for (const d of dirs) {
		const root = resolve(d);
		try {
			if (!(await stat(root)).isDirectory()) {
				missing.push(`${d}: 不是目录 (not a directory)`);
				continue;
			}
		} catch {
			missing.push(`${d}: 目录不存在 (no such directory)`);
			continue;
		}
		if (walked.has(await realpath(root))) continue;
		await visit(root, root);
	}
	return { sources, skipped, overrides, missing, fetchManifests, truths };
}
