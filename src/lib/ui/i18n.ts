import type { Metric } from '$lib/catalog/metrics';
import type { LoadErrorCode } from '$lib/db/errors';
import { TABLE_TITLES } from '$lib/report/schema';
import type { Lang, Notice, NoticeCode } from '$lib/state/url';

/**
 * Every UI string, in Chinese and English. Labels of metrics come from the catalog.
 * One table on purpose (past 400 lines): a translator reads and checks it in one place,
 * and the key type that every t() call is checked against derives from it.
 */
const STRINGS = {
	title: { zh: '年报看板', en: 'Nianbao' },
	subtitle: { zh: '政府信息公开工作年度报告数据看板', en: 'Government information-disclosure annual reports, compared' },
	switchLang: { zh: 'English', en: '中文' },
	switchLangLabel: { zh: 'Switch to English', en: '切换到中文' },
	copyLink: { zh: '复制链接', en: 'Copy link' },
	copied: { zh: '已复制链接', en: 'Link copied' },
	linkTooLong: {
		zh: '这个查询太长，放进链接后会超过 {max} 个字符（有些浏览器和服务器打不开这么长的链接），所以链接里没有带上 SQL；其余设置都在链接中。请把查询另外发给对方。',
		en: 'This query is too long: with it the link would be over {max} characters (some browsers and servers cannot open such links), so the link leaves the SQL out; everything else is in it. Send the query separately.'
	},
	copyFailed: { zh: '无法写入剪贴板，请手动复制：', en: 'Could not write to the clipboard; copy this:' },
	tabsLabel: { zh: '视图', en: 'Views' },
	tab_overview: { zh: '总览', en: 'Overview' },
	tab_compare: { zh: '对比', en: 'Compare' },
	tab_agency: { zh: '机关', en: 'Agency' },
	tab_outcomes: { zh: '办理结果', en: 'Outcomes' },
	tab_reconcile: { zh: '核对', en: 'Reconcile' },
	tab_data: { zh: '数据', en: 'Data' },
	tab_upload: { zh: '导入', en: 'Upload' },
	engineStarting: { zh: '数据引擎启动中', en: 'Starting the data engine' },
	engineReady: { zh: '数据引擎就绪', en: 'Data engine ready' },
	engineError: { zh: '数据引擎无法启动', en: 'Data engine failed' },
	step_manifest: { zh: '读取数据清单', en: 'Reading the manifest' },
	step_wasm: { zh: '加载 DuckDB（WebAssembly）', en: 'Loading DuckDB (WebAssembly)' },
	step_files: { zh: '读取数据文件', en: 'Reading data files' },
	step_tables: { zh: '建表', en: 'Creating tables' },
	step_ready: { zh: '就绪', en: 'Ready' },
	prerenderedNote: {
		zh: '图表先用构建时预先计算的数字显示；数据引擎就绪后即可筛选和对比。',
		en: 'Charts first show numbers computed at build time; filtering and comparing start when the engine is ready.'
	},
	waitingEngine: { zh: '正在启动数据引擎，完成后显示此视图的数字…', en: 'Starting the data engine; this view appears when it is ready…' },
	loading: { zh: '查询中…', en: 'Querying…' },
	// errors
	errorTitle: { zh: '数据无法加载', en: 'The data could not be loaded' },
	error_manifest_missing: { zh: '找不到数据清单 {file}。', en: 'The data manifest {file} is missing.' },
	error_manifest_invalid: { zh: '数据清单 {file} 已损坏或格式不对。', en: 'The data manifest {file} is damaged or malformed.' },
	error_manifest_version: {
		zh: '数据清单 {file} 由另一版本的 ingest 写成，本页面读不了它的格式：请用当前版本重新运行 ingest（或 npm run data）后重新构建。',
		en: 'The data manifest {file} was written by another version of ingest, in a layout this page cannot read: run ingest (or npm run data) again with this version, then rebuild.'
	},
	error_file_missing: { zh: '数据文件 {file} 不存在或无法下载。', en: 'The data file {file} is missing or could not be downloaded.' },
	error_file_corrupt: { zh: '数据文件 {file} 已损坏，不是可读的 Parquet 文件。', en: 'The data file {file} is damaged: not a readable Parquet file.' },
	error_file_columns: { zh: '数据文件 {file} 缺少列。', en: 'The data file {file} lacks columns.' },
	error_engine_failed: { zh: 'DuckDB-WASM 无法在此浏览器中启动。', en: 'DuckDB-WASM could not start in this browser.' },
	errorDetail: { zh: '技术细节', en: 'Technical detail' },
	errorHelp: {
		zh: '请重新生成数据（npm run data）并重新构建页面（npm run build）；若数据文件由他人提供，请确认文件完整后刷新。',
		en: 'Rebuild the data (npm run data) and the page (npm run build); if someone else supplied the files, check they are complete and reload.'
	},
	reload: { zh: '重新加载', en: 'Reload' },
	// stale links and notices
	staleTitle: { zh: '数据已更新', en: 'The data has changed' },
	staleText: {
		zh: '此链接生成时的数据版本为 {old}，当前数据版本为 {current}（构建于 {built}）。页面显示的是当前数据的数字，可能与分享者看到的不同。',
		en: 'This link was made with data version {old}; the current version is {current} (built {built}). The page shows the current numbers, which may differ from what the sender saw.'
	},
	staleAccept: { zh: '改用当前数据的链接', en: 'Use a link to the current data' },
	noticesTitle: { zh: '链接中有些内容无法使用，已忽略：', en: 'Some parts of the link could not be used and were ignored:' },
	dismiss: { zh: '知道了', en: 'Dismiss' },
	notice_unknown_param: { zh: '未识别的参数 {param}={value}', en: 'Unknown parameter {param}={value}' },
	notice_unknown_tab: { zh: '没有名为“{value}”的视图，已打开总览', en: 'No view called "{value}"; showing the overview' },
	notice_unknown_metric: { zh: '指标“{value}”不在指标目录中，已改用默认指标', en: 'Metric "{value}" is not in the catalog; using the default' },
	notice_unknown_agency: { zh: '机关“{value}”不在当前数据中', en: 'Agency "{value}" is not in the current data' },
	notice_bad_year: { zh: '年份 {param}={value} 超出数据范围或格式不对', en: 'Year {param}={value} is out of range or malformed' },
	notice_unknown_chart: { zh: '没有“{value}”这种图表，已用折线图', en: 'No chart type "{value}"; using lines' },
	notice_unknown_value: { zh: '{param}=“{value}”在数据中不存在', en: '{param}="{value}" does not occur in the data' },
	notice_bad_version: { zh: '数据版本“{value}”格式不对', en: 'Data version "{value}" is malformed' },
	notice_sql_too_long: { zh: '链接中的 SQL 超过 4000 个字符，已截断', en: 'The SQL in the link is over 4,000 characters and was cut' },
	notice_uploaded_agency: {
		zh: '此链接包含发送者上传的报告，当前数据中没有（机关 {value}）：请对方把报告一并发来，在“上传”页加入后再打开链接',
		en: 'This link includes reports the sender uploaded, which are not in the current data (agency {value}): ask for the reports, add them on the Upload page, then open the link again'
	},
	notice_bad_sql: {
		zh: '链接中的 SQL 无法读取（链接不完整、已损坏，或查询超过 4000 个字符），未载入',
		en: 'The SQL in the link cannot be read (the link is cut or damaged, or the query is over 4,000 characters); it was not loaded'
	},
	notice_too_many: { zh: '对比最多 {max} 个机关，“{value}”未加入', en: 'At most {max} agencies can be compared; "{value}" was left out' },
	// filters
	filters: { zh: '筛选', en: 'Filters' },
	years: { zh: '年份', en: 'Years' },
	yearFrom: { zh: '起始年份', en: 'From year' },
	yearTo: { zh: '截止年份', en: 'To year' },
	province: { zh: '省份', en: 'Province' },
	city: { zh: '城市', en: 'City' },
	level: { zh: '层级', en: 'Level' },
	category: { zh: '类别', en: 'Category' },
	agencySearch: { zh: '机关名称', en: 'Agency name' },
	agencySearchPlaceholder: { zh: '输入名称中的字词', en: 'Part of the name' },
	all: { zh: '全部', en: 'All' },
	reset: { zh: '重置筛选', en: 'Reset filters' },
	scope: {
		zh: '{agencies} 个机关 · {reports} 份报告 · {from}–{to} 年',
		en: '{agencies} agencies · {reports} reports · {from}–{to}'
	},
	scopeFlagged: { zh: '其中 {n} 份报告的表格不满足勾稽关系 ⚠', en: '{n} of them break consistency rules ⚠' },
	noReports: { zh: '所选范围内没有报告。', en: 'No reports in this selection.' },
	// KPIs
	kpiTitle: { zh: '{year} 年主要指标（与 {prev} 年相比）', en: 'Key figures {year} (change from {prev})' },
	kpiTitleNoPrev: { zh: '{year} 年主要指标', en: 'Key figures {year}' },
	kpiReports: { zh: '{n} 份报告', en: '{n} reports' },
	// Reconciliation: an aggregate report beside its units' own reports
	reconcileTitle: { zh: '汇总报告与下属单位报告核对', en: 'Aggregate report against its units’ reports' },
	reconcileIntro: {
		zh: '政府的汇总报告所列数字，与其下属单位各自报告之和并列：差额 = 汇总报告 − 单位之和。差额不为 0 可能因为有单位未单独发布报告、口径不同或填报有误。',
		en: 'The figure a government’s aggregate report printed beside the sum of its units’ own reports: gap = aggregate − units. A gap may come from units without a report of their own, a different scope, or errors.'
	},
	reconcileGovernment: { zh: '政府', en: 'Government' },
	reconcileNone: {
		zh: '数据中没有既有汇总报告、又有下属单位本级报告的政府。',
		en: 'No government in the data has both an aggregate report and units with their own reports.'
	},
	reconcilePrinted: { zh: '汇总报告所列', en: 'Aggregate report' },
	reconcileUnits: { zh: '下属单位报告之和', en: 'Sum of units' },
	reconcileGap: { zh: '差额', en: 'Gap' },
	reconcileReporting: { zh: '计入单位数', en: 'Units counted' },
	reconcileReported: { zh: '{year} 年有本级报告的单位（{n} 个）', en: 'Units with an own report in {year} ({n})' },
	reconcileMissing: {
		zh: '{year} 年缺报单位（{n} 个：数据中有其他年度报告，本年没有）',
		en: 'Units missing in {year} ({n}: a report in other years, none this year)'
	},
	reconcileRule: { zh: '下属单位的定义', en: 'Who counts as a unit' },
	partsDiffer: {
		zh: '报告原表的各项之和为 {sum}，与此总计不符；以此为基础的比率不计入这份报告',
		en: 'The report’s own parts add up to {sum}, not to this total; rates over it leave this report out'
	},
	partsDifferNote: {
		zh: '{years}：报告原表各项之和与总计不符（图中按各项绘制）⚠',
		en: '{years}: the report’s parts do not add up to its printed total (bars show the parts) ⚠'
	},
	scopeLabel: { zh: '统计范围', en: 'Scope' },
	// What a total across bodies adds up (Filters.sum, agencies/scope.ts)
	sumLabel: { zh: '合计口径', en: 'Totals add up' },
	sum_own: { zh: '各机关本级报告', en: "bodies' own reports" },
	sum_aggregate: { zh: '政府汇总报告', en: "governments' aggregate reports" },
	sumShort_own: { zh: '合计口径：各机关本级报告（不含 {aggregate} 份汇总报告）', en: "Adds up bodies' own reports (not the {aggregate} aggregate ones)" },
	sumShort_aggregate: { zh: '合计口径：政府汇总报告（不含 {own} 份本级报告）', en: "Adds up governments' aggregate reports (not the {own} own ones)" },
	sumReports_own: { zh: '{n} 份本级报告之和', en: 'sum of {n} own reports' },
	sumReports_aggregate: { zh: '{n} 份汇总报告之和', en: 'sum of {n} aggregate reports' },
	rateN: { zh: '{n} 份报告、{d} 件', en: '{n} reports, {d} cases' },
	sumWords_own: {
		zh: '合计、趋势和比率只加各机关本级（own）的报告：政府的汇总报告已含其下属单位，再加一次就重复了。未计入：{aggregate} 份汇总报告、{unknown} 份范围未定的报告。',
		en: "Totals, trends and rates add up the bodies' own reports only: a government's aggregate report already contains its units. Left out: {aggregate} aggregate reports, {unknown} of unknown scope."
	},
	sumWords_aggregate: {
		zh: '合计、趋势和比率只加政府的汇总报告（aggregate，已含其下属单位）。未计入：{own} 份本级报告、{unknown} 份范围未定的报告。',
		en: "Totals, trends and rates add up the governments' aggregate reports only (they contain their units). Left out: {own} own reports, {unknown} of unknown scope."
	},
	sharesRule: {
		zh: '{rule} 本图计入 {n} 份报告、{d} 件；{left} 份报告因结果各行之和与办理总计不符未计入。',
		en: '{rule} This chart divides {d} requests of {n} reports; {left} reports left out (their outcome rows do not add up to their total).'
	},
	kpiFlagged: { zh: '含 {n} 份勾稽不符 ⚠', en: 'incl. {n} with broken rules ⚠' },
	notApplicable: { zh: '不适用', en: 'n/a' },
	notApplicableWhy: { zh: '所选报告使用的表格格式没有此项', en: "The selected reports' template has no such figure" },
	noValue: { zh: '—', en: '—' },
	noValueWhy: { zh: '无法计算（分母为 0 或表格缺行）', en: 'Cannot be computed (zero denominator or missing rows)' },
	noReport: { zh: '无报告', en: 'no report' },
	yoyNone: { zh: '无上年可比数', en: 'no prior year' },
	yoyReportsDiffer: { zh: '两年报告数不同（{a} / {b}），同比仅供参考', en: 'Report counts differ ({a} / {b}); compare with care' },
	// charts
	showChart: { zh: '图表', en: 'Chart' },
	showTable: { zh: '数据表', en: 'Table' },
	chartOrTable: { zh: '以图表或数据表显示', en: 'Show as chart or table' },
	chartRequests: { zh: '申请数量', en: 'Requests' },
	chartOutcomes: { zh: '办理结果构成', en: 'Outcomes' },
	chartRates: { zh: '公开率与“不掌握”占比', en: 'Grant and "not held" rates' },
	chartCases: { zh: '行政复议与行政诉讼', en: 'Reconsiderations and lawsuits' },
	year: { zh: '年份', en: 'Year' },
	reportsCol: { zh: '报告数', en: 'Reports' },
	flaggedCol: { zh: '勾稽不符', en: 'Broken rules' },
	flaggedLegend: { zh: '▲ 表示该报告表格不满足勾稽关系', en: '▲ marks a report whose tables break a consistency rule' },
	matrixTitle: { zh: '报告一览', en: 'Reports by agency and year' },
	matrixClean: { zh: '已收录', en: 'included' },
	matrixBroken: { zh: '勾稽不符 {n} 处', en: '{n} broken rules' },
	matrixReadProblems: { zh: '读取有问题', en: 'read problems' },
	matrixUncertain: { zh: '解析存疑', en: 'reading in doubt' },
	matrixLimited: { zh: '仅列出按名称排序的前 {n} 个机关', en: 'Only the first {n} agencies by name are listed' },
	agencyCol: { zh: '机关', en: 'Agency' },
	// compare
	pickAgencies: { zh: '选择机关', en: 'Choose agencies' },
	searchAgencies: { zh: '按名称搜索机关', en: 'Search agencies by name' },
	add: { zh: '添加', en: 'Add' },
	addNamed: { zh: '添加 {name}', en: 'Add {name}' },
	remove: { zh: '移除 {name}', en: 'Remove {name}' },
	addCategory: { zh: '添加整个类别', en: 'Add a whole category' },
	addRegion: { zh: '添加整个地区', en: 'Add a whole region' },
	addScope: { zh: '添加总览筛选范围内的 {n} 个机关', en: 'Add the {n} agencies of the overview filters' },
	clear: { zh: '清空', en: 'Clear' },
	selected: { zh: '已选 {n} 个机关', en: '{n} agencies selected' },
	noneSelected: { zh: '还没有选择机关。按名称搜索，或整类、整个地区添加。', en: 'No agency chosen yet. Search by name, or add a category or region.' },
	noMatches: { zh: '没有匹配的机关', en: 'No matching agency' },
	moreMatches: { zh: '另有 {n} 个，请输入更多字词', en: '{n} more; type more of the name' },
	metric: { zh: '指标', en: 'Metric' },
	metricKind: { zh: '指标类型', en: 'Kind of metric' },
	kindAbs: { zh: '绝对数', en: 'Absolute' },
	kindRate: { zh: '比率', en: 'Rate' },
	formula: { zh: '计算方法', en: 'Formula' },
	templatesOnly: { zh: '仅 {t} 格式报告有此项，其余为“不适用”', en: 'Only {t}-template reports have it; others show n/a' },
	chartType: { zh: '图表类型', en: 'Chart type' },
	chart_lines: { zh: '折线（按年）', en: 'Lines over years' },
	chart_bars: { zh: '排名条形（单一年份）', en: 'Ranked bars (one year)' },
	chart_multiples: { zh: '小多图', en: 'Small multiples' },
	chart_bump: { zh: '排名变化（按年）', en: 'Rank changes over years' },
	multiplesOwnScale: {
		zh: '各小图的纵轴按该机关自身的数值范围，比较大小请看表格或排名条形图。',
		en: 'Each small chart has its own vertical scale; compare sizes in the table or the ranked bars.'
	},
	rankYear: { zh: '排名年份', en: 'Ranking year' },
	rank: { zh: '排名', en: 'Rank' },
	sortBy: { zh: '按此列排序', en: 'Sort by this column' },
	colorsRepeat: {
		zh: '超过 8 个机关时颜色重复，以线型和符号区分；机关较多时建议用小多图。',
		en: 'Past 8 agencies colours repeat with dashes and symbols; small multiples read better.'
	},
	group_requests: { zh: '申请数量', en: 'Requests' },
	group_outcomes: { zh: '办理结果', en: 'Outcomes' },
	group_reasons: { zh: '不公开等理由', en: 'Reasons' },
	group_applicants: { zh: '申请人', en: 'Applicants' },
	group_rates: { zh: '比率', en: 'Rates' },
	group_cases: { zh: '复议与诉讼', en: 'Appeals and lawsuits' },
	group_active: { zh: '主动公开', en: 'Proactive disclosure' },
	// agency profile
	chooseAgency: { zh: '选择机关', en: 'Choose an agency' },
	filterList: { zh: '筛选列表', en: 'Filter the list' },
	agencyUnknown: { zh: '请选择一个机关。', en: 'Choose an agency.' },
	region: { zh: '地区', en: 'Region' },
	reportsOf: { zh: '收录的报告', en: 'Reports' },
	template: { zh: '表格格式', en: 'Template' },
	templateName: { zh: '{t} 年格式', en: '{t} template' },
	status: { zh: '状态', en: 'Status' },
	status_clean: { zh: '勾稽一致', en: 'consistent' },
	status_broken_rules: { zh: '勾稽不符 {n} 处', en: '{n} broken rules' },
	status_read_problems: { zh: '读取有问题', en: 'read problems' },
	status_uncertain: { zh: '解析存疑', en: 'reading in doubt' },
	status_uncertain_why: {
		zh: '解析存疑：部分数字由表格的勾稽关系或报告正文所述推断，或有多种读法，不是报告本身的错误',
		en: 'Reading in doubt: some numbers were inferred from the tables’ arithmetic or the report’s own text, or admit several readings; not an error of the report itself'
	},
	cell_inferred: {
		zh: '解析存疑 · 推断（inferred）：版式容许多种读法，只有这一种符合表格的勾稽关系',
		en: 'Reading in doubt · inferred: the layout allows several readings; only this one keeps the tables’ arithmetic'
	},
	cell_inferredProse: {
		zh: '解析存疑 · 推断（inferred）：版式和勾稽关系容许多种读法，由报告正文所述选定',
		en: 'Reading in doubt · inferred: the layout and the arithmetic allow several readings; the report’s own text decided'
	},
	cell_ambiguous: {
		zh: '解析存疑 · 存疑（ambiguous）：有多种读法成立，取版式最可能的一种',
		en: 'Reading in doubt · ambiguous: several readings hold; the layout’s likeliest is taken'
	},
	cell_printedRow: { zh: '文档中的行：{row}', en: 'Row in the document: {row}' },
	cell_page: { zh: '印在第 {page} 页', en: 'Printed on page {page}' },
	cell_reason: { zh: '依据：{reason}', en: 'Decided by: {reason}' },
	cell_noteHint: { zh: '点按带 ≈ 的数字，查看如何读出及依据', en: 'Tap a number marked ≈ to see how it was read and why' },
	cell_noteClose: { zh: '关闭说明', en: 'Close the note' },
	sourceFile: { zh: '来源文件', en: 'Source file' },
	kind_document: { zh: '解析的原始年报', en: 'parsed report' },
	kind_record: { zh: '人工核对记录', en: 'hand-checked record' },
	keyMetrics: { zh: '主要指标', en: 'Key metrics' },
	applicantMix: { zh: '申请人构成（本年新收）', en: 'Applicants (new requests)' },
	reviewByResult: { zh: '行政复议（按结果）', en: 'Reconsiderations by result' },
	litigationByResult: { zh: '行政诉讼（两类合计，按结果）', en: 'Lawsuits (both kinds) by result' },
	reportTables: { zh: '{year} 年报告中的表格（按报告原样）', en: 'Tables of the {year} report, as printed' },
	tableYear: { zh: '报告年份', en: 'Report year' },
	table2: { zh: `二、${TABLE_TITLES.二}`, en: 'II. Proactive disclosure' },
	table3: { zh: `三、${TABLE_TITLES.三}`, en: 'III. Requests received and handled' },
	table4: { zh: `四、${TABLE_TITLES.四}`, en: 'IV. Reconsiderations and lawsuits' },
	tableAbsent: { zh: '报告中没有此表', en: 'The report has no such table' },
	item: { zh: '项目', en: 'Item' },
	field: { zh: '指标', en: 'Field' },
	value: { zh: '数值', en: 'Value' },
	applicantHeader: { zh: '申请人情况', en: 'Applicants' },
	legalPersons: { zh: '法人或其他组织', en: 'Legal persons and other organisations' },
	// table 四's column groups, as the template prints them
	case_review: { zh: '行政复议', en: 'Reconsiderations' },
	case_litigation: { zh: '行政诉讼', en: 'Lawsuits' },
	case_litigation_direct: { zh: '未经复议直接起诉', en: 'Filed directly' },
	case_litigation_after_review: { zh: '复议后起诉', en: 'Filed after reconsideration' },
	issuesTitle: { zh: '不满足的勾稽关系与读取问题', en: 'Broken rules and reading problems' },
	noIssues: { zh: '这个机关的报告没有发现问题。', en: 'No problems found in this agency’s reports.' },
	where: { zh: '位置', en: 'Place' },
	expected: { zh: '应为', en: 'expected' },
	actual: { zh: '实为', en: 'actual' },
	issueCell: { zh: '此格涉及勾稽不符：{msg}', en: 'This cell is part of a broken rule: {msg}' },
	// Issue codes (issue_<code>), one per code the parser or the dataset emits (tests/issue-labels.test.ts holds the list complete).
	// 勾稽不符: the report's own arithmetic fails over cells read as printed.
	issue_rule_balance: { zh: '勾稽不符：收到与办理不平衡', en: 'Broken rule: received ≠ processed + carried forward' },
	issue_rule_outcomes: { zh: '勾稽不符：办理结果之和', en: 'Broken rule: outcomes do not add up to the total processed' },
	issue_rule_row_total: { zh: '勾稽不符：行总计', en: 'Broken rule: a row’s total' },
	issue_rule_case_total: { zh: '勾稽不符：复议诉讼总计', en: 'Broken rule: a review or lawsuit total' },
	// 解析存疑: our reading is in doubt.
	issue_reading_rule: { zh: '解析存疑：勾稽不符涉及存疑单元格', en: 'Reading in doubt: a rule fails over a doubtful cell' },
	issue_reading_ambiguous: { zh: '解析存疑：有多种读法', en: 'Reading in doubt: several readings possible' },
	issue_reading_inferred: { zh: '解析存疑：推断读取', en: 'Reading in doubt: inferred' },
	issue_row_by_order: { zh: '解析存疑：按行序认定的行', en: 'Reading in doubt: row placed by order' },
	issue_cells_ambiguous: { zh: '解析存疑：单元格位置不明', en: 'Reading in doubt: cells’ columns unclear' },
	// What the document prints, read as printed (the report's own wording, not our doubt).
	issue_approximate: { zh: '约数（原文如此，并非确数）', en: 'Approximate count (as printed, not exact)' },
	issue_footnote_mark: { zh: '数字带注释符号', en: 'Number with a footnote mark' },
	issue_chinese_numeral: { zh: '汉字数字', en: 'Number in Chinese numerals' },
	issue_dash_as_zero: { zh: '横线或“无”计为 0', en: 'Dash or 无 counted as 0' },
	issue_unit_converted: { zh: '金额单位已换算', en: 'Amount unit converted' },
	issue_prose_table: { zh: '正文与表格不一致', en: 'Text and table disagree' },
	issue_continuity_carry: { zh: '跨年度结转不衔接', en: 'Carry-over differs from the year before' },
	// What could not be read: the cell, row or table is empty (null) in the data.
	issue_cell_unreadable: { zh: '单元格无法读成数字', en: 'Cell not readable as a number' },
	issue_cells_missing: { zh: '单元格缺失', en: 'Cells missing' },
	issue_cells_extra: { zh: '单元格多出', en: 'Extra cells' },
	issue_column_missing: { zh: '表头缺列', en: 'Column not printed' },
	issue_row_missing: { zh: '缺少一行', en: 'Row missing' },
	issue_row_unknown: { zh: '无法识别的行', en: 'Row not recognised' },
	issue_row_duplicate: { zh: '重复的行', en: 'Row printed twice' },
	issue_table_missing: { zh: '缺少表格', en: 'Table missing' },
	issue_table_transposed: { zh: '表三行列互换', en: 'Table 三 printed transposed' },
	issue_template_mixed: { zh: '新旧模板混用', en: 'Templates mixed' },
	issue_year_conflict: { zh: '年度不一致', en: 'Years disagree' },
	issue_agency_suspect: { zh: '机关名称存疑', en: 'Agency name suspect' },
	openProfile: { zh: '查看 {name} 的机关页', en: 'Open the profile of {name}' },
	// upload
	uploadTitle: { zh: '导入年报文件', en: 'Upload report files' },
	uploadIntro: {
		zh: '把政府信息公开工作年度报告文件拖到下面，或点击选择文件。解析结果会显示表格勾稽关系检查；解析成功的报告在本次会话中加入所有视图（总览、对比、办理结果、机关、数据）。',
		en: 'Drop annual-report files below or click to choose them. Each is parsed and checked against its tables’ own arithmetic; reports that parse join every view (overview, compare, outcomes, agency, data) for this session.'
	},
	uploadPrivate: {
		zh: '文件只在本机浏览器中解析，不会上传到任何服务器；关闭或刷新页面后即不再保留。',
		en: 'Files are parsed in this browser only and never sent anywhere; they are gone when the page is closed or reloaded.'
	},
	uploadDrop: { zh: '拖放文件到这里，或点击选择', en: 'Drop files here, or click to choose' },
	uploadFormats: {
		zh: '支持：文本（.txt）、网页（.html）、PDF（有文字层）、Word（.docx），可多选',
		en: 'Text (.txt), web pages (.html), PDF (with a text layer), Word (.docx); several at once'
	},
	uploadSessionNote: {
		zh: '本次会话已导入 {n} 份报告。分享链接不包含导入的报告：对方打开链接看到的是内置数据。',
		en: '{n} uploaded reports in this session. Share links do not carry them: whoever opens a link sees the bundled data.'
	},
	uploadList: { zh: '已选择 {n} 个文件，{added} 份已加入数据', en: '{n} files, {added} added to the data' },
	uploadQueued: { zh: '等待中', en: 'Queued' },
	uploadParsing: { zh: '解析中…', en: 'Parsing…' },
	uploadAdding: { zh: '加入数据…', en: 'Adding to the data…' },
	uploadAdded: { zh: '已加入本次会话的数据', en: 'Added to this session’s data' },
	uploadFailed: { zh: '无法读取', en: 'Could not be read' },
	uploadParseTime: { zh: '解析用时 {t}', en: 'parsed in {t}' },
	uploadYear: { zh: '{year} 年度', en: 'year {year}' },
	uploadOpenCompare: { zh: '在对比中查看', en: 'See it in Compare' },
	uploadOpenProfile: { zh: '机关页', en: 'Agency page' },
	uploadReplaced: {
		zh: '已替换：数据中原有该机关 {year} 年度的报告（{file}），本次会话中改用上传的文件。',
		en: 'Replaced: the data already had this agency’s {year} report ({file}); this session uses the uploaded file instead.'
	},
	uploadNewAgency: { zh: '新机关：已加入机关列表。', en: 'New agency: added to the agency lists.' },
	uploadChecksOk: { zh: '表格勾稽关系全部满足，未发现读取问题', en: 'All consistency rules hold; no reading problems' },
	uploadChecks: { zh: '检查结果：{broken} 处勾稽不符，{other} 条其他提示', en: 'Checks: {broken} broken rules, {other} other notes' },
	uploadChecksDoubt: {
		zh: '检查结果：解析存疑 {doubt} 处（部分数字由勾稽关系或报告正文推断，或有多种读法；涉及这些数字的勾稽不符不视为报告自身不符）；报告自身勾稽不符 {broken} 处；{other} 条其他提示',
		en: 'Checks: reading in doubt at {doubt} places (numbers inferred or read several ways; rules failing over them are not counted as the report’s own errors); {broken} rules broken by the report itself; {other} other notes'
	},
	// data console
	sqlTitle: { zh: 'SQL 查询', en: 'SQL console' },
	sqlIntro: {
		zh: '在浏览器中用 DuckDB 查询数据：可用只读视图 report_metrics（每份报告一行，每个指标一列，最常用）、reports、agencies、facts、metrics、issues。每次执行一条只读语句：SELECT / WITH / FROM … / VALUES / SUMMARIZE / PIVOT / UNPIVOT / EXPLAIN / DESCRIBE / SHOW / PRAGMA table_info。',
		en: 'Query the data with DuckDB in the browser, on the read-only views report_metrics (one row per report, a column per metric: the most useful), reports, agencies, facts, metrics and issues. One read-only statement at a time: SELECT / WITH / FROM … / VALUES / SUMMARIZE / PIVOT / UNPIVOT / EXPLAIN / DESCRIBE / SHOW / PRAGMA table_info.'
	},
	sqlLabel: { zh: 'SQL 语句', en: 'SQL statement' },
	sqlRun: { zh: '运行', en: 'Run' },
	sqlCancel: { zh: '取消', en: 'Cancel' },
	sqlCsv: { zh: '下载 CSV', en: 'Download CSV' },
	sqlParquet: { zh: '下载 Parquet', en: 'Download Parquet' },
	sqlShortcut: { zh: 'Ctrl + Enter 运行', en: 'Ctrl + Enter runs' },
	sqlExamples: { zh: '示例查询', en: 'Example queries' },
	sqlExampleYears: { zh: '每年的报告数（按表格格式）', en: 'Reports per year and template' },
	sqlExampleGrant: { zh: '各机关历年公开率', en: 'Grant rate of every agency by year' },
	sqlExampleIssues: { zh: '所有勾稽不符与读取问题', en: 'Every broken rule and reading problem' },
	sqlExampleSlow: { zh: '一个很慢的查询（试试“取消”）', en: 'A slow query (try Cancel)' },
	sqlViews: { zh: '视图与列', en: 'Views and columns' },
	sqlViewsNote: {
		zh: '数据版本 {version}。视图建立在已加载的数据表之上，查询无法修改数据。',
		en: 'Data version {version}. The views sit on the loaded tables; a query cannot change the data.'
	},
	sqlViewsUploads: { zh: '含本次会话导入的 {n} 份报告。', en: 'They include the {n} reports uploaded in this session.' },
	sqlResult: { zh: '结果', en: 'Result' },
	sqlNothingYet: { zh: '尚未运行查询。', en: 'No query run yet.' },
	sqlRunning: { zh: '查询中… 已用 {s} 秒', en: 'Running… {s} s' },
	sqlRows: { zh: '{n} 行，用时 {s} 秒。', en: '{n} rows in {s} s.' },
	sqlShownFirst: { zh: '表格只显示前 {n} 行，下载文件包含全部行。', en: 'The table shows the first {n}; downloads have every row.' },
	sqlCancelled: { zh: '查询已取消（运行了 {s} 秒）。', en: 'Query cancelled after {s} s.' },
	sqlError: { zh: 'DuckDB 报错：', en: 'DuckDB error:' },
	sqlLinkNote: { zh: '查询已写入地址栏，“复制链接”即可分享。', en: 'The query is in the address bar: Copy link shares it.' },
	sqlReject_empty: { zh: '没有可运行的语句。', en: 'There is no statement to run.' },
	sqlReject_multiple: { zh: '一次只能运行一条语句（这里有 {keyword} 条）。', en: 'One statement at a time (there are {keyword}).' },
	sqlReject_unterminated: { zh: '语句中有未闭合的引号或注释。', en: 'A quote or comment is not closed.' },
	sqlReject_not_read_only: {
		zh: '只读控制台不运行 {keyword} 语句：只能执行 SELECT / WITH / EXPLAIN / DESCRIBE / SHOW / PRAGMA table_info。',
		en: 'The read-only console does not run {keyword}: only SELECT / WITH / EXPLAIN / DESCRIBE / SHOW / PRAGMA table_info.'
	},
	// chart export
	exportLabel: { zh: '导出', en: 'Export' },
	downloadData: { zh: '下载图表数据', en: 'Download chart data' },
	downloadPng: { zh: 'PNG', en: 'PNG' },
	downloadSvg: { zh: 'SVG', en: 'SVG' },
	downloadPngLabel: { zh: '下载 PNG 图片', en: 'Download as PNG' },
	downloadSvgLabel: { zh: '下载 SVG 图片', en: 'Download as SVG' },
	exportFailed: { zh: '导出失败：{msg}', en: 'Export failed: {msg}' },
	stampSource: { zh: '政府信息公开工作年度报告（年报看板）', en: 'Government information-disclosure annual reports (Nianbao)' },
	stampFooter: {
		zh: '数据来源：{source}｜数据版本 {version}｜导出于 {date}｜年报看板 Nianbao',
		en: 'Source: {source} | Data version {version} | Exported {date} | Nianbao 年报看板'
	},
	stampNoFilters: { zh: '全部机关、全部年份', en: 'All agencies, all years' },
	// outcomes
	outcomesTitle: { zh: '办理结果构成', en: 'How requests ended' },
	outcomesBy: { zh: '横轴', en: 'Bars per' },
	by_year: { zh: '按年份（所选机关合计）', en: 'Year (selected agencies pooled)' },
	by_agency: { zh: '按机关（所选年份合计）', en: 'Agency (selected years summed)' },
	outcomeShares: { zh: '办理结果占比', en: 'Outcome shares' },
	outcomeSharesNote: {
		zh: '每根柱子是 100%：各办理结果占“办理总计”的比例（与总览的公开率等同一公式）。点击图例或下方按钮查看某类结果的具体理由。',
		en: 'Each bar is 100%: the share of each outcome in the requests handled (the same formula as the overview’s rates). Pick a group below to see its reasons.'
	},
	drillTitle: { zh: '细分理由', en: 'Break down' },
	drill_denied: { zh: '不予公开的理由', en: 'Reasons for denial' },
	drill_unable: { zh: '无法提供的理由', en: 'Why information could not be provided' },
	drill_rejected: { zh: '不予处理的理由', en: 'Why requests were not processed' },
	drill_other: { zh: '其他处理', en: 'Other handling' },
	drillNone: { zh: '不细分', en: 'No breakdown' },
	drillEmpty: { zh: '所选范围内没有此类结果（合计为 0）。', en: 'No such outcome in this selection (total 0).' },
	drillShareNote: { zh: '占该类结果合计的比例；括号内为件数。', en: 'Share of that outcome group’s total; counts in brackets.' },
	drillOtherNote: {
		zh: '2019 年格式的表格把“（六）其他处理”印成一行，没有细分理由；这些报告计入“其他处理（未细分）”。',
		en: 'The 2019 tables print （六）other handling as one row without reasons; those reports count as “other (not broken down)”.'
	},
	otherUnsplit: { zh: '其他处理（未细分）', en: 'Other (not broken down)' },
	applicantShares: { zh: '申请人类型构成（本年新收申请）', en: 'Who asked (new requests by applicant type)' },
	share: { zh: '占比', en: 'Share' },
	count: { zh: '件数', en: 'Count' },
	total: { zh: '合计', en: 'Total' },
	noOutcomeData: { zh: '所选范围内没有可用的办理结果数据。', en: 'No outcome figures in this selection.' },
	agenciesLimited: { zh: '按办理总计从多到少，只显示前 {n} 个机关。', en: 'Only the {n} agencies with the most requests handled are shown.' },
	// peers
	peersToggle: { zh: '显示同类机关基准带', en: 'Show the peer band' },
	peersFor: { zh: '基准机关', en: 'Benchmark for' },
	peerBand: { zh: '同类机关 P25–P75', en: 'Peers P25–P75' },
	peerMedian: { zh: '同类机关中位数', en: 'Peer median' },
	peerGroupCL: { zh: '同类机关：{category}·{level}级，共 {n} 个', en: 'Peers: {category} bodies at {level} level, {n} in all' },
	peerGroupL: { zh: '同类机关：{level}级机关，共 {n} 个', en: 'Peers: bodies at {level} level, {n} in all' },
	peerFallback: {
		zh: '同类别同层级（{category}·{level}级）只有 {n} 个机关，少于 {min} 个，改按同层级比较。',
		en: 'Only {n} {category} bodies at {level} level (fewer than {min}): compared with every body at that level instead.'
	},
	peerTooSmall: {
		zh: '同层级（{level}级）只有 {n} 个机关，少于 {min} 个，分位数没有意义，不画基准带。',
		en: 'Only {n} bodies at {level} level (fewer than {min}): percentiles would mean nothing, so no band is drawn.'
	},
	peerYearsSmall: {
		zh: '以下年份有数值的同类机关少于 {min} 个，不画基准带：{years}。',
		en: 'Years with fewer than {min} peers reporting the figure have no band: {years}.'
	},
	peerHow: {
		zh: '基准带为各同类机关当年数值的第 25 至第 75 百分位（含所选机关本身），虚线为中位数。“同类”先按同类别且同层级，不足 {min} 个时按同层级。',
		en: 'The band spans the 25th to 75th percentile of the values in the peers’ reports that year (the chosen agency included); the dashed line is the median. Peers are bodies of the same category and level, or of the same level when fewer than {min}.'
	},
	peerN: { zh: '同类机关数（有数值）', en: 'Peers with a value' },
	peerRow: { zh: '同类机关 {q}', en: 'Peers {q}' },
	p25: { zh: 'P25', en: 'P25' },
	p50: { zh: '中位数', en: 'Median' },
	p75: { zh: 'P75', en: 'P75' },
	// bump
	bumpNote: {
		zh: '每年按数值从高到低排名（并列同名次），只在所选机关之间比较；没有数值的年份断开。',
		en: 'Ranks each year from highest to lowest (ties share a rank), among the chosen agencies only; years without a value leave a gap.'
	},
	bumpTooFew: { zh: '排名变化图至少需要 2 个机关。', en: 'The rank chart needs at least 2 agencies.' },
	// template changes
	templateChange: { zh: '表格格式变化', en: 'Template change' },
	templateChangeNote: {
		zh: '┆ 竖虚线：此后的报告改用 {to} 年格式表格（{doc}），前后口径不完全相同。',
		en: '┆ Dashed rule: from here reports use the {to} template ({doc}); figures are not fully comparable across it.'
	},
	templateChangeMixed: { zh: '（{year} 年：{a} 份 2019 格式、{b} 份 2021 格式）', en: '({year}: {a} in the 2019 template, {b} in the 2021 one)' },
	definitionChange: {
		zh: '指标口径：“{metric}”只在 {templates} 格式的表格中有，{other} 格式的年份为“不适用”。',
		en: 'Definition: “{metric}” exists only in the {templates} template; years in the {other} template show n/a.'
	},
	// data source
	aboutTitle: { zh: '关于数据', en: 'About the data' },
	aboutText: {
		zh: '内置数据来自项目语料库 ../shared/corpus：reports/ 中各级机关公开发布的原始年报文件（网页、PDF 等，由本项目的解析器读取），以及 records/ 中的人工核对记录——平潭综合实验区（福建省）12 个部门与片区 2019–2025 年的年度报告，依据存档的政府网页逐表转录，并以表格自身的勾稽关系核对。每个数字都按报告原样保存；报告自身不满足勾稽关系之处照实标出，不作修正。',
		en: 'The bundled data comes from the project corpus ../shared/corpus: original reports published by government bodies (web pages, PDFs …) in reports/, read by this project’s parser, and hand-checked records in records/: the 2019–2025 annual reports of twelve departments and districts of Pingtan Comprehensive Experimental Zone (Fujian), transcribed table by table from archived government pages and checked against the tables’ own arithmetic. Every number is kept as the report prints it; where a report breaks its own consistency rules this is shown, never corrected.'
	},
	aboutKinds: {
		zh: '其中 {document} 份来自原始年报文件，{record} 份来自人工核对记录。',
		en: '{document} from original report files, {record} from hand-checked records.'
	},
	aboutVersion: { zh: '数据版本 {version}，构建于 {built}', en: 'Data version {version}, built {built}' },
	aboutCounts: {
		zh: '共读取 {files} 个文件：{reports} 份报告（{clean} 份勾稽一致，{broken} 份有勾稽不符），{agencies} 个机关；{failed} 个文件未能读取。',
		en: '{files} files read: {reports} reports ({clean} consistent, {broken} with broken rules) of {agencies} agencies; {failed} files could not be read.'
	},
	aboutUploads: {
		zh: '以上含本次会话导入的 {files} 个文件（新增 {reports} 份报告、{agencies} 个机关，只在本页面中）。',
		en: 'This includes {files} files uploaded in this session ({reports} new reports, {agencies} new agencies; in this page only).'
	},
	aboutFailed: { zh: '未能读取的文件', en: 'Files that could not be read' },
	aboutSources: { zh: '全部来源文件', en: 'All source files' },
	// Strings of the overview trends and researchers’ filters (new entries go just below this line).
	researchPerAgency: {
		zh: '件数与金额的折线改为每机关平均（合计 ÷ 报送机关数）',
		en: 'Lines of counts and amounts as the average per agency (total ÷ agencies reporting)'
	},
	researchPerAgencyOn: { zh: '折线为每机关平均', en: 'lines averaged per agency' },
	perAgencyTitle: { zh: '{title}（每机关平均）', en: '{title} (average per agency)' },
	perAgencyCol: { zh: '{metric}（每机关平均）', en: '{metric} (average per agency)' },
	perAgencyTip: { zh: '合计 {total} ÷ {n} 个报送机关', en: 'total {total} ÷ {n} agencies reporting' },
	perAgencyNote: {
		zh: '每机关平均：当年合计 ÷ 报送该项的机关数 n（每个机关每年一份报告；n 见提示与表格），大小机关混在一起时看得出一般水平。',
		en: 'Average per agency: the year’s total ÷ n, the agencies that reported it (one report per agency and year; n in the tooltip and the table).'
	},
	flagShiftExport: {
		zh: '该年合计中报告自身不符的部分使数值变动 ≥ {pct}',
		en: 'reports that break their own arithmetic move that year’s value by ≥ {pct}'
	},
	peerScope: {
		zh: '只比较「{scope}」口径的报告（总览的合计口径），本级与汇总不混在一起。',
		en: 'Only reports of scope “{scope}” are compared (the overview’s sum scope): own and aggregate reports are never mixed.'
	},
	trendsTitle: { zh: '许可、处罚、强制、收费与规范性文件', en: 'Licensing, penalties, coercion, fees and normative documents' },
	researchTitle: { zh: '研究者选项', en: 'Research options' },
	researchSkipFlagged: {
		zh: '不计报告自身不符（或表格未能读取）的报告',
		en: 'Leave out reports that break their own arithmetic (or whose tables could not be read)'
	},
	researchSkipUncertain: { zh: '不计解析存疑的报告', en: 'Leave out reports whose reading is in doubt' },
	researchMinN: { zh: '比率只计 n 不少于（件）', en: 'Rates: only reports with n of at least' },
	researchLog: { zh: '件数与金额的折线图用对数纵轴', en: 'Log scale for line charts of counts and amounts' },
	researchSkippedFlagged: { zh: '不计自身不符的报告', en: 'reports breaking their own arithmetic left out' },
	researchSkippedUncertain: { zh: '不计解析存疑的报告', en: 'reports in doubt left out' },
	researchMinNOn: { zh: '比率只计 n ≥ {n} 的报告', en: 'rates only from reports with n ≥ {n}' },
	flagShiftTip: {
		zh: '其中 {n} 份报告自身不符；不计它们为 {without}（差 {shift}）',
		en: '{n} of them break their own arithmetic; without them {without} ({shift})'
	},
	flagShiftAll: { zh: '其中 {n} 份报告自身不符，且全部数值来自它们', en: '{n} of them break their own arithmetic, and the whole value rests on them' },
	flagShiftCol: { zh: '{metric}：自身不符报告的影响', en: '{metric}: effect of reports breaking their arithmetic' },
	flagShiftLegend: {
		zh: '▲ 该年合计中报告自身不符的部分使数值变动 ≥ {pct}（变动多少见提示与表格）',
		en: '▲ reports that break their own arithmetic move that year’s value by ≥ {pct} (by how much: tooltip and table)'
	},
	researchSkippedCell: { zh: '已排除', en: 'left out' },
	exportMixLegend: { zh: '灰底：两种表格格式并存的年份（见图下注释）', en: 'grey band: years whose reports use both templates (see the notes below)' },
	templateMixLabel: { zh: '格式混合', en: 'mixed' },
	templateMixTip: { zh: '这一年的报告两种表格格式并存，口径不完全相同', en: 'Reports of this year use both table templates; figures are not fully comparable' },
	templateMixYear: { zh: '{year} 年 2019 格式 {a} 份、2021 格式 {b} 份', en: '{year}: {a} in the 2019 template, {b} in the 2021 one' },
	templateMixNote: {
		zh: '灰底：这些年份的报告两种表格格式并存（{list}），前后口径不完全相同。',
		en: 'Grey band: reports of these years use both table templates ({list}); figures are not fully comparable.'
	},
	trendReportsCol: { zh: '有“{metric}”的报告', en: 'Reports with “{metric}”' },

	// Strings of the agency benchmark and one-page brief (new entries go just below this line).
	briefLink: { zh: '打印简报（{year} 年，一页 A4）', en: 'Print brief ({year}, one A4 page)' },
	briefKicker: { zh: '政府信息公开工作年度报告 · 简报', en: 'Information-disclosure annual report · brief' },
	briefYear: { zh: '{year} 年度', en: 'Year {year}' },
	briefKey: { zh: '主要指标：与上年、与同类机关比较', en: 'Key figures against last year and against peers' },
	briefOutcomes: { zh: '依申请公开办理结果构成', en: 'How requests were answered' },
	briefCases: { zh: '行政复议与行政诉讼', en: 'Reconsideration and litigation' },
	briefChecks: { zh: '核查结果', en: 'Checks' },
	briefBroken: {
		zh: '报告自身不符 {n} 处（在确定的读数下，报告的数字彼此对不上）',
		en: '{n} broken in the report itself (figures read with certainty do not add up)'
	},
	briefDoubt: {
		zh: '解析存疑 {n} 处（我们对读数没有把握，不算报告的错）',
		en: '{n} readings in doubt (our reading is uncertain; not the report’s fault)'
	},
	briefOther: { zh: '其他提示 {n} 条', en: '{n} other notes' },
	briefNoChecks: { zh: '本年报告通过全部勾稽核查，没有存疑的读数。', en: 'The report passes every consistency check; no reading is in doubt.' },
	briefMore: { zh: '另有 {n} 条，见机关页。', en: '{n} more on the agency page.' },
	briefSharesOff: {
		zh: '各项结果之和（{sum}）与办理总计（{total}）不符，不计算占比。',
		en: 'The outcomes add up to {sum}, not to the {total} handled: no shares are computed.'
	},
	briefNoProcessed: { zh: '没有办理的申请。', en: 'No requests handled.' },
	briefCorrection: { zh: '纠错率', en: 'Correction rate' },
	briefLastTotal: { zh: '上年总计', en: 'Last year' },
	briefDataset: { zh: '数据版本 {v}（构建于 {built}）', en: 'Dataset {v} (built {built})' },
	briefGenerated: { zh: '本页生成于 {date}', en: 'Page made {date}' },
	briefThisPage: { zh: '本页链接', en: 'This page' },
	briefPrint: { zh: '打印 / 另存为 PDF', en: 'Print / save as PDF' },
	briefBack: { zh: '返回机关页', en: 'Back to the agency' },
	briefChoose: {
		zh: '简报需要一个机关：请在机关页选择机关，再点「打印简报」。',
		en: 'A brief is of one agency: choose one on the agency page, then “Print brief”.'
	},
	briefNoYear: { zh: '该机关没有 {want} 年的报告，这里是 {year} 年的。', en: 'This agency has no {want} report; this is its {year} one.' },
	briefYearLabel: { zh: '年度', en: 'Year' },
	briefNoReport: { zh: '该机关在数据中没有报告。', en: 'This agency has no report in the dataset.' },
	benchTitle: { zh: '与同类机关比较（{year} 年）', en: 'Against peers ({year})' },
	benchThis: { zh: '本机关', en: 'This body' },
	benchRange: { zh: 'P25–P75', en: 'P25–P75' },
	benchWhere: { zh: '位置', en: 'Where' },
	benchN: { zh: 'n', en: 'n' },
	benchNWhy: { zh: '当年有此指标的同类报告数（含本机关）', en: 'Peer reports of that year with the figure (this body included)' },
	benchRank: { zh: '排名', en: 'Rank' },
	benchMove: { zh: '较上年', en: 'Since last year' },
	benchRankMove: { zh: '排名较上年', en: 'Rank change' },
	benchScope: {
		zh: '本机关 {year} 年报告的口径为「{scope}」，只与同类机关同为「{scope}」口径的 {year} 年报告比较（本级与本级、汇总与汇总）。',
		en: 'This body’s {year} report has scope “{scope}”: it is compared only with the peers’ {year} reports of the same scope (own with own, aggregate with aggregate).'
	},
	benchHow: {
		zh: '中位数与 P25–P75 为这些报告的数值（含本机关）；有数值的少于 {min} 份时不计算分位数和排名。排名按数值从高到低（第 1 名数值最大），并列同名次，不代表好坏；▲/▼ 表示名次比上年前移/后移几位。勾稽不符的报告也计入（标 ⚠ 的年份）。',
		en: 'Median and P25–P75 are over those reports (this body included); with fewer than {min} reporting the figure there are no quantiles and no rank. Ranks run from the highest value (1) down, ties share a place, and say nothing of good or bad; ▲/▼: places moved up/down since the year before. Reports that break their own arithmetic are included (years marked ⚠).'
	},
	benchFew: { zh: '同类不足 {min} 份', en: 'fewer than {min} peers' },
	benchOf: { zh: '{rank} / {n}', en: '{rank} of {n}' },
	benchUp: { zh: '比上年（第 {prev} 名）前移 {n} 位', en: 'Up {n} from {prev} the year before' },
	benchDown: { zh: '比上年（第 {prev} 名）后移 {n} 位', en: 'Down {n} from {prev} the year before' },
	benchSame: { zh: '与上年名次相同（第 {prev} 名）', en: 'Same place as the year before ({prev})' },
	benchNoPrevReport: { zh: '上年没有报告', en: 'No report the year before' },
	benchNoPrevRank: { zh: '上年无排名（无数值或同类不足）', en: 'No rank the year before (no value, or too few peers)' },
	benchScopeChanged: { zh: '上年报告口径不同，名次不可比', en: 'The year before’s report has another scope: ranks are not comparable' },
	benchNoRank: { zh: '本年无排名', en: 'No rank this year' },
	benchDot: { zh: '● 本机关　▮ P25–P75　| 中位数', en: '● this body　▮ P25–P75　| median' },

	// Strings of the table builder (new entries go just below this line).
	pickerFull: { zh: '最多选 {max} 个机关：另有 {n} 个未加入。', en: 'At most {max} agencies can be chosen: {n} more were left out.' },
	pickerFullBuilder: {
		zh: '要整个类别或地区的全部机关，请清空所选机关，改用上方筛选：不选机关时，表格包括筛选所选的全部机关。',
		en: 'For a whole category or region, clear the chosen agencies and use the filters above: with no agency chosen, the table holds every agency they select.'
	},
	tab_builder: { zh: '表格', en: 'Builder' },
	tableTitle: { zh: '表格生成器', en: 'Table builder' },
	tableIntro: {
		zh: '选指标（任意多个）、机关（逐个挑选，或用上方筛选条件选整个类别、层级或地区）和年份，得到一张表：可按任一列排序，每列有合计，可下载 CSV 和 Parquet；所有选择都在链接里。',
		en: 'Pick metrics (any number), agencies (one by one, or a whole category, level or region with the filters above) and years, and get one table: sort by any column, a total under every column, CSV and Parquet downloads; every choice is in the link.'
	},
	tableMetrics: { zh: '选择指标', en: 'Choose metrics' },
	tableMetricsChosen: { zh: '已选 {n} 个指标（列按指标目录的顺序排列）', en: '{n} metrics chosen (columns in catalog order)' },
	tableGroupAll: { zh: '全选本组', en: 'Whole group' },
	tableGroupNone: { zh: '清除本组', en: 'Clear group' },
	tableKeepOne: { zh: '至少保留一个指标。', en: 'Keep at least one metric.' },
	tableLinkTooLong: {
		zh: '选了这些，链接会超过 {max} 个字符（有些浏览器和服务器打不开），所以没有加上。请改选整组指标，或少选几个机关。',
		en: 'With this the link would be over {max} characters (some browsers and servers cannot open it), so it was not added. Choose whole groups, or fewer agencies.'
	},
	tableRowsFilters: { zh: '行：符合筛选条件的全部机关，{r} 份报告。', en: 'Rows: every agency the filters select; {r} reports.' },
	tableRowsPicked: {
		zh: '行：已选的 {n} 个机关中符合筛选条件的，{r} 份报告（年份、地区、层级、类别、名称筛选同样适用）。',
		en: 'Rows: the {n} chosen agencies, within the filters (years, region, level, category, name); {r} reports.'
	},
	tableLayout: { zh: '排列', en: 'Layout' },
	tableLayoutRows: { zh: '每行一份报告（机关 × 年份）', en: 'A row per report (agency × year)' },
	tableLayoutPivot: { zh: '每行一个机关（列：指标 × 年份）', en: 'A row per agency (columns: metric × year)' },
	tableTotal: { zh: '合计', en: 'Total' },
	tableStatus: { zh: '勾稽状态', en: 'Checks' },
	tableCsv: { zh: '下载 CSV', en: 'Download CSV' },
	tableCsvTitle: { zh: 'UTF-8 带 BOM，Excel 可直接打开；含合计行', en: 'UTF-8 with BOM, opens in Excel; includes the totals row' },
	tableParquet: { zh: '下载 Parquet', en: 'Download Parquet' },
	tableParquetTitle: { zh: '只含各报告的行（不含合计行），不适用为空值', en: 'The reports’ rows only (no totals row); n/a is null' },
	tableShownFirst: { zh: '页面只显示前 {n} 行；下载包含全部 {total} 行。', en: 'The page shows the first {n} rows; downloads hold all {total}.' },
	tableEmpty: { zh: '所选范围内没有报告。请放宽筛选条件或改选机关。', en: 'No reports in this selection. Widen the filters or choose other agencies.' },
	tableNotCounted: { zh: '{scope}报告：不计入合计', en: '{scope} report: not in the totals' },
	tableTotalTitle: { zh: '{n} 份报告', en: '{n} reports' },
	tableTemplateOnly: { zh: '仅 {t} 格式', en: '{t} template only' },
	tableResult: { zh: '生成的表格', en: 'The table' },
	tableTotalYears: {
		zh: '合计行把所列各年相加（现行有效件数、结转等存量也一样）；每年的合计见“每行一个机关”排列。',
		en: 'The totals row adds up every year shown (stocks such as documents in force or carried-over requests too); per-year totals are in the row-per-agency layout.'
	},
	tableLegend: {
		zh: '⚠：这份报告自身勾稽不符或有未能读取的表格，数字按报告原样列出。灰底：另一统计范围的报告，不计入合计。“不适用”：报告所用格式的表格没有此项；“—”：有此项但没有数字（或比率的分母为 0、各部分之和与总计不符）；“无报告”：该机关当年没有报告。',
		en: '⚠: the report breaks its own arithmetic or has tables that could not be read; its numbers are shown as printed. Grey: a report of the other scope, not in the totals. “n/a”: the report’s template has no such figure; “—”: it has the figure but no number (or a rate’s denominator is 0, or its parts do not add up to the total); “no report”: none that year.'
	},

	// Strings of the source links, dataset download and data dictionary (new entries go just below this line).
	originLabel: { zh: '原始报告', en: 'Original report' },
	originLink: { zh: '原文', en: 'Original' },
	originOpen: { zh: '打开 {year} 年报告的发布网页（新窗口）', en: 'Open the page the {year} report was published on (new window)' },
	originNoUrl: { zh: '未记录发布网址', en: 'No published address recorded' },
	originFetched: { zh: '抓取于 {date}', en: 'fetched {date}' },
	originNote: { zh: '来源说明', en: 'Source note' },
	originHash: { zh: '来源文件 SHA-256', en: 'Source file SHA-256' },
	downloadsTitle: { zh: '下载数据集', en: 'Download the dataset' },
	downloadsNote: {
		zh: 'Parquet 文件就是看板读取的文件；CSV 压缩包中每个表格一个 CSV 文件（UTF-8 带 BOM，可用 Excel 打开；空字段表示无值），行与 Parquet 文件相同，按报告编号排序（Parquet 文件可分为若干块，每块各自按此排序）。数据版本 {version}。',
		en: 'The Parquet files are the files the dashboard reads; the CSV zip holds one CSV per table (UTF-8 with BOM, opens in Excel; an empty field means no value), the same rows as the Parquet files, in report id order (the Parquet files may come in parts, each in that order). Data version {version}.'
	},
	downloadsNoZip: { zh: '这一版本的数据集没有 CSV 压缩包（生成时未能写出）。', en: 'This version of the dataset has no CSV zip (it could not be written).' },
	downloadCsvZip: { zh: '全部表格（CSV，zip）', en: 'All tables (CSV, zip)' },
	downloadParquet: { zh: '{table}（Parquet）', en: '{table} (Parquet)' },
	aboutDictionary: { zh: '数据字典：每个表格、字段与指标的含义和公式', en: 'Data dictionary: every table, column and metric, with meanings and formulas' },
	dictTitle: { zh: '数据字典', en: 'Data dictionary' },
	dictIntro: {
		zh: '数据集中的每个表格和字段，以及指标目录中每个指标的计算公式和所在的表格格式。本页由字段定义（src/lib/dataset/columns.ts）和指标目录（src/lib/catalog/metrics.ts）生成，与数据使用同一份定义。',
		en: 'Every table and column of the dataset, and every metric of the catalog with its formula and the templates it exists in. Generated from the column definitions (src/lib/dataset/columns.ts) and the metric catalog (src/lib/catalog/metrics.ts), the same definitions the data is built with.'
	},
	dictTables: { zh: '表格', en: 'Tables' },
	dictRows: { zh: '本版本 {n} 行', en: '{n} rows in this version' },
	dictColumn: { zh: '字段', en: 'Column' },
	dictType: { zh: '类型', en: 'Type' },
	dictNullable: { zh: '可为空', en: 'Nullable' },
	dictMeaning: { zh: '含义', en: 'Meaning' },
	dictYes: { zh: '是', en: 'yes' },
	dictMetricColumn: { zh: '指标：{label}（{unit}），见指标目录', en: 'Metric: {label} ({unit}); see the catalog' },
	dictMetrics: { zh: '指标目录', en: 'Metric catalog' },
	dictMetricsIntro: {
		zh: '比率在数据中是 0–1 之间的小数；跨报告汇总时按分子之和 ÷ 分母之和计算。报告所用表格格式没有的指标为“不适用”，不是 0。',
		en: 'A rate is stored as a fraction 0–1; across reports it is Σ numerator ÷ Σ denominator. A metric the report’s template lacks is “n/a”, never 0.'
	},
	dictMetricId: { zh: '编号', en: 'Id' },
	dictMetricName: { zh: '名称', en: 'Name' },
	dictUnit: { zh: '单位', en: 'Unit' },
	dictFormula: { zh: '公式', en: 'Formula' },
	dictTemplates: { zh: '所在表格格式', en: 'Templates' },
	dictRateOf: { zh: '（{num}）÷ {den}', en: '({num}) ÷ {den}' },
	dictUnitRate: { zh: '比率（0–1）', en: 'rate (0–1)' },

	// Strings of the shared links: speed, shares, exports, mobile (new entries go just below this line).
	directoryLoading: { zh: '正在读取机关名录…', en: 'Reading the list of agencies…' },
	answersCapped: {
		zh: '本数据集有 {agencies} 个机关，随网站预存的图表答案只覆盖报告最多的 {stored} 个：此链接的机关等数据引擎就绪后绘制。',
		en: 'This dataset has {agencies} agencies; the answers stored with the site cover the {stored} with the most reports, so this link’s agency is drawn once the data engine is ready.'
	},
	directoryFailed: {
		zh: '机关名录读取失败（{error}）：无法按名称查找机关，链接中的机关以编号显示。',
		en: 'The list of agencies could not be read ({error}): agencies cannot be searched by name, and linked ones show by id.'
	},
	exportFlagLegend: { zh: '含表格不满足勾稽关系的报告', en: 'includes a report whose tables break a consistency rule' },
	exportRuleLegend: { zh: '表格格式改变处（见图下注释）', en: 'table template changes (see the notes below)' },
	smallNLegend: {
		zh: '浅色：不足 {n} 件（n 为比例所依据的件数），比例不稳定，仅供参考',
		en: 'Pale: fewer than {n} (n, the count the share rests on): an unsteady share, for reference only'
	},
	scaleLabel: { zh: '纵轴', en: 'Scale' },
	scaleLinear: { zh: '线性', en: 'linear' },
	scaleLog: { zh: '对数', en: 'log' },
	logNote: {
		zh: '对数纵轴：每格是前一格的倍数（0、1、2、5、10、20、50…），数值相差悬殊的机关都看得清；比较差距请看右侧表格。',
		en: 'Log scale: each step multiplies (0, 1, 2, 5, 10, 20, 50 …), so bodies of very different size stay readable; the table beside gives the gaps.'
	},
	logOnlyLines: { zh: '（对数纵轴只用于折线图）', en: '(the log scale applies to the line chart only)' },
	reportStatusCol: { zh: '报告状态', en: 'Report status' },
	tableScrolls: { zh: '表格较宽，左右滑动可看其余年份 →', en: 'Wide table: scroll sideways for the other years →' },
	stampCompare: { zh: '{n} 个机关：{names}', en: '{n} agencies: {names}' },
	stampYear: { zh: '年份 {y}', en: 'year {y}' },
	stampYears: { zh: '年份 {from}–{to}', en: 'years {from}–{to}' },

	// Strings of the dashboard at national scale (new entries go just below this line).
	downloadParquetPart: { zh: '{table}（Parquet，第 {part}/{parts} 块）', en: '{table} (Parquet, part {part} of {parts})' },
	pickerLimited: {
		zh: '共 {total} 个机关，只列出按名称排序的前 {n} 个；输入名称中的字词可缩小范围。',
		en: '{total} agencies: only the first {n} by name are listed; type part of a name to narrow them.'
	},

	aboutEngine: {
		zh: '查询在浏览器中由 DuckDB-WASM 完成，无需服务器，断网亦可使用。',
		en: 'Queries run in the browser with DuckDB-WASM: no server, works offline.'
	}
} as const satisfies Record<string, Record<Lang, string>>;

export type StringKey = keyof typeof STRINGS;

export function t(lang: Lang, key: StringKey, params: Record<string, string | number> = {}): string {
	return STRINGS[key][lang].replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

export function metricLabel(m: Metric, lang: Lang): string {
	return lang === 'zh' ? m.zh : m.en;
}

/** Whether an issue code has a label of its own in both languages. */
export function hasIssueLabel(code: string): boolean {
	return Object.hasOwn(STRINGS, `issue_${code}`);
}

/** An issue code's label; a code without one (a dataset built by a newer parser) shows as the code itself. */
export function issueLabel(code: string, lang: Lang): string {
	return hasIssueLabel(code) ? t(lang, `issue_${code}` as StringKey) : code;
}

export function noticeText(n: Notice, lang: Lang, max: number): string {
	return t(lang, `notice_${n.code}` as `notice_${NoticeCode}`, { param: n.param, value: n.value, max });
}

export function errorText(code: LoadErrorCode, file: string | null, lang: Lang): string {
	return t(lang, `error_${code}` as `error_${LoadErrorCode}`, { file: file ?? '' });
}
