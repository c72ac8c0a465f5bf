package tech

import "testing"

// A second hand-written set, written after the ranking was settled and not
// tuned on: other industries, needs in the words of a factory, distractors
// that share the need's words. The needs give no industry (as a needs file
// may not), only the enterprise's name.
func TestSecondHandmadeSet(t *testing.T) {
	achs := []Achievement{
		{Code: "M1", Title: "基于深度学习的肺结节CT影像辅助诊断系统", Field: "生物医药", Keywords: []string{"医学影像", "肺结节", "深度学习", "辅助诊断"},
			Abstract: "对胸部CT影像中的肺结节进行自动检出、分割和良恶性判断，敏感度96%，可嵌入医院PACS系统。", Holder: "复旦大学附属中山医院"},
		{Code: "M2", Title: "医用CT球管散热结构优化", Field: "先进制造", Keywords: []string{"CT球管", "散热", "医疗设备"},
			Abstract: "优化CT球管阳极靶盘和冷却油路，延长球管寿命。", Holder: "东软医疗研究院"},
		{Code: "M3", Title: "深度学习工业视觉缺陷检测平台", Field: "电子信息", Keywords: []string{"深度学习", "缺陷检测", "工业视觉"},
			Abstract: "少样本深度学习训练平台，用于金属、玻璃、纺织品表面缺陷检测。", Holder: "浙江大学"},
		{Code: "W1", Title: "印染废水脱色与回用集成工艺", Field: "资源与环境", Keywords: []string{"印染废水", "脱色", "中水回用", "臭氧"},
			Abstract: "臭氧催化氧化脱色结合双膜法，印染废水回用率达到60%，出水色度小于10倍。", Holder: "东华大学环境学院"},
		{Code: "W2", Title: "活性染料低盐染色技术", Field: "新材料", Keywords: []string{"活性染料", "低盐染色", "印染"},
			Abstract: "减少染色过程中元明粉用量70%，降低印染废水含盐量。", Holder: "江南大学纺织学院"},
		{Code: "W3", Title: "城镇污水处理厂智能曝气控制", Field: "资源与环境", Keywords: []string{"污水处理", "曝气", "节能"},
			Abstract: "根据溶解氧和氨氮在线数据控制曝气量，节电20%。", Holder: "同济大学"},
		{Code: "U1", Title: "植保无人机变量喷施与航线规划技术", Field: "航空航天", Keywords: []string{"植保无人机", "变量喷施", "航线规划"},
			Abstract: "根据作物长势处方图自动规划航线并变量喷施农药，节省农药30%。", Holder: "华南农业大学"},
		{Code: "U2", Title: "电力巡检无人机自主飞行", Field: "航空航天", Keywords: []string{"无人机", "电力巡检", "自主飞行"},
			Abstract: "沿输电线路自主飞行并识别绝缘子缺陷。", Holder: "国网电力科学研究院"},
		{Code: "U3", Title: "生物农药苏云金杆菌高效发酵", Field: "生物医药", Keywords: []string{"生物农药", "发酵", "苏云金杆菌"},
			Abstract: "提高苏云金杆菌发酵效价，降低生物农药成本。", Holder: "华中农业大学"},
		{Code: "E1", Title: "无位置传感器永磁电机低速控制", Field: "先进制造", Keywords: []string{"永磁电机", "无位置传感器", "低速控制"},
			Abstract: "高频注入法估计转子位置，实现零速满转矩启动，适用于压缩机和风机。", Holder: "浙江大学电气工程学院"},
		{Code: "E2", Title: "电机定子绕组自动嵌线设备", Field: "先进制造", Keywords: []string{"电机", "定子", "自动嵌线"},
			Abstract: "替代人工嵌线，提高电机定子生产效率。", Holder: "合肥工业大学"},
		{Code: "E3", Title: "位置传感器用高精度磁编码器芯片", Field: "电子信息", Keywords: []string{"磁编码器", "位置传感器", "芯片"},
			Abstract: "14位绝对式磁编码器芯片，用于伺服电机位置反馈。", Holder: "中国科学院微电子研究所"},
	}
	cases := []struct {
		need Need
		want string
	}{
		{Need{Code: "Q1", Enterprise: "某医疗科技有限公司", Title: "CT片子里的肺结节靠医生一张张看", Description: "放射科阅片工作量大，肺结节容易漏诊，想引进人工智能辅助阅片。"}, "M1"},
		{Need{Code: "Q2", Enterprise: "某印染有限公司", Title: "印染厂废水颜色深回用难", Description: "染色车间废水色度高，环保要求提高用水回用比例，希望有脱色和回用的办法。"}, "W1"},
		{Need{Code: "Q3", Enterprise: "某农业服务有限公司", Title: "无人机打药不均匀浪费农药", Description: "我们用无人机给水稻打农药，药量全田一样，想按长势少打药。"}, "U1"},
		{Need{Code: "Q4", Enterprise: "某压缩机有限公司", Title: "去掉电机位置传感器后低速启动困难", Description: "为降低成本想取消压缩机永磁电机的位置传感器，但低速和启动时控制不稳。"}, "E1"},
	}
	c, err := NewCatalogue(achs)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		hits := c.Rank(tc.need, 3)
		if len(hits) == 0 || hits[0].Key != tc.want {
			t.Errorf("need %s: ranked %+v, want %s first", tc.need.Code, hits, tc.want)
		}
	}
}
