package i18n

import "testing"

func TestRefusal(t *testing.T) {
	zh := For(Chinese)
	tests := []struct{ name, in, want string }{
		{"exact", "the park is not valid", "园区有误"},
		{"a pattern with its nouns translated", "a park with code P1 exists", "代码为 P1 的园区已存在"},
		{"a quoted value kept as typed", `"2024-13-01" is not a date (want YYYY-MM-DD)`, `"2024-13-01" 不是日期，应为 YYYY-MM-DD 格式`},
		{"a translated reason inside another", "must not be negative (changed while the import was read)", "不能为负数（导入期间数据已被他人修改）"},
		{"money in 万", "the total after the signing of 2024-05-01 (12000000.00 yuan) is below the total after the signing of 2024-03-01 (15000000.00 yuan): a later signing gives the new total, which cannot shrink",
			"2024-05-01 签约后的总额（1,200万元）低于 2024-03-01 签约后的总额（1,500万元）：后一次签约给出的是新的总额，不能减少"},
		{"a reason inside a pattern", "period 2024Q5: the quarter must be 1 to 4", "期间 2024Q5：季度应为 1 至 4"},
		{"parts joined by a colon", "the workbook is malformed: its part \"xl/a.xml\" cannot be unpacked: is empty", "工作簿已损坏：部件 \"xl/a.xml\" 无法解压：请填写"},
		{"a library's text under a generic sentence", "json: cannot unmarshal number into Go value", "未能完成，请检查所填内容（原始说明：json: cannot unmarshal number into Go value）"},
		{"Chinese stays", "请填写", "请填写"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := zh.Refusal(tt.in); got != tt.want {
				t.Errorf("Refusal(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
	if got := For(English).Refusal("a park with code P1 exists"); got != "a park with code P1 exists" {
		t.Errorf("English changed the text: %q", got)
	}
}

func TestRefusalCatalogParses(t *testing.T) {
	// Each translation names only values its text has; parseRefusals
	// refuses any other, so a broken catalog fails here by name.
	raw, err := catalogFiles.ReadFile(refusalFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := parseRefusals(raw); err != nil {
		t.Fatal(err)
	}
	if _, err := parseRefusals([]byte(`{"a %s b": "{2}"}`)); err == nil {
		t.Error("a translation naming {2} of a text with one value was accepted")
	}
}
