/**
 * Figures beside their floors, measured interleaved: each round measures a
 * figure and its floor one after the other, so a machine that slows down
 * (other jobs on a shared 2-core box) slows both. Reported: the median and
 * the range over rounds, and the median of the per-round ratios.
 */

export interface Pair {
	what: string;
	unit: string;
	figure: number[];
	floorWhat: string;
	floor: number[];
	/** Rates: the ratio is figure ÷ floor (1 = at the floor). Seconds and bytes: figure ÷ floor, printed as a multiple. */
	higherIsBetter: boolean;
	target?: string;
}

export function median(xs: readonly number[]): number {
	if (xs.length === 0) return NaN;
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function fmt(x: number): string {
	if (!Number.isFinite(x)) return '—';
	if (x >= 100) return Math.round(x).toLocaleString('en');
	if (x >= 10) return x.toFixed(1);
	return x.toFixed(2);
}

function spread(xs: readonly number[], unit: string): string {
	if (xs.length === 0) return '—';
	return `${fmt(median(xs))} ${unit} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
}

/** The ratio in each round: figure ÷ floor. */
export function ratios(p: Pair): number[] {
	return p.figure.map((f, i) => f / p.floor[i]).filter(Number.isFinite);
}

export function table(pairs: readonly Pair[]): string {
	const lines = ['| figure | median (range) | floor | floor median (range) | ratio median (range) | target |', '|---|---:|---|---:|---:|---|'];
	for (const p of pairs) {
		const r = ratios(p);
		const x = p.higherIsBetter ? '' : '×';
		const ratio = r.length ? `${median(r).toFixed(2)}${x} (${Math.min(...r).toFixed(2)}–${Math.max(...r).toFixed(2)})` : '—';
		lines.push(
			`| ${p.what} | ${spread(p.figure, p.unit)} | ${p.floorWhat} | ${p.floor.length ? spread(p.floor, p.unit) : '—'} | ${ratio} | ${p.target ?? ''} |`
		);
	}
	return lines.join('\n');
}

/** CPU seconds of this process (all its threads): a shared machine's other jobs do not count against it. */
export function cpuSeconds(): number {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1e6;
}

/** Calls `fn` over `inputs` for at least `seconds` of CPU; items per CPU second. */
export async function rate<T>(inputs: readonly T[], fn: (x: T) => unknown, seconds: number): Promise<number> {
	let n = 0;
	const t0 = cpuSeconds();
	while (cpuSeconds() - t0 < seconds) {
		for (const x of inputs) {
			await fn(x);
			n++;
		}
	}
	return n / (cpuSeconds() - t0);
}
