import { createHash } from 'node:crypto';
import { link, mkdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One ingest at a time per output folder. Two runs writing the same dataset
 * would race on its temporary files and manifest; the second run is told who
 * holds the folder instead. A lock left by a run that was killed (its process
 * is gone) is taken over. The lock lives in the system's temporary folder,
 * named by the output folder's real path: never inside the dataset, which is
 * shipped as it is (a lock left by a killed run must not end up in a build).
 */

async function lockPath(out: string): Promise<string> {
	const dir = join(tmpdir(), 'nianbao-locks');
	await mkdir(dir, { recursive: true });
	return join(
		dir,
		`ingest-${createHash('sha256')
			.update(await realpath(out))
			.digest('hex')
			.slice(0, 16)}.lock`
	);
}

interface Holder {
	pid: number;
	host: string;
	since: string;
}

export type LockResult = { ok: true; release: () => Promise<void> } | { ok: false; message: string };

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		// EPERM: the process exists but belongs to someone else.
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

async function holderOf(path: string): Promise<Holder | null> {
	try {
		const h = JSON.parse(await readFile(path, 'utf8')) as Partial<Holder>;
		return typeof h.pid === 'number' ? { pid: h.pid, host: String(h.host ?? ''), since: String(h.since ?? '') } : null;
	} catch {
		return null;
	}
}

export async function lockOut(out: string): Promise<LockResult> {
	await mkdir(out, { recursive: true });
	const path = await lockPath(out);
	const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
	// Written whole under a name of our own, then linked into place: the lock never exists half-written.
	const mine = `${path}.${process.pid}`;
	await writeFile(mine, JSON.stringify(me));
	try {
		for (let attempt = 0; attempt < 2; attempt++) {
			try {
				await link(mine, path);
				return { ok: true, release: () => rm(path, { force: true }) };
			} catch (e) {
				if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
			}
			const h = await holderOf(path);
			// Only a lock of this machine can be judged stale by its process id.
			if (h && (h.host !== me.host || alive(h.pid)))
				return {
					ok: false,
					message: `${out} 正由另一个 ingest 写入（进程 ${h.pid}${h.host !== me.host ? `，主机 ${h.host}` : ''}，始于 ${h.since}）；请等它结束后再运行 (another ingest is writing this folder)`
				};
			// Stale: the run that took it is gone (killed). Take it over.
			await rm(path, { force: true });
		}
	} finally {
		await rm(mine, { force: true });
	}
	return { ok: false, message: `${path} 无法获取 (could not take the lock of ${out})` };
}
