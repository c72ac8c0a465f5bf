package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// langCookie remembers the language chosen with the switch, for a year.
const langCookie = "parkdesk_lang"

type langKey struct{}

// withLang chooses the language of a request once: the remembered switch,
// then Accept-Language, then Chinese.
func withLang(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := r.Context().Value(langKey{}).(i18n.Lang); ok {
			next.ServeHTTP(w, r)
			return
		}
		remembered := ""
		if c, err := r.Cookie(langCookie); err == nil {
			remembered = c.Value
		}
		lang := i18n.Choose(remembered, r.Header.Get("Accept-Language"))
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), langKey{}, lang)))
	})
}

// localizer returns the Localizer of the request's language.
func localizer(r *http.Request) *i18n.Localizer {
	if lang, ok := r.Context().Value(langKey{}).(i18n.Lang); ok {
		return i18n.For(lang)
	}
	remembered := ""
	if c, err := r.Cookie(langCookie); err == nil {
		remembered = c.Value
	}
	return i18n.For(i18n.Choose(remembered, r.Header.Get("Accept-Language")))
}

// switchLang remembers the language in a cookie and goes back to the page
// the switch was on. It is a GET link so that it works on every page,
// signed in or not, without a form; it changes nothing but a preference.
func (s *Server) switchLang(w http.ResponseWriter, r *http.Request) error {
	lang, ok := i18n.ParseLang(r.PathValue("lang"))
	if !ok {
		return errNotFound
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(lang), Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
	return nil
}

// localPath returns next when it is a path of this site, else "/": a
// redirect target from a query must not send anyone elsewhere.
func localPath(next string) string {
	// Browsers drop tabs and newlines from URLs and read a backslash as a
	// slash, so "/\t/evil.example" would become "//evil.example": refuse
	// control characters and backslashes anywhere.
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "/"
	}
	return next
}
