package tech

import (
	"os"
	"strings"
	"testing"
)

// loadHandmade reads the hand-written catalogue and needs of testdata: twelve
// needs, each with its right achievement (A01 for N01 …) and two
// distractors (D01a, D01b …) that share words with the need but answer
// another question.
func loadHandmade(t *testing.T) ([]Achievement, []Need) {
	t.Helper()
	ad, err := os.ReadFile("testdata/handmade_achievements.csv")
	if err != nil {
		t.Fatal(err)
	}
	nd, err := os.ReadFile("testdata/handmade_needs.csv")
	if err != nil {
		t.Fatal(err)
	}
	achs, _, err := ParseAchievements("handmade_achievements.csv", ad)
	if err != nil {
		t.Fatal(err)
	}
	needs, _, err := ParseNeeds("handmade_needs.csv", nd)
	if err != nil {
		t.Fatal(err)
	}
	return achs, needs
}

func TestHandmadeNeedsRankTheirAchievementFirst(t *testing.T) {
	achs, needs := loadHandmade(t)
	c, err := NewCatalogue(achs)
	if err != nil {
		t.Fatal(err)
	}
	rep := c.Match(needs, achs, 3)
	for _, m := range rep.Matches {
		want := "A" + strings.TrimPrefix(m.Need, "N")
		if len(m.Achievements) == 0 || m.Achievements[0] != want {
			t.Errorf("need %s: ranked %v, want %s first", m.Need, m.Achievements, want)
			continue
		}
		if len(m.Why[0].SharedTerms) == 0 || m.Why[0].Reason == "" {
			t.Errorf("need %s: the first recommendation has no reason: %+v", m.Need, m.Why[0])
		}
	}
}

// The cases below are harder: the need and its achievement name the subject
// differently (a synonym, an abbreviation, a word the general dictionary
// lacks), and the distractors share the need's most visible word.
func TestHardCasesRankTheRightAchievementFirst(t *testing.T) {
	achs := []Achievement{
		{Code: "G1", Title: "二氧化硅气凝胶隔热毡常压干燥制备技术", Field: FieldMaterials, Keywords: []string{"气凝胶", "隔热毡", "常压干燥"},
			Abstract: "以水玻璃为硅源、玻璃纤维毡为增强体，常压干燥制备二氧化硅气凝胶毡，导热系数低于0.02瓦每米开尔文，用于管道和电池包的保温隔热。"},
		{Code: "G2", Title: "岩棉保温板生产线节能改造", Field: FieldEnergy, Keywords: []string{"岩棉", "保温板", "节能"},
			Abstract: "冲天炉余热利用与离心机优化，降低岩棉保温板的生产能耗。"},
		{Code: "G3", Title: "高纯球形二氧化硅微粉", Field: FieldMaterials, Keywords: []string{"二氧化硅", "球形微粉", "电子封装"},
			Abstract: "火焰熔融法制备高纯球形二氧化硅微粉，用于芯片封装的环氧塑封料填料。"},
		{Code: "L1", Title: "锂离子电池极片挤压涂布技术", Field: FieldEnergy, Keywords: []string{"极片", "挤压涂布", "面密度"},
			Abstract: "狭缝挤压涂布模头流道优化与闭环面密度控制，使极片涂布面密度偏差小于1%。"},
		{Code: "L2", Title: "光伏电池片丝网印刷工艺", Field: FieldEnergy, Keywords: []string{"光伏", "丝网印刷", "电池片"},
			Abstract: "细栅线丝网印刷工艺，降低银浆耗量，提高电池片转换效率。"},
		{Code: "L3", Title: "汽车车身涂装机器人", Field: FieldManufacturing, Keywords: []string{"涂装", "机器人", "车身"},
			Abstract: "六轴喷涂机器人及其轨迹规划，涂层厚度均匀。"},
		{Code: "T1", Title: "增材制造多孔钛合金骨植入体", Field: FieldBiomedicine, Keywords: []string{"增材制造", "多孔钛合金", "骨植入"},
			Abstract: "以选区激光熔化成形仿骨小梁多孔结构钛合金植入体，弹性模量与人骨匹配，促进骨长入。"},
		{Code: "T2", Title: "钛合金航空紧固件精密锻造", Field: FieldAerospace, Keywords: []string{"钛合金", "紧固件", "锻造"},
			Abstract: "钛合金螺栓热镦锻造与滚丝工艺，满足航空紧固件疲劳性能要求。"},
		{Code: "T3", Title: "骨科手术导航机器人", Field: FieldBiomedicine, Keywords: []string{"骨科", "手术导航", "机器人"},
			Abstract: "基于光学定位的骨科手术导航机器人，置钉精度小于1毫米。"},
		{Code: "V1", Title: "喷涂废气沸石转轮浓缩与催化燃烧技术", Field: FieldEnvironment, Keywords: []string{"VOCs治理", "沸石转轮", "催化燃烧"},
			Abstract: "大风量低浓度喷涂废气经沸石转轮浓缩后催化燃烧，挥发性有机物去除率95%以上。"},
		{Code: "V2", Title: "喷涂机器人轨迹自动生成", Field: FieldManufacturing, Keywords: []string{"喷涂", "机器人", "轨迹规划"},
			Abstract: "根据工件三维模型自动生成喷涂轨迹。"},
		{Code: "V3", Title: "VOCs在线监测仪", Field: FieldEnvironment, Keywords: []string{"VOCs", "在线监测"},
			Abstract: "氢火焰离子化检测的挥发性有机物在线监测仪。"},
	}
	cases := []struct {
		name string
		need Need
		want string
	}{
		{"a word no dictionary has", Need{Code: "H1", Title: "管道保温用气凝胶毡", Description: "蒸汽管道保温层太厚、散热损失大，希望采用气凝胶保温材料。", Industry: "D4430"}, "G1"},
		{"a synonym", Need{Code: "H2", Title: "锂电池极片涂布不均匀", Description: "锂电池极片涂布面密度波动大，影响电池一致性。", Industry: "C3841"}, "L1"},
		{"an abbreviation", Need{Code: "H3", Title: "3D打印钛合金骨科植入物", Description: "希望开发个性化的3D打印骨科植入物。", Industry: "C3589"}, "T1"},
		{"an English acronym", Need{Code: "H4", Title: "喷涂车间VOCs排放超标", Description: "喷涂车间VOCs排放浓度超标，需要废气治理设备。", Industry: "C3670"}, "V1"},
	}
	c, err := NewCatalogue(achs)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hits := c.Rank(tc.need, 3)
			if len(hits) == 0 || hits[0].Key != tc.want {
				t.Fatalf("ranked %+v, want %s first", hits, tc.want)
			}
		})
	}
}

func TestReasonsNameTheSharedTermsAndTheIndustryFit(t *testing.T) {
	achs, needs := loadHandmade(t)
	c, err := NewCatalogue(achs)
	if err != nil {
		t.Fatal(err)
	}
	var n01 Need
	for _, n := range needs {
		if n.Code == "N01" {
			n01 = n
		}
	}
	hits := c.Rank(n01, 1)
	w := WhyOf(hits[0], FieldMaterials, n01.Industry)
	for _, term := range []string{"磷酸铁锂", "正极材料"} {
		if !strings.Contains(strings.Join(w.SharedTerms, " "), term) {
			t.Errorf("shared terms %v lack %s", w.SharedTerms, term)
		}
	}
	// A need with nothing in common with the catalogue gets nothing.
	if got := c.Rank(Need{Code: "X", Title: "招聘会计"}, 3); len(got) != 0 {
		t.Errorf("an unrelated need ranked %+v", got)
	}
}

func TestIndustryFitBreaksTextTies(t *testing.T) {
	achs := []Achievement{
		{Code: "P1", Title: "工业废水膜处理技术", Field: FieldManufacturing},
		{Code: "P2", Title: "工业废水膜处理技术", Field: FieldEnvironment},
	}
	c, err := NewCatalogue(achs)
	if err != nil {
		t.Fatal(err)
	}
	hits := c.Rank(Need{Code: "Q", Title: "工业废水膜处理", Industry: "N7721"}, 2)
	if len(hits) != 2 || hits[0].Key != "P2" || !hits[0].IndustryFit || hits[1].IndustryFit {
		t.Fatalf("hits %+v: want P2 first for its industry fit", hits)
	}
}

func TestSegmentationKeepsTechnicalTermsWhole(t *testing.T) {
	an, err := loadAnalyzer()
	if err != nil {
		t.Fatal(err)
	}
	got := " " + strings.Join(an.terms("高压实磷酸铁锂正极材料与石墨烯导热膜"), " ") + " "
	for _, want := range []string{" 磷酸铁锂 ", " 正极材料 ", " 石墨烯 "} {
		if !strings.Contains(got, want) {
			t.Errorf("terms %q lack %q", got, want)
		}
	}
	for _, stop := range []string{" 与 ", " 的 "} {
		if strings.Contains(got, stop) {
			t.Errorf("terms %q keep the function word %q", got, stop)
		}
	}
}
