import { METRIC_BY_ID } from '$lib/catalog/metrics';
import { MAX_PACKED, PACKED_SQL_PARAM } from './sql-link';
import { SUM_SCOPES, type SumScope } from '$lib/agencies/scope';
import { packMetrics, unpackMetrics } from './metric-list';

/**
 * The view state and its share-link format: every choice a reader makes lives
 * in the query string, so a copied link opens the same view. Parsing never
 * throws: anything unknown is dropped with a notice saying what and why.
 * One codec on purpose (past 400 lines): parsing and writing every key sit side
 * by side so a link always round-trips.
 *
 * /compare?ag=a1,a2&m=grant_rate&chart=bars&year=2024&v=54a0a7377e21
 *
 * The view is the page (TAB_ROUTES); links of earlier releases name it in
 * the query string instead (/?tab=compare&…), and still parse. The console's
 * SQL travels packed (`z`, sql-link.ts); earlier links carry it as text
 * (`sql`), and still open.
 */

export const TABS = ['overview', 'compare', 'outcomes', 'agency', 'reconcile', 'data', 'upload', 'builder'] as const;
export type Tab = (typeof TABS)[number];

/** The page of each view (the route under src/routes/). */
export const TAB_ROUTES = {
	overview: '/',
	compare: '/compare',
	outcomes: '/outcomes',
	agency: '/agency',
	reconcile: '/reconcile',
	data: '/data',
	upload: '/upload',
	builder: '/builder'
} as const satisfies Record<Tab, string>;

/** The view of a route id ('/compare'); the overview for anything else. */
export function tabOfRoute(routeId: string | null): Tab {
	return TABS.find((t) => TAB_ROUTES[t] === routeId) ?? 'overview';
}
export const CHARTS = ['lines', 'bars', 'multiples', 'bump'] as const;
export type ChartKind = (typeof CHARTS)[number];
export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];
/** Outcomes view: bars per year (pooled over the filtered agencies) or per agency (summed over the years). */
export const OUTCOME_AXES = ['year', 'agency'] as const;
export type OutcomeAxis = (typeof OUTCOME_AXES)[number];
/** Outcome groups whose reasons the outcomes view breaks down (table 三's （三）–（六）). */
export const DRILLS = ['denied', 'unable', 'rejected', 'other'] as const;
export type Drill = (typeof DRILLS)[number];
/** Reports a researcher may leave out of every number: those flagged (报告自身不符 or unread tables), those whose reading is in doubt (解析存疑). */
export const SKIPS = ['flagged', 'uncertain'] as const;
export type Skip = (typeof SKIPS)[number];
/** The largest least-n a link may ask of a rate's reports. */
export const MAX_MIN_N = 1_000_000;

export interface ViewState {
	/** The page; parsed from `tab` only in an old link (see hasTabParam). */
	tab: Tab;
	/** Year range, inclusive; null = the dataset's first/last year. */
	from: number | null;
	to: number | null;
	province: string | null;
	city: string | null;
	level: string | null;
	category: string | null;
	/** Part of an agency's name (overview filter). */
	q: string;
	/** The reports totals across bodies add up: own (default) or aggregate (`sum=aggregate`). */
	sum: SumScope;
	/** Compared agencies, in the order they were added. */
	agencies: string[];
	metric: string;
	/** The year of Compare's ranked bars; null = latest. */
	year: number | null;
	/** The year of the agency profile's report tables; null = the agency's latest. */
	profileYear: number | null;
	/** The year 核对 reconciles (`ry`); null = the government's latest. Apart from Compare's `year`, so neither resets the other. */
	reconcileYear: number | null;
	/** The chart cards shown as tables instead of charts (their ids). */
	tables: string[];
	chart: ChartKind;
	/** Line charts of counts and amounts on a log scale (Compare's lines, the overview's trends; `log=1`). */
	log: boolean;
	/** The overview's lines of counts and amounts as a per-agency average: each year's total ÷ the bodies that reported it (`avg=1`). */
	perAgency: boolean;
	/** Compare table order: 'name', 'y<year>' or null (the chart's year, largest first). */
	sort: string | null;
	desc: boolean;
	/** The profiled agency. */
	agency: string | null;
	/** Compare: draw the peer group's P25–P75 band behind the lines. */
	peers: boolean;
	/** Compare: the agency whose peers make the band (基准机关); null = the first compared. */
	peerRef: string | null;
	/** Outcomes view: bars per year or per agency, and the outcome group broken down into reasons. */
	by: OutcomeAxis;
	drill: Drill | null;
	/** Table builder: its metrics (columns, catalog order; packed in the link, metric-list.ts). */
	metrics: string[];
	/** Table builder: one row per agency with metric × year columns, instead of one per agency-year. */
	pivot: boolean;
	/** Table builder order: 'agency', 'year', 'scope', a metric id, or in the pivot '<metric>@<year>'; null = by agency, then year. */
	tableSort: string | null;
	tableDesc: boolean;
	/** Researchers' filters, in every view's numbers: reports left out (`skip=flagged,uncertain`). */
	skip: Skip[];
	/** The least n (a rate's denominator: requests, concluded cases) a report needs for its rate to count (`minn`); 0 = every report. */
	minN: number;
	/** Data tab: the SQL in the console. */
	sql: string;
	/**
	 * Agencies the link names that came from the sender's uploads: set when a
	 * link is made, so the receiver, who lacks them, is told why.
	 */
	uploaded: string[];
	lang: Lang;
	/** The dataset version the link was made with. */
	v: string | null;
}

export const DEFAULT_METRIC = 'grant_rate';
/** The table builder's columns until the reader picks others. */
export const DEFAULT_TABLE_METRICS: readonly string[] = ['requests_received', 'requests_processed', 'grant_rate', 'review_total', 'litigation_total'];
export const MAX_AGENCIES = 40;

/**
 * `selected` with `ids` added in order up to MAX_AGENCIES, and how many new
 * ones the cap kept out: the picker says so rather than dropping them silently.
 */
export function addAgencies(selected: readonly string[], ids: readonly string[]): { agencies: string[]; leftOut: number } {
	const agencies = [...selected];
	const seen = new Set(selected);
	let leftOut = 0;
	for (const id of ids) {
		if (seen.has(id)) continue;
		seen.add(id);
		if (agencies.length < MAX_AGENCIES) agencies.push(id);
		else leftOut++;
	}
	return { agencies, leftOut };
}
const MAX_TEXT = 100;
/** A console query in a link; longer ones are cut with a notice. */
export const MAX_SQL = 4000;
/**
 * The longest link the app makes, in characters: what every browser, mail
 * client and server passes whole. A link that would be longer leaves the SQL
 * out, and the page says so (+layout.svelte).
 */
export const MAX_LINK = 2000;

export function defaultState(): ViewState {
	return {
		tab: 'overview',
		from: null,
		to: null,
		province: null,
		city: null,
		level: null,
		category: null,
		q: '',
		sum: 'own',
		agencies: [],
		metric: DEFAULT_METRIC,
		year: null,
		profileYear: null,
		reconcileYear: null,
		tables: [],
		chart: 'lines',
		log: false,
		perAgency: false,
		sort: null,
		desc: true,
		agency: null,
		peers: false,
		peerRef: null,
		by: 'year',
		drill: null,
		metrics: [...DEFAULT_TABLE_METRICS],
		pivot: false,
		tableSort: null,
		tableDesc: false,
		skip: [],
		minN: 0,
		sql: '',
		uploaded: [],
		lang: 'zh',
		v: null
	};
}

/** What a link may name: the values present in the data. */
export interface Vocabulary {
	/** Known agency ids (the agency directory, read on demand: db/directory.ts). */
	agencies: Pick<ReadonlySet<string>, 'has'>;
	years: readonly number[];
	provinces: ReadonlySet<string>;
	cities: ReadonlySet<string>;
	levels: ReadonlySet<string>;
	categories: ReadonlySet<string>;
}

export type NoticeCode =
	| 'unknown_param'
	| 'unknown_tab'
	| 'unknown_metric'
	| 'unknown_agency'
	| 'bad_year'
	| 'unknown_chart'
	| 'unknown_value'
	| 'bad_version'
	| 'too_many'
	| 'sql_too_long'
	| 'bad_sql'
	| 'uploaded_agency';

export interface Notice {
	code: NoticeCode;
	param: string;
	/** The offending text, shortened; always rendered as text. */
	value: string;
}

const KEYS = [
	'tab',
	'from',
	'to',
	'prov',
	'city',
	'level',
	'cat',
	'q',
	'sum',
	'ag',
	'm',
	'year',
	'ay',
	'ry',
	'tbl',
	'chart',
	'log',
	'avg',
	'sort',
	'dir',
	'a',
	'peers',
	'pr',
	'by',
	'drill',
	'bm',
	'piv',
	'bs',
	'bd',
	'skip',
	'minn',
	'sql',
	'z',
	'up',
	'lang',
	'v'
] as const;
/** A chart card's id, as a link may name it; at most MAX_TABLES of them. */
const CHART_ID = /^[\w-]{1,40}$/;
const MAX_TABLES = 20;

function short(s: string): string {
	return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function oneOf<T extends string>(values: readonly T[], s: string): s is T {
	return (values as readonly string[]).includes(s);
}

/**
 * The SQL of a packed `z` (sql-link.ts unpacks it, asynchronously, ahead of
 * parsing): the text, null when it cannot be read, undefined while unpacking.
 */
export type Unpacked = (packed: string) => string | null | undefined;

export function parseState(params: URLSearchParams, vocab: Vocabulary, unpacked: Unpacked = () => undefined): { state: ViewState; notices: Notice[] } {
	const state = defaultState();
	const notices: Notice[] = [];
	const note = (code: NoticeCode, param: string, value: string) => notices.push({ code, param, value: short(value) });
	const get = (k: string) => {
		const v = params.get(k);
		return v === null || v.trim() === '' ? null : v.trim();
	};
	const minYear = vocab.years[0];
	const maxYear = vocab.years[vocab.years.length - 1];
	const year = (k: string): number | null => {
		const s = get(k);
		if (s === null) return null;
		const n = Number(s);
		if (!/^\d{4}$/.test(s) || minYear === undefined) {
			note('bad_year', k, s);
			return null;
		}
		if (n < minYear || n > maxYear) {
			note('bad_year', k, s);
			return Math.min(Math.max(n, minYear), maxYear);
		}
		return n;
	};
	const member = (k: string, set: ReadonlySet<string>): string | null => {
		const s = get(k);
		if (s === null) return null;
		if (set.has(s)) return s;
		note('unknown_value', k, s);
		return null;
	};

	for (const k of new Set(params.keys())) if (!oneOf(KEYS, k)) note('unknown_param', k, params.get(k) ?? '');
	const list = (k: string) => [
		...new Set(
			(get(k) ?? '')
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean)
		)
	];
	// The sender's uploads: named, not reported as unknown ids.
	const uploaded = new Set(list('up'));
	const missing = (param: string, id: string) => note(uploaded.has(id) ? 'uploaded_agency' : 'unknown_agency', param, id);

	const tab = get('tab');
	if (tab !== null) {
		if (oneOf(TABS, tab)) state.tab = tab;
		else note('unknown_tab', 'tab', tab);
	}
	state.from = year('from');
	state.to = year('to');
	if (state.from !== null && state.to !== null && state.from > state.to) [state.from, state.to] = [state.to, state.from];
	state.province = member('prov', vocab.provinces);
	state.city = member('city', vocab.cities);
	state.level = member('level', vocab.levels);
	state.category = member('cat', vocab.categories);
	state.q = (get('q') ?? '').slice(0, MAX_TEXT);
	const sum = get('sum');
	if (sum !== null) {
		if (oneOf(SUM_SCOPES, sum)) state.sum = sum;
		else note('unknown_value', 'sum', sum);
	}

	for (const id of list('ag')) {
		if (!vocab.agencies.has(id)) missing('ag', id);
		else if (state.agencies.length >= MAX_AGENCIES) note('too_many', 'ag', id);
		else state.agencies.push(id);
	}
	const m = get('m');
	if (m !== null) {
		if (METRIC_BY_ID.has(m)) state.metric = m;
		else note('unknown_metric', 'm', m);
	}
	state.year = year('year');
	state.profileYear = year('ay');
	state.reconcileYear = year('ry');
	for (const id of list('tbl')) {
		if (!CHART_ID.test(id) || state.tables.length >= MAX_TABLES) note('unknown_value', 'tbl', id);
		else state.tables.push(id);
	}
	const chart = get('chart');
	if (chart !== null) {
		if (oneOf(CHARTS, chart)) state.chart = chart;
		else note('unknown_chart', 'chart', chart);
	}
	const log = get('log');
	if (log !== null) {
		if (log === '1' || log === '0') state.log = log === '1';
		else note('unknown_value', 'log', log);
	}
	const avg = get('avg');
	if (avg !== null) {
		if (avg === '1' || avg === '0') state.perAgency = avg === '1';
		else note('unknown_value', 'avg', avg);
	}
	const sort = get('sort');
	if (sort !== null) {
		const y = sortYear(sort);
		if (sort === 'name' || (y !== null && vocab.years.includes(y))) state.sort = sort;
		else note('unknown_value', 'sort', sort);
	}
	const dir = get('dir');
	if (dir !== null) {
		if (dir === 'asc' || dir === 'desc') state.desc = dir === 'desc';
		else note('unknown_value', 'dir', dir);
	}
	const a = get('a');
	if (a !== null) {
		if (vocab.agencies.has(a)) state.agency = a;
		else missing('a', a);
	}
	const pr = get('pr');
	if (pr !== null) {
		if (vocab.agencies.has(pr)) state.peerRef = pr;
		else missing('pr', pr);
	}
	state.uploaded = [...uploaded].filter((id) => vocab.agencies.has(id));
	const peers = get('peers');
	if (peers !== null) {
		if (peers === '1' || peers === '0') state.peers = peers === '1';
		else note('unknown_value', 'peers', peers);
	}
	const by = get('by');
	if (by !== null) {
		if (oneOf(OUTCOME_AXES, by)) state.by = by;
		else note('unknown_value', 'by', by);
	}
	const drill = get('drill');
	if (drill !== null) {
		if (oneOf(DRILLS, drill)) state.drill = drill;
		else note('unknown_value', 'drill', drill);
	}
	const bm = get('bm');
	if (bm !== null) {
		const { ids, unknown } = unpackMetrics(bm);
		for (const u of unknown) note('unknown_metric', 'bm', u);
		if (ids.length) state.metrics = ids;
	}
	const piv = get('piv');
	if (piv !== null) {
		if (piv === '1' || piv === '0') state.pivot = piv === '1';
		else note('unknown_value', 'piv', piv);
	}
	const bs = get('bs');
	if (bs !== null) {
		if (isTableSortKey(bs, vocab.years)) state.tableSort = bs;
		else note('unknown_value', 'bs', bs);
	}
	const bd = get('bd');
	if (bd !== null) {
		if (bd === 'asc' || bd === 'desc') state.tableDesc = bd === 'desc';
		else note('unknown_value', 'bd', bd);
	}
	for (const x of list('skip')) {
		if (oneOf(SKIPS, x)) state.skip.push(x);
		else note('unknown_value', 'skip', x);
	}
	// In the order SKIPS lists them, so one choice has one link.
	state.skip = SKIPS.filter((x) => state.skip.includes(x));
	const minn = get('minn');
	if (minn !== null) {
		if (/^\d{1,7}$/.test(minn) && Number(minn) <= MAX_MIN_N) state.minN = Number(minn);
		else note('unknown_value', 'minn', minn);
	}
	// Kept as typed (not trimmed): it is shown and run as it is.
	const sqlText = params.get('sql');
	if (sqlText !== null && sqlText.trim() !== '') {
		if (sqlText.length > MAX_SQL) note('sql_too_long', 'sql', sqlText);
		state.sql = sqlText.slice(0, MAX_SQL);
	}
	const packed = get(PACKED_SQL_PARAM);
	if (packed !== null) {
		const text = packed.length > MAX_PACKED ? null : unpacked(packed);
		if (text === null) note('bad_sql', PACKED_SQL_PARAM, packed);
		else if (text !== undefined) state.sql = text;
	}
	const lang = get('lang');
	if (lang !== null) {
		if (oneOf(LANGS, lang)) state.lang = lang;
		else note('unknown_value', 'lang', lang);
	}
	const v = get('v');
	if (v !== null) {
		if (/^[\w-]{1,64}$/.test(v)) state.v = v;
		else note('bad_version', 'v', v);
	}
	return { state, notices };
}

/**
 * The query string of a state, defaults left out; "" for the default view.
 * The view itself is the page (see hrefOf). The SQL goes packed when
 * `packed` has its packed form (sql-link.ts), as text otherwise.
 */
export function toSearch(state: ViewState, packed: (sql: string) => string | undefined = () => undefined): string {
	const d = defaultState();
	const p = new URLSearchParams();
	if (state.from !== null) p.set('from', String(state.from));
	if (state.to !== null) p.set('to', String(state.to));
	if (state.province) p.set('prov', state.province);
	if (state.city) p.set('city', state.city);
	if (state.level) p.set('level', state.level);
	if (state.category) p.set('cat', state.category);
	if (state.q) p.set('q', state.q);
	if (state.sum !== d.sum) p.set('sum', state.sum);
	if (state.agencies.length) p.set('ag', state.agencies.join(','));
	if (state.metric !== d.metric) p.set('m', state.metric);
	if (state.year !== null) p.set('year', String(state.year));
	if (state.profileYear !== null) p.set('ay', String(state.profileYear));
	if (state.reconcileYear !== null) p.set('ry', String(state.reconcileYear));
	if (state.tables.length) p.set('tbl', state.tables.join(','));
	if (state.chart !== d.chart) p.set('chart', state.chart);
	if (state.log !== d.log) p.set('log', state.log ? '1' : '0');
	if (state.perAgency !== d.perAgency) p.set('avg', state.perAgency ? '1' : '0');
	if (state.sort !== null) p.set('sort', state.sort);
	if (state.desc !== d.desc) p.set('dir', state.desc ? 'desc' : 'asc');
	if (state.agency) p.set('a', state.agency);
	if (state.peers !== d.peers) p.set('peers', state.peers ? '1' : '0');
	if (state.peerRef) p.set('pr', state.peerRef);
	if (state.by !== d.by) p.set('by', state.by);
	if (state.drill) p.set('drill', state.drill);
	if (state.metrics.length && state.metrics.join() !== d.metrics.join()) p.set('bm', packMetrics(state.metrics));
	if (state.pivot) p.set('piv', '1');
	if (state.tableSort) p.set('bs', state.tableSort);
	if (state.tableDesc) p.set('bd', 'desc');
	if (state.skip.length) p.set('skip', SKIPS.filter((x) => state.skip.includes(x)).join(','));
	if (state.minN > 0) p.set('minn', String(state.minN));
	if (state.sql.trim()) {
		const z = packed(state.sql);
		if (z !== undefined) p.set(PACKED_SQL_PARAM, z);
		else p.set('sql', state.sql);
	}
	if (state.uploaded.length) p.set('up', state.uploaded.join(','));
	if (state.lang !== d.lang) p.set('lang', state.lang);
	if (state.v) p.set('v', state.v);
	const s = p.toString();
	return s ? `?${s}` : '';
}

/** The compare table's sort key of a year ('y2022'), and the year a key sorts by (null for 'name'). */
export function sortKeyOf(year: number): string {
	return `y${year}`;
}
export function sortYear(key: string): number | null {
	return /^y\d{4}$/.test(key) ? Number(key.slice(1)) : null;
}

/** A table builder sort key: 'agency', 'year', 'scope', a metric id, or '<metric>@<year>' (a pivot column). */
export function isTableSortKey(key: string, years: readonly number[]): boolean {
	if (key === 'agency' || key === 'year' || key === 'scope') return true;
	const [id, year, ...rest] = key.split('@');
	if (rest.length || !METRIC_BY_ID.has(id)) return false;
	return year === undefined || (/^\d{4}$/.test(year) && years.includes(Number(year)));
}

/** The link of a state below the site's root: its page and query string. */
export function hrefOf(state: ViewState): string {
	return `${TAB_ROUTES[state.tab]}${toSearch(state)}`;
}

/**
 * An old ?tab=agency link names the profile's year `year` (before it had
 * `ay`): read it as the profile's. Only for those links: a link of this
 * release may carry Compare's year while showing a profile.
 */
export function withLegacyProfileYear(state: ViewState, params: URLSearchParams): ViewState {
	return state.tab === 'agency' && state.year !== null && !params.has('ay') ? { ...state, profileYear: state.year } : state;
}

/** Whether a link is of the earlier format that names its view in the query string (?tab=compare). */
export function hasTabParam(params: URLSearchParams): boolean {
	return params.has('tab');
}

/** Whether a query string asks for anything but the default overview (the prerendered view). */
export function isDefaultView(search: string): boolean {
	const p = new URLSearchParams(search);
	p.delete('v');
	return [...p.keys()].length === 0;
}
