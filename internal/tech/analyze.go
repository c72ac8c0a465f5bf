package tech

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
	"golang.org/x/text/width"
)

// The segmentation dictionary: gse's simplified-Chinese dictionary without
// person names and idioms (dict/gen.go makes it), our technical terms and
// our synonym groups. Compressed, it adds about 1.4 MB to the binary; it is
// loaded on first use (about a second on a loaded 2-core machine), never at
// start-up of commands that do not match.
//
//go:embed dict/zh.txt.gz dict/terms.txt dict/synonyms.txt
var dictFS embed.FS

// Term kinds are marked by a prefix in the index so that one posting list
// serves each: a plain word, a character bigram around a character the
// dictionary could not attach to a word (石墨/烯 gives 墨烯), and the
// canonical form of a synonym group.
const (
	bigramMark  = "~"
	synonymMark = "="
)

// analyzer segments text into index terms. One is shared by the process.
type analyzer struct {
	seg      gse.Segmenter
	synonyms map[string]string // lower-case word → canonical word
	total    float64           // sum of dictionary frequencies
	maxIDF   float64           // log(total / 1): the background IDF of the rarest word
}

var (
	sharedAnalyzer     *analyzer
	sharedAnalyzerErr  error
	sharedAnalyzerOnce sync.Once
)

// loadAnalyzer returns the process's analyzer, loading the dictionary the
// first time.
func loadAnalyzer() (*analyzer, error) {
	sharedAnalyzerOnce.Do(func() {
		sharedAnalyzer, sharedAnalyzerErr = newAnalyzer()
	})
	return sharedAnalyzer, sharedAnalyzerErr
}

// Warm loads the segmentation dictionary now, so that the first match a
// server answers does not wait for it. It is safe to call many times.
func Warm() error {
	_, err := loadAnalyzer()
	return err
}

func newAnalyzer() (*analyzer, error) {
	gz, err := dictFS.Open("dict/zh.txt.gz")
	if err != nil {
		return nil, err
	}
	defer gz.Close()
	zr, err := gzip.NewReader(gz)
	if err != nil {
		return nil, fmt.Errorf("tech: dictionary: %w", err)
	}
	var dict bytes.Buffer
	if _, err := io.Copy(&dict, zr); err != nil {
		return nil, fmt.Errorf("tech: dictionary: %w", err)
	}
	terms, err := dictFS.ReadFile("dict/terms.txt")
	if err != nil {
		return nil, err
	}
	for _, line := range dataLines(terms) {
		word, freq, _ := strings.Cut(line, " ")
		fmt.Fprintf(&dict, "%s %s n\n", word, freq)
		if lower := strings.ToLower(word); lower != word {
			fmt.Fprintf(&dict, "%s %s n\n", lower, freq)
		}
	}
	a := &analyzer{synonyms: map[string]string{}}
	syn, err := dictFS.ReadFile("dict/synonyms.txt")
	if err != nil {
		return nil, err
	}
	for _, line := range dataLines(syn) {
		words := strings.Fields(line)
		for _, w := range words {
			a.synonyms[strings.ToLower(w)] = strings.ToLower(words[0])
			fmt.Fprintf(&dict, "%s 100 n\n", w)
		}
	}
	a.seg.SkipLog = true
	if err := a.seg.LoadDictStr(dict.String()); err != nil {
		return nil, fmt.Errorf("tech: load dictionary: %w", err)
	}
	a.total = a.seg.Dict.TotalFreq()
	a.maxIDF = math.Log(a.total)
	return a, nil
}

// dataLines returns the lines of a dictionary file that are neither blank
// nor comments.
func dataLines(b []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

// normalize folds full-width letters, digits and punctuation to their ASCII
// forms (ＡＩ is AI, ３Ｄ is 3D), as people type both.
func normalize(s string) string {
	return width.Fold.String(s)
}

// words segments text in search mode: long words and their dictionary parts
// both (复合材料 gives 复合, 材料, 复合材料), lower-cased, in text order.
func (a *analyzer) words(text string) []string {
	text = normalize(text)
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, " ")
	}
	return a.seg.CutSearch(text, true)
}

// terms returns the index terms of text: its content words, the bigrams
// that hold characters left alone by the segmenter, and the canonical form
// of words that have synonyms. A term may repeat; the count is its
// frequency.
func (a *analyzer) terms(text string) []string {
	toks := a.words(text)
	out := make([]string, 0, len(toks)+8)
	for i, tok := range toks {
		low := strings.ToLower(strings.TrimSpace(tok))
		n := utf8.RuneCountInString(low)
		switch {
		case n == 0:
			continue
		case n == 1:
			r, _ := utf8.DecodeRuneInString(low)
			if isHan(r) && !functionChars[r] {
				// A character the dictionary did not attach to a word is
				// usually part of a word it does not know (烯 of 石墨烯):
				// pair it with its neighbours.
				if prev := lastHan(toks, i); prev != "" {
					out = append(out, bigramMark+prev+low)
				}
				if next := firstHan(toks, i); next != "" {
					out = append(out, bigramMark+low+next)
				}
			}
			continue
		}
		if stopWords[low] || !hasLetterOrHan(low) {
			continue
		}
		out = append(out, low)
		if canon, ok := a.synonyms[low]; ok {
			out = append(out, synonymMark+canon)
		}
	}
	return out
}

// lastHan is the last character of the token before i when it is a Chinese
// character, "" otherwise.
func lastHan(toks []string, i int) string {
	if i == 0 {
		return ""
	}
	r, _ := utf8.DecodeLastRuneInString(toks[i-1])
	if !isHan(r) || functionChars[r] {
		return ""
	}
	return string(r)
}

// firstHan is the first character of the token after i when it is a
// Chinese character, "" otherwise.
func firstHan(toks []string, i int) string {
	if i+1 >= len(toks) {
		return ""
	}
	r, _ := utf8.DecodeRuneInString(toks[i+1])
	if !isHan(r) || functionChars[r] {
		return ""
	}
	return string(r)
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func hasLetterOrHan(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// specificity is how specific a word is by its frequency in general
// Chinese (the dictionary's count): 1 for a word the dictionary does not
// know, toward 0 for the commonest words. It keeps 技术 and 系统 from
// deciding a ranking in a small catalogue, where their catalogue IDF alone
// cannot tell them from real subject words.
func (a *analyzer) specificity(term string) float64 {
	word := strings.TrimPrefix(strings.TrimPrefix(term, synonymMark), bigramMark)
	freq, _, ok := a.seg.Dict.Find([]byte(word))
	if !ok || freq <= 1 {
		return 1
	}
	s := math.Log(a.total/freq) / a.maxIDF
	return math.Max(0.15, math.Min(1, s*s))
}

// functionChars are characters that never belong to a term of their own.
var functionChars = runeSet("的了和与及或等在对用于为是将以把被由从向到中上下其之而且并又也都很更最这那各每该此个种类项年月日")

func runeSet(s string) map[rune]bool {
	m := map[rune]bool{}
	for _, r := range s {
		m[r] = true
	}
	return m
}

// stopWords are words that say nothing about a subject: function words,
// and the boilerplate of need postings and achievement abstracts ("我公司希望
// 寻求合作解决……问题", "本成果……具有……优点").
var stopWords = wordSet(`我们 我司 我公司 本公司 公司 企业 单位 本项目 项目 本成果 成果 该成果 本技术 该技术 本发明 发明
希望 寻求 寻找 需要 需求 急需 亟需 想要 要求 拟 计划 打算 目前 现在 当前 现有 已经 正在 进行 开展 实现 能够 可以 可 通过 采用 利用 使用 基于 针对 关于 以及 及其 并且 或者 其中 相关 有关 方面 问题 解决 提高 提升 降低 减少 增加 改善 优化 具有 具备 特点 优点 优势 显著 有效 良好 较好 较高 较低 主要 一种 一个 一项 多种 各种 合作 引进 引入 对接 转化 成熟 领域 行业 产业 研究 研发 开发 应用 推广 相比 传统 国内 国外 国际 领先 水平 先进 新型 新 高效 情况 过程 工作 能力 条件 技术 制造 方法 装置 系统 产品 要 有 是 在 为 和 与 的 等 将 对 从 并 及 或`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// Segment returns the index terms of text as the ranking sees them:
// bigrams start with ~, synonym groups with =.
func Segment(text string) ([]string, error) {
	an, err := loadAnalyzer()
	if err != nil {
		return nil, err
	}
	return an.terms(text), nil
}
