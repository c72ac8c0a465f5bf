package web

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
)

// CSRF protection: every state-changing request made with a cookie must
// carry a token in the form field csrf_token or the X-CSRF-Token header
// (htmx sends it from the layout's hx-headers). The token is an HMAC of the
// session's secret (or, before sign-in, of the pre-session cookie's), so a
// page of another site, which can make the browser send our cookies but
// cannot read them or our pages, cannot know it; and it needs no storage.
// Go's CrossOriginProtection also refuses cross-origin browser requests by
// their Sec-Fetch-Site and Origin headers, a second lock on the same door.
//
// The token of a multipart form (an upload) must be its first field, as
// every form of the app writes it: it is read from the stream without
// parsing the rest of the body, so that a refused request costs no more
// than its first few kilobytes, and nothing is written to disk for it.
//
// Requests with an API token are exempt: a browser never adds an
// Authorization header on its own. So are API requests without a session,
// which carry no authority at all. Sign-in forms are not exempt: a forged
// sign-in would put the victim into the attacker's account.

const (
	csrfField  = "csrf_token"
	csrfHeader = "X-CSRF-Token"
)

// csrfToken returns the token the request's forms must carry.
func (s *Server) csrfToken(r *http.Request) string {
	st := stateOf(r)
	if st.csrfKey == "" {
		return ""
	}
	return csrfFor(st.csrfKey)
}

func csrfFor(key string) string {
	mac := hmac.New(sha256.New, []byte(key))
	mac.Write([]byte("parkdesk csrf v1"))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// checkCSRF refuses, with 403, a state-changing request whose token is
// missing or wrong.
func (s *Server) checkCSRF(next http.Handler) http.Handler {
	crossOrigin := http.NewCrossOriginProtection()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		st := stateOf(r)
		if st.bearer || !st.session && strings.HasPrefix(r.URL.Path, "/api/") {
			// No cookie speaks for the request: there is nothing a forged
			// request could borrow.
			next.ServeHTTP(w, r)
			return
		}
		if err := crossOrigin.Check(r); err != nil {
			s.refuseCSRF(w, r)
			return
		}
		got := r.Header.Get(csrfHeader)
		if got == "" {
			got = formCSRF(r)
		}
		if st.csrfKey == "" || got == "" || !hmac.Equal([]byte(got), []byte(csrfFor(st.csrfKey))) {
			s.refuseCSRF(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) refuseCSRF(w http.ResponseWriter, r *http.Request) {
	const msg = "the form has expired or did not come from this site: reload the page and try again"
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, http.StatusForbidden, map[string]any{"error": map[string]string{"code": "forbidden", "message": msg}})
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write([]byte(msg + "\n"))
}

// newPreSessionToken returns 256 random bits for the pre-session cookie.
func newPreSessionToken() string {
	return rand.Text() + rand.Text()
}

// validPreSession accepts what newPreSessionToken makes: 52 characters of
// base32.
func validPreSession(s string) bool {
	if len(s) != 52 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// formCSRF returns the token of the request's form: the csrf_token field of
// an urlencoded body (which is then parsed, as handlers would), or the
// first part of a multipart body (which is left for the handler to parse).
func formCSRF(r *http.Request) string {
	if !isMultipart(r) {
		return r.PostFormValue(csrfField)
	}
	return multipartCSRF(r)
}

// maxCSRFPrefix bounds what is read of a multipart body to find its first
// part: the token part is a hundred bytes, the headers before it fewer.
const maxCSRFPrefix = 16 << 10

// multipartCSRF reads the first part of a multipart body and returns its
// value when it is the csrf_token field. The bytes read are put back in
// front of the rest of the body, so that the handler parses the whole form.
func multipartCSRF(r *http.Request) string {
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return ""
	}
	var seen bytes.Buffer
	body := r.Body
	prefix := io.TeeReader(io.LimitReader(body, maxCSRFPrefix), &seen)
	defer func() {
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(seen.Bytes()), body), body}
	}()
	part, err := multipart.NewReader(prefix, params["boundary"]).NextPart()
	if err != nil || part.FormName() != csrfField || part.FileName() != "" {
		return ""
	}
	value, err := io.ReadAll(io.LimitReader(part, 256))
	if err != nil {
		return ""
	}
	return string(value)
}
