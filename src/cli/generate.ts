/**
 * `generate --count N --out DIR [--seed S] [--format F[,F…]|mixed|all]
 *           [--encoding utf-8|gbk|mixed] [--noise 0..1] [--displaced late-row,blank-rows]`
 *
 * Writes N synthetic reports and, beside each, `X.truth.json`: the record the
 * parser must return, plus `_synthetic: true` and how the file was made.
 * Document i (1-based) depends only on (seed, i, the options), so a larger
 * --count keeps the earlier files unchanged.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
	createRng,
	deriveSeed,
	generateReport,
	type DisplacedFaults,
	type DocumentEncoding,
	type DocumentFormat,
	type GeneratedReport
} from '../lib/synthetic/index';

/** Every layout the generator writes, in --help's order, with what it looks like. */
const FORMAT_NOTES: Record<DocumentFormat, string> = {
	text: 'plain text, tab- or space-separated tables',
	html: 'a CMS page or Word-exported markup',
	markdown: 'markdown pipe tables',
	glued: 'a page-to-text dump whose cells ran together (行政许可3960181), as archives and scrapers keep them',
	wrapped:
		"a PDF's text layer: long row labels of 三 wrapped over 2-3 lines with the numbers on any one, rows of zeros printed blank (label only), runs of labels a line off their numbers, page footers inside tables, 四 sometimes as three small tables",
	displaced: "a PDF extractor's markdown: cells pulled out of their rows, labels left as loose lines, rows merged or pushed"
};
const FORMATS = Object.keys(FORMAT_NOTES) as DocumentFormat[];
/** `mixed` (the default) keeps to the clean layouts, in this order, so earlier seeds write the same files. */
const MIXED = ['text', 'markdown', 'html'] as const satisfies readonly DocumentFormat[];
/** The layouts that take --noise; the others are written as their layout alone. */
const NOISY: ReadonlySet<DocumentFormat> = new Set(MIXED);
const ENCODINGS = ['utf-8', 'gbk'] as const satisfies readonly DocumentEncoding[];
/** The displaced layout's extra faults by their option names (displaced.ts), with what each does to the document. */
const DISPLACED_FAULTS = {
	'late-row': { fault: 'lateRow', note: 'a row beside a slide loses its label (its words left as loose lines) and its numbers print after the next row' },
	'blank-rows': { fault: 'blankRows', note: 'half the rows of zeros print as their label over empty cells' }
} as const satisfies Record<string, { fault: keyof DisplacedFaults; note: string }>;
type DisplacedFaultName = keyof typeof DISPLACED_FAULTS;
const DISPLACED_NAMES = Object.keys(DISPLACED_FAULTS) as DisplacedFaultName[];

export interface GenerateArgs {
	count: number;
	out: string;
	seed: number;
	/** Each document's layout is drawn from these (one: every document in it). */
	formats: readonly DocumentFormat[];
	encoding: DocumentEncoding | 'mixed';
	noise: number;
	/** Faults the displaced layout adds to its own (none by default). */
	displaced: DisplacedFaults;
}

export const GENERATE_USAGE =
	'usage: generate --count N --out DIR [--seed S] [--format F[,F…]|mixed|all] [--encoding utf-8|gbk|mixed] [--noise 0..1] [--displaced late-row,blank-rows]';

/** --help: the usage line, then every option and layout. */
export const GENERATE_HELP = [
	GENERATE_USAGE,
	'',
	'Writes N synthetic reports and, beside each, X.truth.json: the record a correct parser returns.',
	'',
	'  --count N        how many reports (document i depends only on the seed, i and the options)',
	'  --out DIR        where to write them (created if missing)',
	'  --seed S         an integer; default 1',
	'  --format F       one layout, a comma-separated list to draw from (glued,wrapped), mixed or all:',
	...FORMATS.map((f) => `                     ${f.padEnd(10)} ${FORMAT_NOTES[f]}`),
	`                     ${'mixed'.padEnd(10)} ${MIXED.join(', ')} at random (the default)`,
	`                     ${'all'.padEnd(10)} every layout above at random`,
	'  --encoding E     utf-8, gbk or mixed (the default: one in four GBK)',
	`  --noise P        0 to 1: meaning-preserving noise (blank zeros, label typos, full-width digits, units, …; ${MIXED.join(', ')} only; the truth file records what was applied)`,
	'  --displaced F    faults the displaced layout adds to its own, a comma-separated list (the layout must be among --format;',
	'                   the truth file records them as _displaced):',
	...DISPLACED_NAMES.map((f) => `                     ${f.padEnd(10)} ${DISPLACED_FAULTS[f].note}`)
].join('\n');

const DEFAULT_SEED = 1;
/** Stream of a document's seed that picks its format and encoding (stream 1 is the renderer's). */
const CHOICE_STREAM = 2;

export interface CliIo {
	out(line: string): void;
	err(line: string): void;
}

const processIo: CliIo = {
	out: (line) => process.stdout.write(`${line}\n`),
	err: (line) => process.stderr.write(`${line}\n`)
};

type ParseResult = { ok: true; args: GenerateArgs } | { ok: false; error: string } | { ok: 'help' };

function oneOf<T extends string>(value: string, allowed: readonly T[]): value is T {
	return (allowed as readonly string[]).includes(value);
}

/** Reads `--flag value` and `--flag=value` pairs; every flag takes a value. */
function readFlags(argv: readonly string[]): Map<string, string> | string {
	const flags = new Map<string, string>();
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (!arg.startsWith('--')) return `unexpected argument "${arg}"`;
		const eq = arg.indexOf('=');
		const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
		const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
		if (value === undefined || (eq < 0 && value.startsWith('--'))) return `--${name} needs a value`;
		if (flags.has(name)) return `--${name} given twice`;
		flags.set(name, value);
	}
	return flags;
}

const KNOWN_FLAGS = ['count', 'out', 'seed', 'format', 'encoding', 'noise', 'displaced'];

export function parseGenerateArgs(argv: readonly string[]): ParseResult {
	if (argv.includes('--help') || argv.includes('-h')) return { ok: 'help' };
	const flags = readFlags(argv);
	if (typeof flags === 'string') return { ok: false, error: flags };
	const unknown = [...flags.keys()].find((name) => !KNOWN_FLAGS.includes(name));
	if (unknown !== undefined) return { ok: false, error: `unknown option --${unknown}` };

	const countText = flags.get('count');
	const out = flags.get('out');
	const seedText = flags.get('seed') ?? String(DEFAULT_SEED);
	const formatText = flags.get('format') ?? 'mixed';
	const encoding = flags.get('encoding') ?? 'mixed';
	const noiseText = flags.get('noise') ?? '0';

	if (countText === undefined) return { ok: false, error: '--count is required' };
	const count = Number(countText);
	if (!/^\d+$/.test(countText) || !Number.isSafeInteger(count) || count < 1) {
		return { ok: false, error: `--count must be a positive integer, got "${countText}"` };
	}
	if (out === undefined || out === '') return { ok: false, error: '--out DIR is required' };
	const seed = Number(seedText);
	if (!/^-?\d+$/.test(seedText) || !Number.isSafeInteger(seed)) {
		return { ok: false, error: `--seed must be an integer, got "${seedText}"` };
	}
	const formats = formatText === 'mixed' ? [...MIXED] : formatText === 'all' ? FORMATS : formatText.split(',').map((f) => f.trim());
	const unknownFormat = formats.find((f) => !oneOf(f, FORMATS));
	if (unknownFormat !== undefined) {
		return {
			ok: false,
			error: `unknown format "${unknownFormat}" in --format (choose from ${FORMATS.join(', ')}, a comma-separated list of them, mixed or all)`
		};
	}
	if (new Set(formats).size !== formats.length) return { ok: false, error: `--format names a layout twice: "${formatText}"` };
	if (!oneOf(encoding, [...ENCODINGS, 'mixed'] as const)) {
		return { ok: false, error: `--encoding must be utf-8, gbk or mixed, got "${encoding}"` };
	}
	const noise = Number(noiseText);
	if (noiseText.trim() === '' || !Number.isFinite(noise) || noise < 0 || noise > 1) {
		return { ok: false, error: `--noise must be a number from 0 to 1, got "${noiseText}"` };
	}
	const displaced: DisplacedFaults = {};
	const displacedText = flags.get('displaced');
	if (displacedText !== undefined) {
		// Asked of a batch without the layout, the faults would silently change nothing.
		if (!formats.includes('displaced'))
			return { ok: false, error: `--displaced applies to the displaced layout, which --format "${formatText}" does not write` };
		const names = displacedText.split(',').map((f) => f.trim());
		const unknownFault = names.find((f) => !oneOf(f, DISPLACED_NAMES));
		if (unknownFault !== undefined) return { ok: false, error: `unknown fault "${unknownFault}" in --displaced (choose from ${DISPLACED_NAMES.join(', ')})` };
		for (const name of names as DisplacedFaultName[]) displaced[DISPLACED_FAULTS[name].fault] = true;
	}
	return { ok: true, args: { count, out, seed, formats: formats as DocumentFormat[], encoding, noise, displaced } };
}

interface DocumentChoice {
	seed: number;
	format: DocumentFormat;
	encoding: DocumentEncoding;
	bom: boolean;
	/** The noise this layout takes (0 where it takes none). */
	noise: number;
}

/** Format, encoding and BOM of document `index`: fixed by the options or drawn from its own stream. */
export function documentChoice(args: GenerateArgs, index: number): DocumentChoice {
	const seed = deriveSeed(args.seed, index);
	const rng = createRng(deriveSeed(seed, CHOICE_STREAM));
	const format = args.formats.length > 1 ? rng.pick(args.formats) : args.formats[0];
	const encoding = args.encoding === 'mixed' ? rng.weighted(ENCODINGS, [3, 1]) : args.encoding;
	const bom = encoding === 'utf-8' && rng.chance(0.25);
	return { seed, format, encoding, bom, noise: NOISY.has(format) ? args.noise : 0 };
}

function truthJson(args: GenerateArgs, report: GeneratedReport, choice: DocumentChoice, index: number): string {
	const truth = {
		...report.record,
		_synthetic: true,
		_seed: choice.seed,
		_index: index,
		_format: report.format,
		_encoding: report.encoding,
		_bom: choice.bom,
		_noise: choice.noise,
		...(report.format === 'displaced' ? { _displaced: DISPLACED_NAMES.filter((f) => args.displaced[DISPLACED_FAULTS[f].fault]) } : {})
	};
	return `${JSON.stringify(truth, null, 2)}\n`;
}

const baseName = (fileName: string): string => fileName.replace(/\.[^.]+$/, '');

function summary(args: GenerateArgs, reports: readonly GeneratedReport[]): string {
	const byFormat = args.formats.map((f) => `${reports.filter((r) => r.format === f).length} ${f}`).join(', ');
	const gbk = reports.filter((r) => r.encoding === 'gbk').length;
	const old = reports.filter((r) => r.record.template === '2019').length;
	return (
		`generate: wrote ${reports.length} reports (${byFormat}; ${gbk} in GBK; ${old} on the 2019 tables) ` +
		`with truth files to ${args.out} (seed ${args.seed}, noise ${args.formats.some((f) => NOISY.has(f)) ? args.noise : '0: these layouts take none'})`
	);
}

export async function runGenerate(argv: string[], io: CliIo = processIo): Promise<number> {
	const parsed = parseGenerateArgs(argv);
	if (parsed.ok === 'help') {
		io.out(GENERATE_HELP);
		return 0;
	}
	if (!parsed.ok) {
		io.err(`generate: ${parsed.error} (${GENERATE_USAGE})`);
		return 2;
	}
	const { args } = parsed;
	const reports: GeneratedReport[] = [];
	try {
		await mkdir(args.out, { recursive: true });
		for (let index = 1; index <= args.count; index++) {
			const choice = documentChoice(args, index);
			const report = generateReport(choice.seed, {
				format: choice.format,
				encoding: choice.encoding,
				bom: choice.bom,
				noise: choice.noise,
				index,
				displaced: args.displaced
			});
			await writeFile(join(args.out, report.fileName), report.bytes);
			await writeFile(join(args.out, `${baseName(report.fileName)}.truth.json`), truthJson(args, report, choice, index));
			reports.push(report);
		}
	} catch (e) {
		io.err(`generate: cannot write to ${args.out}: ${e instanceof Error ? e.message : String(e)}`);
		return 1;
	}
	io.out(summary(args, reports));
	return 0;
}
