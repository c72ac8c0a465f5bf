package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// errNotFound answers a request for something that does not exist or
// that the principal may not know exists: the two look the same, so that
// an id edited in a URL reveals nothing.
var errNotFound = apperr.Errorf(apperr.NotFound, "not found")

// handlerFunc is a page or API handler: it writes its response, or returns
// an error and writes nothing, and the one adapter below renders the error.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// page adapts a handler of an HTML page: errors become a page in the
// request's language, and an anonymous visitor is sent to sign in.
func (s *Server) page(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.pageError(w, r, err)
		}
	})
}

// api adapts a handler of the JSON API: errors become the JSON form of
// apperr.Error with the matching status.
func (s *Server) api(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.apiError(w, r, err)
		}
	})
}

// statusOf maps an error's code to an HTTP status. store.ErrNotFound that
// escaped a domain package is a not-found too: it can only come from a
// lookup by an id the request named.
func statusOf(err error) int {
	if errors.Is(err, store.ErrNotFound) {
		return http.StatusNotFound
	}
	if errors.Is(err, store.ErrBusy) {
		// Another writer (an import) holds the database past the waits
		// of the store: the request did nothing and may be sent again.
		return http.StatusServiceUnavailable
	}
	switch apperr.CodeOf(err) {
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.TooLarge:
		return http.StatusRequestEntityTooLarge
	case apperr.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// publicError is what a user may see of err: its own code and message for
// an *apperr.Error, "internal error" otherwise. Internal errors are logged
// here with their detail, once.
func (s *Server) publicError(r *http.Request, err error) *apperr.Error {
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		s.deps.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		return &apperr.Error{Code: apperr.Internal, Message: "internal error"}
	}
	if errors.Is(err, store.ErrBusy) {
		s.deps.Logger.Warn("database busy", "method", r.Method, "path", r.URL.Path, "err", err)
		return &apperr.Error{Code: apperr.Unavailable, Message: "the database is busy writing a large change (an import, say): try again in a few seconds"}
	}
	var e *apperr.Error
	if errors.As(err, &e) {
		return e
	}
	return &apperr.Error{Code: apperr.NotFound, Message: "not found"}
}

// retryAfter is what a 503 tells the client to wait, in seconds.
const retryAfter = "5"

func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	e := s.publicError(r, err)
	if e.Code == apperr.Unavailable {
		w.Header().Set("Retry-After", retryAfter)
	}
	writeJSON(w, statusOf(err), struct {
		Error *apperr.Error `json:"error"`
	}{e})
}

func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status == http.StatusUnauthorized && r.Method == http.MethodGet && r.Header.Get("HX-Request") == "" {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	e := s.publicError(r, err)
	if e.Code == apperr.Unavailable {
		w.Header().Set("Retry-After", retryAfter)
	}
	if r.Header.Get("HX-Request") != "" {
		// htmx swaps error responses only when told to: say where.
		w.Header().Set("HX-Retarget", "#flash")
		w.Header().Set("HX-Reswap", "innerHTML")
		s.renderFragment(w, r, status, "error", "error-box", s.errorPage(r, e, status))
		return
	}
	s.render(w, r, status, "error", s.errorPage(r, e, status))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// signedIn returns who asks, refusing nobody.
func signedIn(r *http.Request) (auth.Principal, error) {
	p := principal(r)
	if !p.Authenticated() {
		return p, auth.ErrUnauthenticated
	}
	return p, nil
}

// pathID reads the {id} of the path; an id that is not a number is a page
// that does not exist.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// signedInAt returns who asks and the {id} of the path, for the handlers
// of one record.
func signedInAt(r *http.Request) (auth.Principal, int64, error) {
	p, err := signedIn(r)
	if err != nil {
		return p, 0, err
	}
	id, err := pathID(r)
	return p, id, err
}
