package tech

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// topic is a subject of the synthetic catalogue: a technology with the
// words an achievement on it and a need for it are written with. Needs say
// the problem in the enterprise's words, achievements the solution in the
// lab's, and they share only some of them, as real ones do.
type topic struct {
	field    Field
	industry string   // a GB/T 4754 class of enterprises that want it
	subject  string   // 磷酸铁锂正极材料
	methods  []string // what a lab does about it
	effects  []string // what comes out
	problems []string // how an enterprise says what is wrong
	keywords []string
}

var topics = []topic{
	{FieldEnergy, "C3841", "磷酸铁锂正极材料", []string{"高压实制备", "碳包覆改性", "低成本合成"}, []string{"压实密度提高", "循环寿命延长", "能量密度提升"}, []string{"电芯能量密度偏低", "正极压实密度不足", "循环衰减快"}, []string{"磷酸铁锂", "正极材料", "锂离子电池"}},
	{FieldEnergy, "C3841", "锂离子电池极片", []string{"挤压涂布", "激光模切", "辊压控制"}, []string{"面密度一致性提高", "毛刺减少", "良率提升"}, []string{"极片涂布不均匀", "极片毛刺导致短路", "良率偏低"}, []string{"极片", "涂布", "锂电池"}},
	{FieldEnergy, "D4416", "光伏组件", []string{"异质结电池工艺", "智能清洗机器人", "热斑检测"}, []string{"转换效率提升", "发电量增加", "运维成本降低"}, []string{"光伏电站发电量下降", "组件积灰严重", "热斑故障多"}, []string{"光伏", "组件", "发电效率"}},
	{FieldEnergy, "C3824", "工业储能系统", []string{"电池管理系统", "热管理设计", "能量调度算法"}, []string{"峰谷套利收益提高", "电池寿命延长", "安全性提升"}, []string{"峰谷电价差大想配储能", "储能柜温升过高", "电池一致性差"}, []string{"储能", "电池管理系统", "热管理"}},
	{FieldEnergy, "C3441", "工业锅炉", []string{"烟气余热回收", "低氮燃烧改造", "燃烧优化控制"}, []string{"燃气消耗降低", "氮氧化物达标", "热效率提高"}, []string{"锅炉排烟温度高", "燃气费用高", "氮氧化物排放超标"}, []string{"锅炉", "余热回收", "节能"}},
	{FieldMaterials, "C2929", "注塑成型", []string{"模流分析", "随形冷却模具", "工艺参数优化"}, []string{"缩痕翘曲减少", "成型周期缩短", "废品率降低"}, []string{"注塑件缩痕翘曲", "成型周期长", "废品率高"}, []string{"注塑", "模流分析", "模具"}},
	{FieldMaterials, "C3360", "金属表面处理", []string{"无铬钝化", "微弧氧化", "耐磨涂层"}, []string{"耐腐蚀性提高", "环保达标", "硬度提升"}, []string{"零件生锈腐蚀", "镀铬工艺环保压力大", "表面磨损快"}, []string{"表面处理", "涂层", "防腐"}},
	{FieldMaterials, "C2662", "电子化学品", []string{"高纯试剂提纯", "光刻胶配方", "电镀添加剂"}, []string{"纯度达到电子级", "分辨率提高", "替代进口"}, []string{"高纯试剂依赖进口", "光刻胶供应受限", "镀层不均匀"}, []string{"电子化学品", "光刻胶", "高纯"}},
	{FieldMaterials, "C3399", "铝合金压铸", []string{"高真空压铸", "半固态成形", "局部挤压"}, []string{"气孔率降低", "强度提高", "可热处理"}, []string{"压铸件气孔多", "气密性不合格", "强度不够"}, []string{"铝合金", "压铸", "气孔"}},
	{FieldMaterials, "C2929", "可降解塑料", []string{"聚乳酸改性", "淀粉基共混", "吹膜工艺"}, []string{"韧性提高", "成本降低", "完全生物降解"}, []string{"限塑令下需要可降解包装", "聚乳酸太脆", "可降解材料成本高"}, []string{"可降解", "聚乳酸", "包装"}},
	{FieldManufacturing, "C3484", "旋转机械", []string{"振动监测", "故障预测", "健康管理"}, []string{"提前预警故障", "非计划停机减少", "维护成本降低"}, []string{"设备突发故障停产", "轴承损坏频繁", "靠人工巡检"}, []string{"故障预测", "振动分析", "预测性维护"}},
	{FieldManufacturing, "C3491", "工业机器人", []string{"视觉引导抓取", "离线编程", "力控打磨"}, []string{"换型时间缩短", "替代人工", "精度提高"}, []string{"打磨工序招工难", "上下料靠人工", "示教编程耗时"}, []string{"工业机器人", "机器视觉", "自动化"}},
	{FieldManufacturing, "C3421", "数控机床", []string{"热误差补偿", "五轴联动插补", "刀具磨损监测"}, []string{"加工精度提高", "刀具寿命延长", "效率提升"}, []string{"机床加工精度漂移", "刀具损耗大", "复杂曲面加工难"}, []string{"数控机床", "精密加工", "误差补偿"}},
	{FieldManufacturing, "G5960", "仓储物流", []string{"多AGV调度", "货位优化", "自动分拣"}, []string{"拥堵减少", "拣选效率提高", "人力节省"}, []string{"仓库AGV拥堵", "拣货效率低", "分拣靠人工"}, []string{"AGV", "调度", "仓储"}},
	{FieldManufacturing, "C3670", "汽车零部件", []string{"轻量化设计", "激光焊接", "在线检测"}, []string{"减重", "焊接强度提高", "缺陷漏检减少"}, []string{"零部件重量超标", "焊缝质量不稳定", "检测靠抽检"}, []string{"汽车零部件", "轻量化", "焊接"}},
	{FieldElectronics, "C3982", "PCB焊点", []string{"机器视觉检测", "深度学习分类", "三维锡膏检测"}, []string{"漏检率降低", "检测速度提高", "替代目检"}, []string{"焊点虚焊连锡靠目检", "漏检多", "检测效率低"}, []string{"机器视觉", "缺陷检测", "焊点"}},
	{FieldElectronics, "I6513", "合同文本", []string{"大模型审查", "风险条款识别", "智能比对"}, []string{"审查效率提高", "风险遗漏减少", "人工节省"}, []string{"合同审查靠人工", "风险条款遗漏", "合同量大"}, []string{"自然语言处理", "大模型", "合同审查"}},
	{FieldElectronics, "I6531", "工业互联网平台", []string{"设备数据采集", "边缘计算网关", "数字孪生"}, []string{"设备联网率提高", "数据实时可视", "决策效率提高"}, []string{"设备数据孤岛", "生产过程不透明", "协议不统一"}, []string{"工业互联网", "数据采集", "数字孪生"}},
	{FieldElectronics, "C3973", "功率半导体", []string{"碳化硅器件", "先进封装", "可靠性测试"}, []string{"损耗降低", "耐温提高", "寿命延长"}, []string{"器件发热严重", "封装可靠性不足", "依赖进口器件"}, []string{"碳化硅", "功率半导体", "封装"}},
	{FieldElectronics, "I6520", "数据安全", []string{"隐私计算", "数据脱敏", "访问审计"}, []string{"数据可用不可见", "泄露风险降低", "合规达标"}, []string{"客户数据泄露风险", "数据共享不合规", "缺少审计"}, []string{"数据安全", "隐私计算", "脱敏"}},
	{FieldBiomedicine, "C2761", "单克隆抗体", []string{"高表达细胞株构建", "无血清培养工艺", "亲和层析纯化"}, []string{"表达量提高", "成本降低", "纯度提高"}, []string{"抗体表达量低", "培养基成本高", "纯化收率低"}, []string{"单克隆抗体", "细胞株", "培养工艺"}},
	{FieldBiomedicine, "C2710", "原料药", []string{"连续流合成", "晶型控制", "绿色催化"}, []string{"收率提高", "杂质减少", "三废减少"}, []string{"原料药收率低", "杂质超标", "环保压力大"}, []string{"原料药", "连续流", "合成工艺"}},
	{FieldBiomedicine, "C3581", "医疗器械", []string{"体外诊断试剂", "微流控芯片", "医学影像算法"}, []string{"检测时间缩短", "灵敏度提高", "成本降低"}, []string{"检测周期长", "灵敏度不够", "依赖进口试剂"}, []string{"体外诊断", "微流控", "医疗器械"}},
	{FieldBiomedicine, "C1371", "果蔬保鲜", []string{"可食性涂膜", "气调包装", "冷链温控"}, []string{"货架期延长", "褐变减少", "损耗降低"}, []string{"鲜切果蔬褐变", "运输损耗大", "货架期短"}, []string{"保鲜", "果蔬", "货架期"}},
	{FieldBiomedicine, "C1495", "功能食品", []string{"益生菌发酵", "肽制备", "微胶囊包埋"}, []string{"活菌数提高", "稳定性提高", "口感改善"}, []string{"益生菌活性下降", "产品稳定性差", "口感不好"}, []string{"益生菌", "发酵", "功能食品"}},
	{FieldEnvironment, "C2710", "制药废水", []string{"催化臭氧氧化", "高级氧化", "厌氧生物处理"}, []string{"COD去除率提高", "可生化性提高", "稳定达标"}, []string{"废水COD高", "难降解", "生化处理不达标"}, []string{"制药废水", "高级氧化", "COD"}},
	{FieldEnvironment, "N7721", "重金属污染土壤", []string{"原位钝化", "植物修复", "淋洗修复"}, []string{"有效态含量降低", "修复成本降低", "安全利用"}, []string{"地块土壤重金属超标", "修复成本高", "农田镉超标"}, []string{"土壤修复", "重金属", "钝化"}},
	{FieldEnvironment, "C3360", "电镀废水", []string{"膜分离回用", "化学沉淀", "电解回收"}, []string{"重金属达标", "水回用率提高", "污泥减少"}, []string{"电镀废水重金属超标", "用水成本高", "危废污泥多"}, []string{"电镀废水", "膜分离", "重金属"}},
	{FieldEnvironment, "C3670", "VOCs废气", []string{"沸石转轮浓缩", "催化燃烧", "活性炭吸附"}, []string{"去除率提高", "运行成本降低", "达标排放"}, []string{"喷涂车间VOCs超标", "废气处理运行费用高", "异味投诉"}, []string{"VOCs", "催化燃烧", "废气治理"}},
	{FieldEnvironment, "C4220", "固体废物", []string{"资源化利用", "热解气化", "分选回收"}, []string{"资源化率提高", "处置成本降低", "减量"}, []string{"固废处置费用高", "废料堆积", "资源浪费"}, []string{"固废", "资源化", "回收"}},
	{FieldServices, "M7320", "检验检测", []string{"快速检测方法", "标准物质研制", "检测自动化"}, []string{"检测周期缩短", "准确度提高", "成本降低"}, []string{"送检周期长", "检测费用高", "缺少标准方法"}, []string{"检验检测", "标准物质", "快速检测"}},
	{FieldServices, "I6531", "工业设计", []string{"仿真优化设计", "参数化建模", "人机工程评价"}, []string{"研发周期缩短", "样机次数减少", "体验改善"}, []string{"新品开发周期长", "样机反复修改", "外观设计落后"}, []string{"工业设计", "仿真", "参数化"}},
	{FieldAerospace, "C3741", "无人机", []string{"长航时动力", "自主避障", "集群协同"}, []string{"续航提高", "作业效率提高", "安全性提升"}, []string{"无人机续航短", "巡检靠人工", "复杂环境易撞"}, []string{"无人机", "自主导航", "巡检"}},
	{FieldAerospace, "C3741", "航空复合材料构件", []string{"自动铺丝", "热压罐固化", "无损检测"}, []string{"减重", "缺陷减少", "效率提高"}, []string{"复材构件缺陷多", "手工铺层效率低", "检测困难"}, []string{"复合材料", "碳纤维", "无损检测"}},
}

// holderNames are the universities and institutes of the synthetic
// catalogue.
var holderNames = []string{"浙江大学", "清华大学", "上海交通大学", "华中科技大学", "西安交通大学", "哈尔滨工业大学", "南京大学", "中南大学",
	"四川大学", "东南大学", "华南理工大学", "天津大学", "北京理工大学", "电子科技大学", "江南大学", "中国科学院宁波材料技术与工程研究所",
	"中国科学院大连化学物理研究所", "中国科学院深圳先进技术研究院", "中国科学院上海药物研究所", "中国科学院南京土壤研究所"}

var (
	labSuffixes = []string{"学院", "研究院", "重点实验室", "工程中心", "研究所"}
	maturities  = Maturities()
	modeSets    = [][]TransferMode{{ModeLicense}, {ModeTransfer}, {ModeLicense, ModeJoint}, {ModeJoint}, {ModeEquity}, {ModeTransfer, ModeLicense}}
	fillers     = []string{"该成果已申请发明专利", "已在多家企业试用", "具有自主知识产权", "工艺简单、易于放大", "可根据企业需求定制开发", "团队具有十年以上研发经验", "已通过第三方检测", "适合中小企业应用"}
	applyTo     = []string{"汽车", "家电", "电子信息", "新能源", "医药", "食品", "化工", "装备制造", "建筑", "物流"}
)

// SyntheticAchievements returns n achievements generated from the topics,
// the same for the same seed: for the benchmark and the demo.
func SyntheticAchievements(seed uint64, n int) []Achievement {
	r := rand.New(rand.NewPCG(seed, 0x7ec4))
	out := make([]Achievement, n)
	for i := range out {
		tp := topics[r.IntN(len(topics))]
		m := tp.methods[r.IntN(len(tp.methods))]
		e1 := tp.effects[r.IntN(len(tp.effects))]
		e2 := tp.effects[r.IntN(len(tp.effects))]
		holder := holderNames[r.IntN(len(holderNames))]
		app := applyTo[r.IntN(len(applyTo))]
		var abstract strings.Builder
		fmt.Fprintf(&abstract, "针对%s%s的问题，本成果采用%s方法，", tp.subject, tp.problems[r.IntN(len(tp.problems))], m)
		fmt.Fprintf(&abstract, "实现%s，%s%d%%。", e1, e2, 10+r.IntN(60))
		fmt.Fprintf(&abstract, "可应用于%s等行业。%s，%s。", app, fillers[r.IntN(len(fillers))], fillers[r.IntN(len(fillers))])
		kw := append([]string{}, tp.keywords...)
		kw = append(kw, m)
		out[i] = Achievement{
			Code:      fmt.Sprintf("KJ%06d", i+1),
			Title:     fmt.Sprintf("%s%s技术", tp.subject, m),
			Holder:    holder,
			Field:     tp.field,
			Keywords:  kw,
			Abstract:  abstract.String(),
			Maturity:  maturities[r.IntN(len(maturities))],
			Modes:     modeSets[r.IntN(len(modeSets))],
			IPNumbers: []string{fmt.Sprintf("ZL20%02d1%07d.%d", 15+r.IntN(10), r.IntN(10_000_000), r.IntN(10))},
			Contact:   holder + labSuffixes[r.IntN(len(labSuffixes))] + "成果转化办公室",
			Status:    StatusListed,
		}
		if r.IntN(3) > 0 {
			out[i].Price = fmt.Sprintf("%d0000.00", 10+r.IntN(490))
		}
	}
	return out
}

// SyntheticNeed returns the i-th generated need: a problem of a topic in
// the enterprise's words, with the industry of enterprises that have it.
func SyntheticNeed(seed uint64, i int) Need {
	r := rand.New(rand.NewPCG(seed, uint64(i)*2+1))
	tp := topics[r.IntN(len(topics))]
	p := tp.problems[r.IntN(len(tp.problems))]
	e := tp.effects[r.IntN(len(tp.effects))]
	return Need{
		Code:        fmt.Sprintf("XQ%05d", i+1),
		Industry:    tp.industry,
		Title:       fmt.Sprintf("%s%s", tp.subject, p),
		Description: fmt.Sprintf("我司%s，希望引进相关技术，达到%s的效果。", p, e),
		Field:       "",
		Source:      SourceOfficer,
		Status:      StatusOpen,
	}
}

// SyntheticNeedFor is a need about a topic that fits an enterprise of the
// given industry, when one does; for the demo's enterprises.
func SyntheticNeedFor(seed uint64, i int, industry string) (Need, bool) {
	r := rand.New(rand.NewPCG(seed, uint64(i)*2+1))
	var fit []topic
	for _, tp := range topics {
		if tp.field.fitsIndustry(industry) || tp.industry == industry {
			fit = append(fit, tp)
		}
	}
	if len(fit) == 0 {
		return Need{}, false
	}
	tp := fit[r.IntN(len(fit))]
	p := tp.problems[r.IntN(len(tp.problems))]
	e := tp.effects[r.IntN(len(tp.effects))]
	return Need{
		Code:        fmt.Sprintf("XQ%05d", i+1),
		Industry:    industry,
		Title:       fmt.Sprintf("%s%s", tp.subject, p),
		Description: fmt.Sprintf("我司%s，希望引进%s相关技术，达到%s的效果。", p, tp.subject, e),
		Source:      SourcePortal,
		Status:      StatusOpen,
	}, true
}
