package web

import (
	"bytes"
	"context"
	"html/template"
	"net/http"
	"strings"
	"sync"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// fragmentCache keeps rendered parts of the busiest pages (an enterprise's
// profile, results and facts; a page of the registry's list), so that
// fifty people opening them cost a lookup and not the queries and the
// templating (html/template's reflection was about half of an enterprise
// page's CPU).
//
// A part is kept under a key naming everything it was rendered from that
// is not in the database: the page, the reader's language, the reader's
// visibility (auth.Principal.ViewKey: principals with different rights
// never share a part) and what the URL asked. With it goes the key of the
// database's change counters it depends on, read BEFORE the data: a write
// on any instance moves a counter, and the next request renders afresh.
// Nothing per session (the CSRF token, the signed-in name) is ever in a
// part: the layout around it is rendered for each request.
type fragmentCache struct {
	mu    sync.Mutex
	m     map[string]*fragment
	bytes int // the size of every part kept
	max   int
}

// fragment is one kept rendering.
type fragment struct {
	stamp int64 // the change counters' key when the data were read
	parts []template.HTML
	extra any // what the handler needs besides (the enterprise's profile for the title)
	size  int
}

// fragmentBudget bounds the memory of the parts: about 1,500 enterprise
// pages of 130 facts. A full cache drops entries at random, which keeps
// the hot ones likely and needs no bookkeeping per hit.
const fragmentBudget = 64 << 20

func newFragmentCache(max int) *fragmentCache {
	return &fragmentCache{m: map[string]*fragment{}, max: max}
}

// get returns the parts kept under key if they were rendered under stamp.
func (c *fragmentCache) get(key string, stamp int64) (*fragment, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.m[key]
	if !ok || f.stamp != stamp {
		return nil, false
	}
	return f, true
}

// put keeps parts under key. A newer stamp replaces an older one; an older
// never replaces a newer (a slow request finishing after a fast one).
func (c *fragmentCache) put(key string, f *fragment) {
	for _, p := range f.parts {
		f.size += len(p)
	}
	f.size += len(key)
	if f.size > c.max/8 {
		return // not worth crowding out the rest
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[key]; ok {
		if old.stamp > f.stamp {
			return
		}
		c.bytes -= old.size
		delete(c.m, key)
	}
	for k, v := range c.m {
		if c.bytes+f.size <= c.max {
			break
		}
		c.bytes -= v.size
		delete(c.m, k)
	}
	c.m[key] = f
	c.bytes += f.size
}

// fragmentKey joins what a part was rendered for.
func fragmentKey(r *http.Request, page string, p auth.Principal, rest ...string) string {
	var b strings.Builder
	b.WriteString(page)
	b.WriteByte('\x00')
	b.WriteString(string(localizer(r).Lang()))
	b.WriteByte('\x00')
	b.WriteString(p.ViewKey())
	for _, s := range rest {
		b.WriteByte('\x00')
		b.WriteString(s)
	}
	return b.String()
}

// counterStamp reads the change counters a part depends on; it must be
// read before the data the part is rendered from.
func (s *Server) counterStamp(ctx context.Context, names ...string) (int64, error) {
	return store.CounterKey(ctx, s.deps.Store, names...)
}

// renderPart renders one template of a page into HTML that a page's
// struct carries into the layout. Parts are rendered by html/template in
// the context they are shown in (element content), so they are safe as
// they stand.
func renderPart(page, tmpl string, data any) (template.HTML, error) {
	t, ok := siteViews.pages[page]
	if !ok {
		return "", errNoTemplate(page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, tmpl, data); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

type errNoTemplate string

func (e errNoTemplate) Error() string { return "web: no page template " + string(e) }
