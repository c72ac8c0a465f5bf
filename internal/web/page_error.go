package web

import (
	"net/http"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// errorPageData is the page of an error: a heading and an explanation in
// the reader's language, the error's own message where it tells what to
// fix (bad input, a conflict), and the problems of bad input.
type errorPageData struct {
	Page
	Status   int
	Heading  string
	Message  string
	Problems []apperr.Problem
}

func (s *Server) errorPage(r *http.Request, e *apperr.Error, status int) errorPageData {
	page := s.newPage(r, "")
	l := page.L
	d := errorPageData{Page: page, Status: status, Problems: e.Problems}
	switch e.Code {
	case apperr.Invalid, apperr.Conflict:
		d.Heading = l.T("error.heading." + string(e.Code))
		d.Message = l.Refusal(e.Message)
	case apperr.NotFound, apperr.Forbidden, apperr.Unauthorized, apperr.TooLarge, apperr.Unavailable:
		d.Heading = l.T("error.heading." + string(e.Code))
		d.Message = l.T("error.text." + string(e.Code))
	default:
		d.Heading = l.T("error.heading.internal")
		d.Message = l.T("error.text.internal")
	}
	return d
}
