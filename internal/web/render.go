package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
)

//go:embed templates
var templateFiles embed.FS

// views are the parsed templates: one set per page, each the shared layout
// and partials plus the page's own file, parsed once at start-up.
type views struct {
	pages map[string]*template.Template
}

func parseViews(a *assets) (*views, error) {
	funcs := template.FuncMap{
		"asset": a.url,
		// json writes a value for a data-* attribute; html/template escapes
		// it for the attribute, and app.js parses it.
		"json": func(v any) (string, error) {
			b, err := json.Marshal(v)
			return string(b), err
		},
		"add": func(a, b int) int { return a + b },
		"sub": func(a, b int) int { return a - b },
		// with returns the current query with one parameter set (removed
		// when value is ""), and page reset when another parameter changes.
		"with":         withParam,
		"itoa":         strconv.Itoa,
		"resultsBlock": newResultsBlock,
		"nearGuide":    newNearGuide,
		"list3":        func(a, b, c string) []string { return []string{a, b, c} },
		"lower":        strings.ToLower,
		// unit names a dictionary unit in the page's language (元 → yuan).
		"unit": unitLabel,
		// choice names a value of an enum or bool field (general → 一般纳税人).
		"choice": choiceLabel,
		// bytesLabel is a file's size (2.4 MB).
		"bytesLabel": bytesLabel,
	}
	base, err := template.New("layout").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFiles, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	v := &views{pages: map[string]*template.Template{}}
	for _, file := range names {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if t, err = t.ParseFS(templateFiles, file); err != nil {
			return nil, err
		}
		v.pages[strings.TrimSuffix(path.Base(file), ".html")] = t
	}
	return v, nil
}

var bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes the page name, whole, with the status. The page is
// rendered into a buffer first, so that a template error becomes a 500
// and not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	s.execute(w, r, status, name, "layout", data)
}

// renderFragment writes one template of a page without the layout: the
// part an htmx request swaps in.
func (s *Server) renderFragment(w http.ResponseWriter, r *http.Request, status int, name, fragment string, data any) {
	s.execute(w, r, status, name, fragment, data)
}

func (s *Server) execute(w http.ResponseWriter, r *http.Request, status int, name, tmpl string, data any) {
	t, ok := siteViews.pages[name]
	if !ok {
		s.deps.Logger.Error("no such page template", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	buf := bufferPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufferPool.Put(buf)
	if err := t.ExecuteTemplate(buf, tmpl, data); err != nil {
		s.deps.Logger.Error("render failed", "page", name, "template", tmpl, "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	s.writeHTML(w, status, buf.Bytes())
}

// writeHTML writes a rendered page or fragment with the headers of one.
func (s *Server) writeHTML(w http.ResponseWriter, status int, b []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Add("Vary", "Cookie, Accept-Language, HX-Request")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// isHTMX reports whether the request came from htmx, which wants a fragment.
func isHTMX(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") == ""
}

// withParam returns "?query" of u with key set to value (or removed when
// value is empty); changing anything but the page starts at page 1.
func withParam(u *url.URL, key, value string) string {
	q := u.Query()
	if value == "" {
		q.Del(key)
	} else {
		q.Set(key, value)
	}
	if key != "page" {
		q.Del("page")
	}
	enc := q.Encode()
	if enc == "" {
		return u.Path
	}
	return u.Path + "?" + enc
}

// siteAssets and siteViews are parsed once, when the program starts: they
// are part of the binary and never change, so a broken template is a
// programming error that every test of the package reports at once.
var (
	siteAssets = mustAssets()
	siteViews  = mustViews(siteAssets)
)

func mustAssets() *assets {
	a, err := loadAssets()
	if err != nil {
		panic(fmt.Sprintf("web: static files: %v", err))
	}
	return a
}

func mustViews(a *assets) *views {
	v, err := parseViews(a)
	if err != nil {
		panic(fmt.Sprintf("web: templates: %v", err))
	}
	return v
}
