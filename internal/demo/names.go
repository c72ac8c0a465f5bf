package demo

import "strings"

// tradeNameChars are the characters of 字号 (trade names): auspicious and
// technical-sounding ones, as high-tech firms choose them. Any two or three
// of them read as a plausible trade name (华芯, 瑞拓, 星诺科).
var tradeNameChars = []rune("华科创信达瑞博宇天恒联智睿星云海德泰安新源盛鼎汇嘉辰卓航拓远越图讯锐峰优诺晶芯光迈聚启合正和佳通力欣元宏伟腾飞亿金凯丰众英杰思维捷易数灵慧明朗昊昕晟烨煜熠炜辉耀鸿鹏麟骏驰翔跃升隆兴旺昌顺祥福康健宁平诚实润泽浩涵沐清澜江川岳山林森禾橙蓝青紫锦绣雅致臻尚品极至道仁同心志长久永固坚峻巨宸宙坤乾乐美加微钧璟")

// nameForms are the ways a Hangzhou company puts its place in its name:
// city first, province first (杭州华芯科技, 浙江华芯科技), or the trade name
// first with the city in brackets (华芯（杭州）科技).
const nameForms = 3

// A name is identified by its form and its trade name, which permute draws
// without repetition: the industry word and the legal form vary freely on
// top, yet never make two names equal (names_test checks that no industry
// word is another one with a trade-name character in front).
var (
	pool         = uint64(len(tradeNameChars))
	twoCharNames = nameForms * pool * pool
	threeChars   = nameForms * pool * pool * pool
)

// companyName returns the name of enterprise index: 行政区 + 字号 + 行业词 +
// 有限公司. One in five has a three-character trade name; the others have two
// until those run out (beyond 67,500 enterprises), when the rest take three
// as well. The caller keeps index below MaxEnterprises.
func companyName(index uint64, key uint64, word string, incorporated bool) string {
	var n, chars uint64
	switch {
	case index%5 == 4:
		n, chars = permute(2*(index/5), threeChars, key), 3
	case index-index/5 < twoCharNames:
		n, chars = permute(index-index/5, twoCharNames, key), 2
	default:
		n, chars = permute(2*(index-index/5-twoCharNames)+1, threeChars, key), 3
	}
	form := n % nameForms
	n /= nameForms
	var trade [3]rune
	for i := range chars {
		trade[i] = tradeNameChars[n%pool]
		n /= pool
	}
	var b strings.Builder
	b.Grow(64)
	switch form {
	case 0:
		b.WriteString("杭州")
		b.WriteString(string(trade[:chars]))
	case 1:
		b.WriteString("浙江")
		b.WriteString(string(trade[:chars]))
	default:
		b.WriteString(string(trade[:chars]))
		b.WriteString("（杭州）")
	}
	b.WriteString(word)
	if incorporated {
		b.WriteString("股份有限公司")
	} else {
		b.WriteString("有限公司")
	}
	return b.String()
}

// MaxEnterprises bounds the population: beyond it companyName would run
// out of distinct three-character trade names (names_test checks the bound).
const MaxEnterprises = 5_000_000
