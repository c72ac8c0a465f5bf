package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/strictjson"
)

// Request bodies are limited per route before anything reads them: before
// the session is looked up, before the CSRF check, before a handler parses
// a form. A body that says it is larger than its route's limit is refused at
// once with 413; one that turns out larger while it is read (chunked, or
// lying about its length) is cut off at the limit and refused the same way.
// Only multipart uploads are streamed to their handler; every other body is
// at most a few hundred kilobytes and is read here, whole, so that every
// handler sees either a complete body or none, and JSON bodies of the API
// are refused when an object gives a key twice.

// defaultBodyLimit bounds the body of every route not in bodyLimits: sign-in
// and every other form, and the JSON calls of the API.
const defaultBodyLimit = 256 << 10

// bodyLimits are the routes that take more than defaultBodyLimit, by the
// pattern they are registered with. A route that takes uploads must be
// listed here, or its uploads are refused above 256 KB
// (TestUploadFormsHaveLimits holds the templates' upload forms to it).
var bodyLimits = map[string]int64{
	"POST /import":                        maxUpload,
	"POST /policies/simulate":             maxDraft + 64<<10,
	"POST /outreach/grants":               maxGrantFile + 64<<10,
	"POST /tech/import":                   maxUpload,
	"POST /admin/calendar":                maxCalendarFile + 16<<10,
	"POST /projects/import":               maxUpload,
	"POST /appeals/{id}/attachments":      maxAttachmentBody,
	"POST /api/v1/enterprises/{id}/facts": maxFactsBody,
}

// bodyLimit returns the limit of the route the request goes to.
func (s *Server) bodyLimit(r *http.Request) int64 {
	_, pattern := s.mux.Handler(r)
	if n, ok := bodyLimits[pattern]; ok {
		return n
	}
	return defaultBodyLimit
}

// limitBodies applies the route's limit to the request's body.
func (s *Server) limitBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		limit := s.bodyLimit(r)
		if r.ContentLength > limit {
			s.refuseTooLarge(w, r, limit)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if isMultipart(r) {
			// Streamed to the handler, which reports a body cut off at
			// the limit with tooLarge.
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			if isTooLarge(err) {
				s.refuseTooLarge(w, r, limit)
				return
			}
			// The client went away or sent a broken body.
			http.Error(w, "the request body could not be read", http.StatusBadRequest)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			// encoding/json keeps the last of two equal keys: the
			// handlers would act on whichever the client wrote last.
			var dup *strictjson.DuplicateKeyError
			if errors.As(strictjson.Check(body), &dup) {
				s.apiError(w, r, apperr.InvalidInput("the request body gives a key twice: give each key once",
					apperr.Problem{Field: dup.Where(), Reason: dup.Error()}))
				return
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

// removeUploads removes the temporary files of the multipart form a handler
// parsed, on every path out of it. The server removes those of the request
// it made, but the handlers parse a copy of it (the middleware adds to the
// context), whose files it does not know: it sits right around the routes,
// where the request is the one the handlers see.
func removeUploads(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if r.MultipartForm != nil {
				_ = r.MultipartForm.RemoveAll()
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func isMultipart(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "multipart/form-data"
}

func isTooLarge(err error) bool {
	var tooBig *http.MaxBytesError
	return errors.As(err, &tooBig)
}

// tooLarge is the error of a body cut off at limit, for the handlers that
// parse uploads; any other error of theirs is returned as it is.
func tooLarge(err error, limit int64) error {
	if !isTooLarge(err) {
		return err
	}
	return apperr.Errorf(apperr.TooLarge, "the request is larger than %s, the most this page accepts: split the file and send the parts one by one", sizeText(limit))
}

func (s *Server) refuseTooLarge(w http.ResponseWriter, r *http.Request, limit int64) {
	// The rest of the body is not read: the connection is closed after
	// the answer instead of draining what may be gigabytes.
	w.Header().Set("Connection", "close")
	err := tooLarge(&http.MaxBytesError{Limit: limit}, limit)
	if strings.HasPrefix(r.URL.Path, "/api/") {
		s.apiError(w, r, err)
		return
	}
	s.pageError(w, r, err)
}

// sizeText writes a limit as people read it: 64 MB, 256 KB.
func sizeText(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", n>>10)
}
