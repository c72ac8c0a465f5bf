package tech

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

const achievementHeader = "code,title,holder,field,keywords,abstract,maturity,transfer_mode\n"

func TestParseAchievementsReadsByHeaderAndNormalises(t *testing.T) {
	csv := "\uFEFFtransfer_mode,code,title,holder,field,keywords,abstract,maturity,price,备注\n" +
		"许可、合作开发,A1,石墨烯导热膜,某大学,新材料,石墨烯；导热,摘要,中试,50万,随便\n"
	got, ignored, err := ParseAchievements("a.csv", []byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	a := got[0]
	if a.Code != "A1" || a.Field != FieldMaterials || a.Maturity != MaturityPilot || len(a.Modes) != 2 ||
		a.Modes[1] != ModeJoint || a.Price != "500000.00" || strings.Join(a.Keywords, "|") != "石墨烯|导热" {
		t.Errorf("parsed %+v", a)
	}
	if len(ignored) != 1 || ignored[0] != "备注" {
		t.Errorf("ignored %v, want [备注]", ignored)
	}
}

func TestParseAchievementsReportsEveryBadRowAndReadsNothing(t *testing.T) {
	csv := achievementHeader +
		"A1,好的,某大学,新材料,k,摘要,中试,转让\n" +
		",没有编号,某大学,新材料,k,摘要,中试,转让\n" +
		"A3,成熟度错,某大学,新材料,k,摘要,快好了,转让\n" +
		"A1,重复,某大学,新材料,k,摘要,中试,卖掉\n"
	got, _, err := ParseAchievements("a.csv", []byte(csv))
	if got != nil || apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("got %v, %v: want nothing and an invalid-input error", got, err)
	}
	want := []apperr.Problem{
		{File: "a.csv", Row: 3, Field: "code"},
		{File: "a.csv", Row: 4, Field: "maturity"},
		{File: "a.csv", Row: 5, Field: "transfer_mode"},
		{File: "a.csv", Row: 5, Field: "code"},
	}
	probs := apperr.ProblemsOf(err)
	if len(probs) != len(want) {
		t.Fatalf("problems %v, want %d", probs, len(want))
	}
	for i, w := range want {
		if probs[i].Row != w.Row || probs[i].Field != w.Field || probs[i].File != w.File || probs[i].Reason == "" {
			t.Errorf("problem %d = %+v, want at %+v", i, probs[i], w)
		}
	}
}

func TestParseAchievementsNamesAMissingColumn(t *testing.T) {
	_, _, err := ParseAchievements("a.csv", []byte("code,title\nA1,x\n"))
	probs := apperr.ProblemsOf(err)
	if len(probs) == 0 || probs[0].Row != 1 || probs[0].Field != "holder" {
		t.Fatalf("problems %v: want the missing holder column on row 1", probs)
	}
	_, _, err = ParseAchievements("a.csv", []byte{0xff, 0xff, 0xff, ',', '\n'})
	if err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("a file in no encoding: %v", err)
	}
}

func TestParseAchievementsFromXLSX(t *testing.T) {
	f := excelize.NewFile()
	rows := [][]any{
		{"编号", "成果名称", "持有单位", "技术领域", "关键词", "摘要", "成熟度", "转化方式"},
		{"X1", "机器视觉检测", "某大学", "电子信息", "机器视觉", "摘要", "产业化", "转让"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, _, err := ParseAchievements("c.xlsx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Code != "X1" || got[0].Field != FieldElectronics || got[0].Maturity != MaturityIndustrial {
		t.Errorf("parsed %+v", got)
	}
}

func TestParseYuan(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "面议": "", "1200000": "1200000.00", "1,200,000.5": "1200000.50", "120万": "1200000.00",
		"1.25万": "12500.00", "1.2亿": "120000000.00", "３０万元": "300000.00",
	} {
		got, reason := ParseYuan(in)
		if got != want || reason != "" {
			t.Errorf("ParseYuan(%q) = %q, %q; want %q", in, got, reason, want)
		}
	}
	for _, bad := range []string{"-5", "abc", "1.234", "12e5"} {
		if _, reason := ParseYuan(bad); reason == "" {
			t.Errorf("ParseYuan(%q) accepted", bad)
		}
	}
}

func TestParseNeeds(t *testing.T) {
	csv := "code,enterprise,title,description,industry,wanted_by\nN1,某公司,需求,描述,c3841,2026-12-31\nN2,某公司,,描述,,明年\n"
	_, _, err := ParseNeeds("n.csv", []byte(csv))
	probs := apperr.ProblemsOf(err)
	if len(probs) != 2 || probs[0].Row != 3 || probs[0].Field != "title" || probs[1].Field != "wanted_by" {
		t.Fatalf("problems %v", probs)
	}
}

// FuzzParseAchievements: any bytes give achievements or problems that name
// the file, never a panic; every problem has a reason.
func FuzzParseAchievements(f *testing.F) {
	f.Add([]byte(achievementHeader + "A1,t,h,新材料,k,a,中试,转让\n"))
	f.Add([]byte(achievementHeader + "\"A1,t\n"))
	f.Add([]byte("编号,成果名称\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, _, err := ParseAchievements("f.csv", data)
		if err != nil {
			if got != nil {
				t.Fatal("achievements returned with an error")
			}
			for _, p := range apperr.ProblemsOf(err) {
				if p.Reason == "" || p.File != "f.csv" {
					t.Fatalf("problem without a reason or a file: %+v", p)
				}
			}
			return
		}
		for _, a := range got {
			if checkCode(a.Code) != "" || a.Title == "" {
				t.Fatalf("accepted an achievement without a code or title: %+v", a)
			}
		}
	})
}

// FuzzParseNeeds is FuzzParseAchievements for needs files.
func FuzzParseNeeds(f *testing.F) {
	f.Add([]byte("code,enterprise,title,description\nN1,e,t,d\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, _, err := ParseNeeds("n.csv", data)
		if err != nil {
			for _, p := range apperr.ProblemsOf(err) {
				if p.Reason == "" {
					t.Fatalf("problem without a reason: %+v", p)
				}
			}
			return
		}
		for _, n := range got {
			if checkCode(n.Code) != "" || n.Title == "" {
				t.Fatalf("accepted a need without a code or title: %+v", n)
			}
		}
	})
}

// FuzzRank: any need text ranks without a panic, and what it returns is in
// score order.
func FuzzRank(f *testing.F) {
	achs := []Achievement{{Code: "A", Title: "磷酸铁锂正极材料"}, {Code: "B", Title: "机器视觉缺陷检测"}}
	c, err := NewCatalogue(achs)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("磷酸铁锂", "正极材料压实密度")
	f.Add("\xff\xfe", "ＡＩ３Ｄ打印")
	f.Fuzz(func(t *testing.T, title, desc string) {
		hits := c.Rank(Need{Code: "N", Title: title, Description: desc}, 5)
		for i := 1; i < len(hits); i++ {
			if hits[i].Score > hits[i-1].Score {
				t.Fatalf("not in score order: %+v", hits)
			}
		}
	})
}

// A CSV saved by Excel on a Chinese Windows is GBK: it is read as such.
func TestParseAchievementsReadsGBK(t *testing.T) {
	utf := achievementHeader + "A1,石墨烯导热膜,某大学,新材料,石墨烯,摘要,中试,许可\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(utf)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := ParseAchievements("gbk.csv", []byte(gbk))
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Title != "石墨烯导热膜" || got[0].Maturity != MaturityPilot {
		t.Errorf("parsed %+v", got[0])
	}
}
