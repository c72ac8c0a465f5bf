package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
)

//go:embed static
var staticFiles embed.FS

// assets serves the embedded static files. Pages link them with a
// fingerprint (?v=…) of their content, so that a browser may keep them a
// year and still sees a new version at once; text assets are gzipped once,
// on first request, and kept (ECharts shrinks from 1.1 MB to about 370 kB).
type assets struct {
	files map[string]asset // by path under static/
}

type asset struct {
	body    []byte
	version string
	mime    string
	gzOnce  *sync.Once
	gz      *[]byte
}

func loadAssets() (*assets, error) {
	a := &assets{files: map[string]asset{}}
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ctype := mime.TypeByExtension(path.Ext(p))
		if ctype == "" {
			ctype = "text/plain; charset=utf-8"
		}
		a.files[strings.TrimPrefix(p, "static/")] = asset{body: body, version: hex.EncodeToString(sum[:6]), mime: ctype,
			gzOnce: new(sync.Once), gz: new([]byte)}
		return nil
	})
	return a, err
}

// url returns the fingerprinted URL of a static file; it panics on a name
// that is not embedded, so that a typo fails the page tests.
func (a *assets) url(name string) string {
	f, ok := a.files[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return "/static/" + name + "?v=" + f.version
}

func (a *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("path")
	f, ok := a.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.mime)
	h.Set("X-Content-Type-Options", "nosniff")
	if r.URL.Query().Get("v") == f.version {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	etag := `"` + f.version + `"`
	h.Set("ETag", etag)
	h.Add("Vary", "Accept-Encoding")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.body
	if compressible(f.mime) && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		f.gzOnce.Do(func() { *f.gz = gzipped(f.body) })
		body = *f.gz
		h.Set("Content-Encoding", "gzip")
	}
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "javascript") || strings.Contains(ctype, "json")
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}
