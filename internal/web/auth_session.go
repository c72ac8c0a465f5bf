package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// The cookies of authentication. The session cookie holds the random token
// whose hash keys the session row; the pre-session cookie gives a visitor
// who has not signed in a secret to bind the sign-in form's CSRF token to.
const (
	sessionCookie    = "parkdesk_session"
	preSessionCookie = "parkdesk_pre"
)

// authState is what the authenticate middleware learnt of a request,
// kept for the CSRF check and token.
type authState struct {
	// csrfKey is the secret the request's CSRF token derives from: the
	// session token when signed in, else the pre-session token.
	csrfKey string
	// bearer: the request carried an API token, not a cookie, so that no
	// browser could have sent it on another site's behalf.
	bearer bool
	// session: the request carries a live session cookie.
	session bool
}

type authStateKey struct{}

func stateOf(r *http.Request) authState {
	st, _ := r.Context().Value(authStateKey{}).(authState)
	return st
}

// authenticate loads who is asking into the request's context: the API
// token of an Authorization header (only under /api/), else the session
// cookie, else nobody. A bad API token is refused at once, with 401: the
// caller meant to authenticate. A session that ended only clears its
// cookie: the visitor goes on as anonymous and is asked to sign in.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		addr := s.clientAddr(r)
		var st authState
		p := auth.Principal{ClientAddr: addr}
		switch header := r.Header.Get("Authorization"); {
		case header != "" && strings.HasPrefix(r.URL.Path, "/api/"):
			tp, err := s.deps.Auth.TokenPrincipal(ctx, header, addr)
			if err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="parkdesk", error="invalid_token"`)
				s.apiError(w, r, err)
				return
			}
			p, st.bearer = tp, true
		default:
			if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
				sp, _, err := s.deps.Auth.SessionPrincipal(ctx, c.Value, addr)
				switch {
				case err == nil:
					p, st.csrfKey, st.session = sp, c.Value, true
				case statusOf(err) == http.StatusUnauthorized:
					s.clearSessionCookie(w, r)
				case errors.Is(err, store.ErrBusy):
					if strings.HasPrefix(r.URL.Path, "/api/") {
						s.apiError(w, r, err)
					} else {
						s.pageError(w, r, err)
					}
					return
				default:
					s.deps.Logger.Error("load session", "err", err)
					http.Error(w, "internal error", http.StatusInternalServerError)
					return
				}
			}
			if st.csrfKey == "" && !strings.HasPrefix(r.URL.Path, "/static/") && !strings.HasPrefix(r.URL.Path, "/api/") {
				// Pages only: a static file's response may be cached, and an
				// API client without a session has nothing to protect.
				st.csrfKey = s.preSession(w, r)
			}
		}
		ctx = auth.WithPrincipal(ctx, p)
		ctx = context.WithValue(ctx, authStateKey{}, st)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// preSession returns the visitor's pre-session token, setting the cookie
// when the visitor has none (or a malformed one).
func (s *Server) preSession(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(preSessionCookie); err == nil && validPreSession(c.Value) {
		return c.Value
	}
	token := newPreSessionToken()
	http.SetCookie(w, &http.Cookie{Name: preSessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	return token
}

// setSessionCookie starts a browser session. The cookie has no Max-Age:
// it goes with the browser, and the server's idle and absolute limits
// decide when the session ends anyway.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
}

// secure reports whether cookies must be Secure: the request came over
// TLS, or the configuration says a TLS proxy stands in front.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || s.deps.SecureCookies
}

// clientAddr is the address the audit log and the sign-in throttle see:
// the peer's, or, behind a reverse proxy the configuration names, the
// header that proxy sets. The header is trusted only when configured: a
// client could otherwise pick an address for every attempt.
func (s *Server) clientAddr(r *http.Request) string {
	if h := s.deps.ClientIPHeader; h != "" {
		if v := strings.TrimSpace(r.Header.Get(h)); v != "" {
			// X-Forwarded-For lists hops; the last is the one our proxy saw.
			if i := strings.LastIndexByte(v, ','); i >= 0 {
				v = strings.TrimSpace(v[i+1:])
			}
			if ip := net.ParseIP(v); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
