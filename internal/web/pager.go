package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// Paging is the page of a list a request asks for: ?page=N (from 1) and
// ?per=N (bounded, so that nobody can ask for the whole registry at once).
type Paging struct {
	Page, Per int
}

const (
	defaultPer = 25
	maxPer     = 200
)

// pagingOf reads the paging parameters; bad values fall back to defaults
// rather than failing a page someone bookmarked.
func pagingOf(q url.Values) Paging {
	p := Paging{Page: 1, Per: defaultPer}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 0 && n <= 1_000_000 {
		p.Page = n
	}
	if n, err := strconv.Atoi(q.Get("per")); err == nil && n > 0 {
		p.Per = min(n, maxPer)
	}
	return p
}

// Offset is the number of rows before the page.
func (p Paging) Offset() int { return (p.Page - 1) * p.Per }

// Pager is what the pager partial shows under a list.
type Pager struct {
	Loc                *i18n.Localizer
	Page, Pages, Total int
	From, To           int
	HasPrev, HasNext   bool
	PrevHref, NextHref string
	// Target is the element an htmx click replaces ("" for plain links).
	Target string
}

func newPager(r *http.Request, p Paging, total int, target string) Pager {
	pages := max(1, (total+p.Per-1)/p.Per)
	pg := Pager{Loc: localizer(r), Page: p.Page, Pages: pages, Total: total, Target: target,
		From: min(total, p.Offset()+1), To: min(total, p.Offset()+p.Per)}
	if p.Page > 1 {
		pg.HasPrev = true
		pg.PrevHref = withParam(r.URL, "page", strconv.Itoa(min(p.Page-1, pages)))
	}
	if p.Page < pages {
		pg.HasNext = true
		pg.NextHref = withParam(r.URL, "page", strconv.Itoa(p.Page+1))
	}
	return pg
}
