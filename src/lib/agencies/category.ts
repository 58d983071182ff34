/**
 * Agency category by name: one rule table, first match wins. The remainder of
 * the name after its region (平潭综合实验区|农业农村局 → 农业农村局) is matched,
 * so a place name cannot masquerade as a department.
 */
export const CATEGORY_RULES: readonly [category: string, pattern: RegExp][] = [
	['公安', /公安/],
	[
		'人民政府',
		/^(人民政府|政府|综合实验区|新区|开发区)?$|^[\u4e00-\u9fff]{0,6}(片区管理局|片区管委会|管委会|管理委员会|街道办事处|镇人民政府|乡人民政府|镇政府|乡政府)$/
	],
	['办公室/办公厅', /办公厅$|政府办公室$|管委会办公室$|^办公室$|人民政府办$/],
	['发展改革', /发展和改革|发展改革|发改/],
	['教育', /教育/],
	['自然资源', /自然资源|国土资源|规划和自然/],
	['生态环境', /生态环境|环境保护|环保/],
	['住建', /住房和城乡建设|住房城乡建设|住建|城乡建设/],
	['交通', /交通运输|交通/],
	['卫健', /卫生健康|卫健|卫生和计划生育/],
	['市场监管', /市场监督管理|市场监管/],
	['税务', /税务/],
	['财政', /财政/],
	['人社', /人力资源和社会保障|人力资源社会保障|人社/],
	['民政', /民政局|民政厅|^民政/],
	['司法', /司法/],
	['农业农村', /农业农村|农业|农村/],
	['水利', /水利|水务/],
	['应急管理', /应急管理|安全生产/],
	['科技', /科学技术|科技|科委/],
	['文旅', /文化|旅游|广电|体育/],
	['商务', /商务/],
	['统计', /统计/],
	['经济发展', /经济发展|工业和信息化|工信|经信/],
	['综合执法', /综合执法|城市管理|城管/],
	['社会事业', /社会事业/]
];

export const CATEGORIES: readonly string[] = [...new Set([...CATEGORY_RULES.map(([c]) => c), '其他'])];

export function categorize(remainder: string): string {
	for (const [category, re] of CATEGORY_RULES) if (re.test(remainder)) return category;
	return '其他';
}

/** Administrative level of the body: from its region, and 乡 for towns, streets and 片区. */
export function levelOf(region: { provinceCode?: string; cityCode?: string; countyCode?: string; remainder: string }): string {
	// A town, street or district office itself — not a bureau whose name merely contains 乡 (城乡建设局).
	if (/^[\u4e00-\u9fff]{1,8}?(镇|乡|街道|片区)(人民政府|政府|办事处|管理局|管委会|管理委员会)?$/.test(region.remainder)) return '乡';
	if (region.countyCode) return '县';
	if (region.cityCode && region.provinceCode && !['11', '12', '31', '50'].includes(region.provinceCode)) return '市';
	if (region.provinceCode) return '省';
	return '未知';
}
