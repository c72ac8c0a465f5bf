package demo

import (
	"strconv"
	"strings"
)

// syllable is a Chinese character with its pinyin (without tones), so that a
// liaison's e-mail address can be spelt from the name as Chinese firms do.
type syllable struct {
	char   string
	pinyin string
}

// surnames are the most common Chinese surnames; weights follow their rough
// frequency (王, 李, 张 about 7% each).
var surnames = []struct {
	syllable
	weight float64
}{
	{syllable{"王", "wang"}, 7.1}, {syllable{"李", "li"}, 7.0}, {syllable{"张", "zhang"}, 6.7}, {syllable{"刘", "liu"}, 5.4},
	{syllable{"陈", "chen"}, 4.6}, {syllable{"杨", "yang"}, 3.1}, {syllable{"黄", "huang"}, 2.2}, {syllable{"赵", "zhao"}, 2.0},
	{syllable{"吴", "wu"}, 2.0}, {syllable{"周", "zhou"}, 1.9}, {syllable{"徐", "xu"}, 1.5}, {syllable{"孙", "sun"}, 1.5},
	{syllable{"马", "ma"}, 1.4}, {syllable{"朱", "zhu"}, 1.3}, {syllable{"胡", "hu"}, 1.3}, {syllable{"郭", "guo"}, 1.2},
	{syllable{"何", "he"}, 1.2}, {syllable{"林", "lin"}, 1.1}, {syllable{"罗", "luo"}, 1.1}, {syllable{"高", "gao"}, 1.1},
	{syllable{"郑", "zheng"}, 1.0}, {syllable{"梁", "liang"}, 0.9}, {syllable{"谢", "xie"}, 0.9}, {syllable{"宋", "song"}, 0.8},
	{syllable{"唐", "tang"}, 0.8}, {syllable{"许", "xu"}, 0.7}, {syllable{"韩", "han"}, 0.7}, {syllable{"冯", "feng"}, 0.7},
	{syllable{"邓", "deng"}, 0.7}, {syllable{"曹", "cao"}, 0.6}, {syllable{"彭", "peng"}, 0.6}, {syllable{"曾", "zeng"}, 0.6},
	{syllable{"肖", "xiao"}, 0.6}, {syllable{"田", "tian"}, 0.5}, {syllable{"董", "dong"}, 0.5}, {syllable{"潘", "pan"}, 0.5},
	{syllable{"袁", "yuan"}, 0.5}, {syllable{"蔡", "cai"}, 0.5}, {syllable{"蒋", "jiang"}, 0.5}, {syllable{"余", "yu"}, 0.5},
	{syllable{"叶", "ye"}, 0.5}, {syllable{"程", "cheng"}, 0.4}, {syllable{"沈", "shen"}, 0.4}, {syllable{"魏", "wei"}, 0.4},
	{syllable{"方", "fang"}, 0.4}, {syllable{"钱", "qian"}, 0.3}, {syllable{"金", "jin"}, 0.3}, {syllable{"楼", "lou"}, 0.1},
}

var surnameWeights = func() []float64 {
	w := make([]float64, len(surnames))
	for i, s := range surnames {
		w[i] = s.weight
	}
	return w
}()

// givenNameChars are characters common in given names.
var givenNameChars = []syllable{
	{"伟", "wei"}, {"芳", "fang"}, {"娜", "na"}, {"敏", "min"}, {"静", "jing"}, {"丽", "li"}, {"强", "qiang"},
	{"磊", "lei"}, {"军", "jun"}, {"洋", "yang"}, {"勇", "yong"}, {"艳", "yan"}, {"杰", "jie"}, {"娟", "juan"},
	{"涛", "tao"}, {"明", "ming"}, {"超", "chao"}, {"秀", "xiu"}, {"霞", "xia"}, {"平", "ping"}, {"刚", "gang"},
	{"英", "ying"}, {"华", "hua"}, {"建", "jian"}, {"文", "wen"}, {"斌", "bin"}, {"宇", "yu"}, {"浩", "hao"},
	{"凯", "kai"}, {"婷", "ting"}, {"雪", "xue"}, {"琳", "lin"}, {"晨", "chen"}, {"欣", "xin"}, {"怡", "yi"},
	{"佳", "jia"}, {"子", "zi"}, {"思", "si"}, {"梓", "zi"}, {"涵", "han"}, {"轩", "xuan"}, {"博", "bo"},
	{"志", "zhi"}, {"鹏", "peng"}, {"辉", "hui"}, {"鑫", "xin"}, {"晓", "xiao"}, {"海", "hai"}, {"颖", "ying"},
	{"倩", "qian"}, {"琪", "qi"}, {"玲", "ling"}, {"慧", "hui"}, {"俊", "jun"}, {"峰", "feng"}, {"毅", "yi"},
	{"帆", "fan"}, {"波", "bo"}, {"萍", "ping"}, {"红", "hong"}, {"燕", "yan"}, {"云", "yun"}, {"睿", "rui"},
	{"诗", "shi"}, {"雨", "yu"}, {"天", "tian"}, {"昊", "hao"}, {"然", "ran"}, {"泽", "ze"}, {"航", "hang"},
}

// Liaison is the enterprise's contact person (企业联络员) for the
// commissioner system and the portal. It is generated data, not facts of the
// dictionary: the registry keeps contacts apart from facts, and pages mask
// the phone number.
type Liaison struct {
	Name  string // e.g. 王晓明
	Email string // under example.com, which RFC 2606 reserves, so no mail reaches anyone
	Phone string // 11-digit mainland mobile number
}

// mobilePrefixes are the three-digit prefixes of mainland mobile numbers.
var mobilePrefixes = []string{"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156", "157", "158", "159", "166", "173", "177", "180", "181", "182", "183", "185", "186", "187", "188", "189", "198", "199"}

// liaison draws a contact person. The index makes the e-mail address
// unique: two liaisons may share a name, as people do.
func liaison(s *stream, index uint64) Liaison {
	sur := surnames[s.weighted(surnameWeights)].syllable
	given := []syllable{givenNameChars[s.intn(len(givenNameChars))]}
	if s.chance(0.7) {
		given = append(given, givenNameChars[s.intn(len(givenNameChars))])
	}
	var name, mail strings.Builder
	name.WriteString(sur.char)
	mail.WriteString(sur.pinyin)
	for _, g := range given {
		name.WriteString(g.char)
		mail.WriteString(g.pinyin)
	}
	mail.WriteByte('.')
	mail.WriteString(strconv.FormatUint(index+1, 10))
	mail.WriteString("@example.com")

	phone := make([]byte, 0, 11)
	phone = append(phone, mobilePrefixes[s.intn(len(mobilePrefixes))]...)
	for range 8 {
		phone = append(phone, byte('0'+s.intn(10)))
	}
	return Liaison{Name: name.String(), Email: mail.String(), Phone: string(phone)}
}
