import { parentPort, workerData } from 'node:worker_threads';
import type { AgencyOverride } from '../../lib/agencies/index';
import { buildJob, type BuildJob } from './rows';

/** One job per message, answered with its rows; the lines' bytes are moved back, not copied. */
const overrides = new Map<string, AgencyOverride>((workerData as { overrides: [string, AgencyOverride][] }).overrides);

parentPort!.on('message', ({ id, job }: { id: number; job: BuildJob }) => {
	buildJob(job, overrides).then(
		(result) =>
			parentPort!.postMessage(
				{ id, result },
				result.parts.map((p) => p.buffer as ArrayBuffer)
			),
		(e: unknown) => parentPort!.postMessage({ id, error: e instanceof Error ? e.message : String(e) })
	);
});
