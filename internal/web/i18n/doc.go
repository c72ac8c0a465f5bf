// Package i18n holds the web app's languages: the message catalogs (one
// JSON file per language, embedded), the choice of language for a request
// (a remembered choice first, then Accept-Language, then Chinese), and the
// formatting of numbers, money, dates and periods the way each language
// writes them (万 and 亿 in Chinese).
//
// Templates get a *Localizer in their page struct and call it:
//
//	{{.L.T "nav.dashboard"}}  {{.L.N "enterprises.count" .Total}}  {{.L.Money .Amount}}
//
// A key missing from a catalog renders as ⟦key⟧, which the page tests look
// for, and a test holds the catalogs to the same keys.
package i18n
