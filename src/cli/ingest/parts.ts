import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TABLE_NAMES, type Manifest } from '../../lib/dataset/columns';
import { partFile } from './dataset-writer';
import type { ParquetPart } from './row-store';

/**
 * Which Parquet part each agency's rows go to, so that a run writes only the
 * parts that change.
 *
 * A part holds whole agencies (all their rows, in every table). A part of the
 * dataset on disk is kept as it is (its files untouched) when every agency it
 * holds is still there with the same rows (the same row-store key). The
 * agencies of every other part (one with a changed or removed agency) and the
 * new or changed agencies are "loose": they are written into new parts, in
 * report id order, of about `partReports` reports each. So a run that adds
 * reports of new agencies writes one small part; one that changes an agency
 * rewrites the part that held it.
 *
 * The compaction rule keeps the number of parts bounded: when there would be
 * more than ceil(reports / partReports) + EXTRA_PARTS parts, the smallest kept
 * parts are dissolved into the loose agencies until there are not. Small parts
 * of successive runs thus merge with each other (a few hundred reports each
 * time), not with the large ones, and the rewrite per run stays bounded.
 */

/** Reports per Parquet part: about 20 million facts. At a million reports, 10 parts per table. */
export const PART_REPORTS = 100_000;
/** Parts allowed beyond those the reports fill. */
export const EXTRA_PARTS = 4;

/** One agency to write: its row-store key, its number of reports, and its part last run (store.parquetPartOf). */
export interface PlanGroup {
	key: string;
	reports: number;
	last: number;
}

export interface PlannedPart {
	id: string;
	/** The part as last written, when it is kept as it is; null when written now. */
	kept: ParquetPart | null;
	agencies: number;
	reports: number;
}

export interface PartPlan {
	parts: PlannedPart[];
	/** Per group (in the order given), its part in `parts`. */
	partOf: Int32Array;
}

/** The parts last written that the dataset on disk still lists, byte for byte as recorded: only those can be kept. */
async function onDisk(out: string, last: readonly ParquetPart[]): Promise<boolean[]> {
	const valid = last.map(() => false);
	if (!last.length) return valid;
	let files: Partial<Manifest['files']>;
	try {
		files = (JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8')) as Manifest).files ?? {};
	} catch {
		return valid;
	}
	for (const [p, part] of last.entries()) {
		let ok = true;
		for (const [t, name] of TABLE_NAMES.entries()) {
			const file = partFile(name, part.id);
			const listed = files[name];
			if (!Array.isArray(listed) || !listed.includes(file) || (await stat(join(out, file)).catch(() => null))?.size !== part.bytes[t]) {
				ok = false;
				break;
			}
		}
		valid[p] = ok;
	}
	return valid;
}

/** A part's id: its agencies' keys and the code that built their rows. Equal ids, equal files. */
function partId(rowsVersion: string, keys: Iterable<string>): string {
	const h = createHash('sha256').update(rowsVersion);
	for (const k of keys) h.update('\n' + k);
	return h.digest('hex').slice(0, 12);
}

export async function planParts(
	out: string,
	last: readonly ParquetPart[],
	groups: readonly PlanGroup[],
	rowsVersion: string,
	partReports: number = PART_REPORTS
): Promise<PartPlan> {
	const valid = await onDisk(out, last);
	const present = new Int32Array(last.length);
	for (const g of groups) if (g.last >= 0 && g.last < last.length && valid[g.last]) present[g.last]++;
	const kept = new Set<number>();
	for (const [p, part] of last.entries()) if (valid[p] && present[p] === part.agencies) kept.add(p);
	const total = groups.reduce((n, g) => n + g.reports, 0);
	const limit = Math.ceil(total / partReports) + EXTRA_PARTS;

	/** The loose groups cut into parts of about partReports reports, in order: the first group of each. */
	const cut = (): number[] => {
		let loose = 0;
		for (const g of groups) if (!kept.has(g.last)) loose += g.reports;
		const n = Math.max(1, Math.ceil(loose / partReports));
		const starts: number[] = [];
		let done = 0;
		for (const [i, g] of groups.entries()) {
			if (kept.has(g.last)) continue;
			// A new part once the reports so far reach its share.
			if (starts.length === 0 || (starts.length < n && done >= (loose * starts.length) / n)) starts.push(i);
			done += g.reports;
		}
		return starts;
	};
	let starts = cut();
	while (kept.size + starts.length > limit && kept.size > 0) {
		// Dissolve the smallest kept part (then the one with the lower id): its agencies are written again with the loose ones.
		const smallest = [...kept].sort((a, b) => last[a].reports - last[b].reports || (last[a].id < last[b].id ? -1 : 1))[0];
		kept.delete(smallest);
		starts = cut();
	}

	const parts: PlannedPart[] = [];
	const keptAt = new Map<number, number>();
	for (const p of [...kept].sort((a, b) => a - b)) {
		keptAt.set(p, parts.length);
		parts.push({ id: last[p].id, kept: last[p], agencies: last[p].agencies, reports: last[p].reports });
	}
	const partOf = new Int32Array(groups.length);
	const keys: string[][] = [];
	const first = parts.length;
	let at = -1;
	let s = 0;
	for (const [i, g] of groups.entries()) {
		const k = keptAt.get(g.last);
		if (k !== undefined) {
			partOf[i] = k;
			continue;
		}
		if (s < starts.length && starts[s] === i) {
			at = parts.length;
			parts.push({ id: '', kept: null, agencies: 0, reports: 0 });
			keys.push([]);
			s++;
		}
		partOf[i] = at;
		parts[at].agencies++;
		parts[at].reports += g.reports;
		keys[at - first].push(g.key);
	}
	for (let p = first; p < parts.length; p++) parts[p].id = partId(rowsVersion, keys[p - first]);
	return { parts, partOf };
}
