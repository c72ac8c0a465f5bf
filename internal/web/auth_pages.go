package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/web/i18n"
)

// The sign-in, sign-out, password and reset pages. Their texts are picked
// with L.Pick from the zh and en given here and in the templates
// (templates/pages/auth_*.html); auth's own messages are in English and are
// translated by authMessage.

type loginPageData struct {
	Page
	Login  string
	Next   string
	Error  string
	Notice string
}

type passwordPageData struct {
	Page
	Error    string
	Problems []string
	Done     bool
}

type resetPageData struct {
	Page
	Token    string
	Login    string
	Invite   bool
	Invalid  bool
	Error    string
	Problems []string
}

// loginForm shows the sign-in form, or sends a signed-in visitor home.
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	if p := auth.FromContext(r.Context()); p.IsUser() {
		http.Redirect(w, r, home(p), http.StatusSeeOther)
		return nil
	}
	d := loginPageData{Page: s.newPage(r, ""), Next: localNext(r.URL.Query().Get("next"))}
	switch r.URL.Query().Get("done") {
	case "logout":
		d.Notice = d.L.Pick("您已退出登录。", "You have signed out.")
	case "reset":
		d.Notice = d.L.Pick("密码已设置，请用新密码登录。", "Your password is set: sign in with it.")
	}
	s.render(w, r, http.StatusOK, "auth_login", d)
	return nil
}

// login checks the credentials and starts a session. Every failure shows
// the form again with one message; which of login or password was wrong is
// not said.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Errorf(apperr.Invalid, "the form could not be read")
	}
	d := loginPageData{Page: s.newPage(r, ""), Login: r.PostFormValue("login"), Next: localNext(r.PostFormValue("next"))}
	creds, err := auth.ParseLoginForm(r.PostForm)
	if err != nil {
		d.Error = d.L.Pick("请填写登录名和密码。", "Enter your login and password.")
		s.render(w, r, http.StatusUnprocessableEntity, "auth_login", d)
		return nil
	}
	ctx := r.Context()
	previous := auth.FromContext(ctx)
	token, p, err := s.deps.Auth.Login(ctx, creds, previous.ClientAddr)
	if err != nil {
		if statusOf(err) != http.StatusUnauthorized {
			return err
		}
		d.Error = loginFailure(d.L, err, s.now())
		s.render(w, r, http.StatusUnauthorized, "auth_login", d)
		return nil
	}
	// Whoever was signed in on this browser is signed out: one browser,
	// one session, and no session of before the sign-in survives it.
	if previous.SessionID != "" {
		if err := s.deps.Auth.Logout(ctx, previous); err != nil {
			return err
		}
	}
	s.setSessionCookie(w, r, token)
	next := d.Next
	if next == "" {
		next = home(p)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func loginFailure(l *i18n.Localizer, err error, now time.Time) string {
	var lock *auth.LockoutError
	if errors.As(err, &lock) {
		// A slow-down is seconds; a lockout minutes or hours.
		if wait := lock.Until.Sub(now); wait <= 2*time.Minute {
			secs := strconv.Itoa(int(wait.Round(time.Second).Seconds()) + 1)
			return l.Pick("登录失败次数过多，请 "+secs+" 秒后再试。", "Too many failed sign-ins: try again in "+secs+" seconds.")
		}
		at := lock.Until.UTC().Format("15:04")
		return l.Pick("登录失败次数过多，请于 "+at+"（UTC）之后再试。", "Too many failed sign-ins: try again after "+at+" UTC.")
	}
	return l.Pick("登录名或密码错误。", "Wrong login or password.")
}

// logout ends the session and goes back to the sign-in page.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.deps.Auth.Logout(r.Context(), auth.FromContext(r.Context())); err != nil {
		return err
	}
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/login?done=logout", http.StatusSeeOther)
	return nil
}

// passwordForm shows the form to change one's password.
func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) error {
	if err := auth.Can(auth.FromContext(r.Context()), auth.ChangeOwnPassword, auth.Resource{}); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "auth_password", passwordPageData{Page: s.newPage(r, ""), Done: r.URL.Query().Get("done") == "1"})
	return nil
}

// changePassword changes it; the user's other sessions end.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	p := auth.FromContext(r.Context())
	if err := auth.Can(p, auth.ChangeOwnPassword, auth.Resource{}); err != nil {
		return err
	}
	d := passwordPageData{Page: s.newPage(r, "")}
	next := r.PostFormValue("password")
	if next != r.PostFormValue("confirm") {
		d.Error = d.L.Pick("两次输入的新密码不一致。", "The two new passwords differ.")
		s.render(w, r, http.StatusUnprocessableEntity, "auth_password", d)
		return nil
	}
	err := s.deps.Auth.ChangePassword(r.Context(), p, r.PostFormValue("current"), next)
	if err != nil {
		status := statusOf(err)
		if status == http.StatusInternalServerError || status == http.StatusForbidden {
			return err
		}
		d.Error, d.Problems = passwordFailure(d.L, err, s.now())
		s.render(w, r, status, "auth_password", d)
		return nil
	}
	http.Redirect(w, r, "/account/password?done=1", http.StatusSeeOther)
	return nil
}

// resetForm shows the form of an invitation or reset link.
func (s *Server) resetForm(w http.ResponseWriter, r *http.Request) error {
	d := resetPageData{Page: s.newPage(r, ""), Token: r.URL.Query().Get("token")}
	u, purpose, err := s.deps.Auth.LinkUser(r.Context(), d.Token)
	if err != nil {
		if statusOf(err) != http.StatusNotFound {
			return err
		}
		d.Invalid, d.Token = true, ""
		s.render(w, r, http.StatusNotFound, "auth_reset", d)
		return nil
	}
	d.Login, d.Invite = u.Login, purpose == auth.Invite
	s.render(w, r, http.StatusOK, "auth_reset", d)
	return nil
}

// reset sets the password through the link and sends the user to sign in.
func (s *Server) reset(w http.ResponseWriter, r *http.Request) error {
	d := resetPageData{Page: s.newPage(r, ""), Token: r.PostFormValue("token")}
	u, purpose, err := s.deps.Auth.LinkUser(r.Context(), d.Token)
	if err != nil {
		if statusOf(err) != http.StatusNotFound {
			return err
		}
		d.Invalid, d.Token = true, ""
		s.render(w, r, http.StatusNotFound, "auth_reset", d)
		return nil
	}
	d.Login, d.Invite = u.Login, purpose == auth.Invite
	password := r.PostFormValue("password")
	if password != r.PostFormValue("confirm") {
		d.Error = d.L.Pick("两次输入的密码不一致。", "The two passwords differ.")
		s.render(w, r, http.StatusUnprocessableEntity, "auth_reset", d)
		return nil
	}
	if _, err := s.deps.Auth.UseLink(r.Context(), d.Token, password, auth.FromContext(r.Context()).ClientAddr); err != nil {
		switch statusOf(err) {
		case http.StatusNotFound:
			d.Invalid, d.Token = true, ""
			s.render(w, r, http.StatusNotFound, "auth_reset", d)
			return nil
		case http.StatusUnprocessableEntity:
			d.Error, d.Problems = passwordFailure(d.L, err, s.now())
			s.render(w, r, http.StatusUnprocessableEntity, "auth_reset", d)
			return nil
		}
		return err
	}
	http.Redirect(w, r, "/login?done=reset", http.StatusSeeOther)
	return nil
}

// passwordFailure words a refused password in the page's language.
func passwordFailure(l *i18n.Localizer, err error, now time.Time) (string, []string) {
	var lock *auth.LockoutError
	if errors.As(err, &lock) {
		return loginFailure(l, err, now), nil
	}
	var problems []string
	for _, p := range apperr.ProblemsOf(err) {
		if p.Field == "current_password" {
			return l.Pick("当前密码不正确。", "Your current password is not right."), nil
		}
		problems = append(problems, l.Refusal(p.Reason))
	}
	return l.Pick("新密码不够安全：", "The new password is too weak:"), problems
}

// localNext is the page to go to after signing in: a path of this site,
// never another site (an open redirect would make our sign-in page a
// phishing aid), and never the sign-in page itself.
func localNext(next string) string {
	if next == "" {
		return ""
	}
	p := localPath(next)
	if p == "/" || p == "/login" || strings.HasPrefix(p, "/login?") {
		return ""
	}
	return p
}
