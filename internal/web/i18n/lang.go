package i18n

import (
	"strings"

	"golang.org/x/text/language"
)

// Lang is a language of the web app, written as in a lang attribute.
type Lang string

// The languages. Chinese is the default: park staff work in Chinese.
const (
	Chinese Lang = "zh-CN"
	English Lang = "en"
)

// Langs lists the languages in the order the switch shows them.
var Langs = []Lang{Chinese, English}

// Default is the language of a request that says nothing.
const Default = Chinese

var matcher = language.NewMatcher([]language.Tag{language.SimplifiedChinese, language.English})

// ParseLang returns the language named s ("zh-CN", "zh", "en", "en-US" …)
// and whether s names one of the app's languages.
func ParseLang(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "":
		return Default, false
	case s == "zh" || strings.HasPrefix(s, "zh-") || strings.HasPrefix(s, "zh_"):
		return Chinese, true
	case s == "en" || strings.HasPrefix(s, "en-") || strings.HasPrefix(s, "en_"):
		return English, true
	}
	return Default, false
}

// Choose picks the language of a request: the remembered choice (the
// language cookie) when it names one, else the best match of the
// Accept-Language header, else Chinese.
func Choose(remembered, acceptLanguage string) Lang {
	if l, ok := ParseLang(remembered); ok {
		return l
	}
	if acceptLanguage == "" {
		return Default
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, index, confidence := matcher.Match(tags...)
	if confidence == language.No {
		return Default
	}
	if index == 1 {
		return English
	}
	return Chinese
}

// tag is the language tag of the catalogs and number formatting.
func (l Lang) tag() language.Tag {
	if l == English {
		return language.English
	}
	return language.SimplifiedChinese
}

// Name is the language's own name, for the switch.
func (l Lang) Name() string {
	if l == English {
		return "English"
	}
	return "中文"
}
