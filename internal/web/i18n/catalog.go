package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

//go:embed catalog/*.json
var catalogFiles embed.FS

// entry is one message of a catalog file: a plain string, or for a message
// with a count the forms by plural category ("one", "other"; Chinese needs
// only "other").
type entry struct {
	text  string
	forms map[string]string
}

func (e *entry) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &e.text)
	}
	return json.Unmarshal(b, &e.forms)
}

// The catalogs are parsed once: the files are part of the binary, so a
// broken one is a programming error that the tests catch at once.
var builtCatalog, catalogKeys = mustBuildCatalog()

func mustBuildCatalog() (catalog.Catalog, map[Lang][]string) {
	cat, keys, err := buildCatalog()
	if err != nil {
		panic(err)
	}
	return cat, keys
}

func buildCatalog() (catalog.Catalog, map[Lang][]string, error) {
	b := catalog.NewBuilder(catalog.Fallback(Default.tag()))
	keys := map[Lang][]string{}
	for _, l := range Langs {
		// The language's catalog, then the catalogs of features kept in
		// files of their own (zh-CN.touch.json), so that features add
		// messages without editing one shared file.
		files, err := fs.Glob(catalogFiles, "catalog/"+string(l)+".*.json")
		if err != nil {
			return nil, nil, fmt.Errorf("i18n: %w", err)
		}
		files = append([]string{"catalog/" + string(l) + ".json"}, files...)
		for _, file := range files {
			if strings.HasSuffix(file, ".reasons.json") {
				continue // the refusal catalog, keyed by English text (refusal.go)
			}
			raw, err := catalogFiles.ReadFile(file)
			if err != nil {
				return nil, nil, fmt.Errorf("i18n: %w", err)
			}
			var entries map[string]entry
			if err := json.Unmarshal(raw, &entries); err != nil {
				return nil, nil, fmt.Errorf("i18n: %s: %w", file, err)
			}
			for key, e := range entries {
				if slices.Contains(keys[l], key) {
					return nil, nil, fmt.Errorf("i18n: %s: %s is defined twice", file, key)
				}
				if err := setEntry(b, l, key, e); err != nil {
					return nil, nil, fmt.Errorf("i18n: %s: %s: %w", file, key, err)
				}
				keys[l] = append(keys[l], key)
			}
		}
		slices.Sort(keys[l])
	}
	return b, keys, nil
}

func setEntry(b *catalog.Builder, l Lang, key string, e entry) error {
	if e.forms == nil {
		return b.SetString(l.tag(), key, e.text)
	}
	other, ok := e.forms["other"]
	if !ok {
		return fmt.Errorf(`a message with plural forms needs "other"`)
	}
	cases := []any{}
	for _, form := range []string{"zero", "one", "two", "few", "many"} {
		if text, ok := e.forms[form]; ok {
			cases = append(cases, pluralForm(form), text)
		}
	}
	cases = append(cases, plural.Other, other)
	return b.Set(l.tag(), key, plural.Selectf(1, "%d", cases...))
}

func pluralForm(name string) plural.Form {
	switch name {
	case "zero":
		return plural.Zero
	case "one":
		return plural.One
	case "two":
		return plural.Two
	case "few":
		return plural.Few
	}
	return plural.Many
}

// Keys returns the message keys of a language's catalog, sorted.
func Keys(l Lang) []string { return slices.Clone(catalogKeys[l]) }

// has reports whether the catalog of l defines key.
func has(l Lang, key string) bool {
	_, found := slices.BinarySearch(catalogKeys[l], key)
	return found
}

func newPrinter(l Lang) *message.Printer {
	return message.NewPrinter(l.tag(), message.Catalog(builtCatalog))
}
