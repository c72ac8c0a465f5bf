package auth

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

func TestParseLoginForm(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		wantLogin string
		wantPass  string
		wantField string // the field of the first problem, "" when valid
	}{
		{"plain", "login=zhang%40park.cn&password=violet+sky", "zhang@park.cn", "violet sky", ""},
		{"login normalised", "login=+Zhang%40Park.CN+&password=x", "zhang@park.cn", "x", ""},
		{"full-width login", "login=%EF%BD%9A%EF%BD%88%EF%BD%81%EF%BD%8E%EF%BD%87&password=x", "zhang", "x", ""},
		{"password kept as typed", "login=zhang&password=+Spaces+Around+", "zhang", " Spaces Around ", ""},
		{"missing login", "password=x", "", "", "login"},
		{"blank login", "login=+++&password=x", "", "", "login"},
		{"missing password", "login=zhang", "", "", "password"},
		{"control character in login", "login=zh%00ang&password=x", "", "", "login"},
		{"invalid UTF-8 password", "login=zhang&password=%FF%FE", "", "", "password"},
		{"password too long", "login=zhang&password=" + strings.Repeat("a", MaxPasswordBytes+1), "", "", "password"},
		{"login too long", "login=" + strings.Repeat("a", MaxLoginLength+1) + "&password=x", "", "", "login"},
		{"login given twice", "login=a&login=b&password=x", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form, err := url.ParseQuery(tt.body)
			if err != nil {
				t.Fatal(err)
			}
			c, err := ParseLoginForm(form)
			valid := tt.wantLogin != ""
			if valid {
				if err != nil || c.Login != tt.wantLogin || c.Password != tt.wantPass {
					t.Fatalf("ParseLoginForm = %+v, %v; want login %q password %q", c, err, tt.wantLogin, tt.wantPass)
				}
				return
			}
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("ParseLoginForm = %+v, %v; want an invalid error", c, err)
			}
			if p := apperr.ProblemsOf(err); tt.wantField != "" && (len(p) == 0 || p[0].Field != tt.wantField) {
				t.Errorf("problems = %+v, want the first on %s", p, tt.wantField)
			}
		})
	}
}

func FuzzParseLoginForm(f *testing.F) {
	f.Add("login=zhang%40park.cn&password=violet+sky")
	f.Add("login=%EF%BD%9A&password=%FF")
	f.Add("login=a&login=b&password=")
	f.Add("login=%E2%84%AA&password=x") // KELVIN SIGN, which NFKC turns into K
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		c, err := ParseLoginForm(form)
		if err != nil {
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Fatalf("error of code %s, want invalid: %v", apperr.CodeOf(err), err)
			}
			return
		}
		if c.Login == "" || c.Password == "" || !utf8.ValidString(c.Login) || len(c.Password) > MaxPasswordBytes {
			t.Fatalf("accepted %+v", c)
		}
		if NormalizeLogin(c.Login) != c.Login {
			t.Fatalf("login %q is not normalised: %q", c.Login, NormalizeLogin(c.Login))
		}
	})
}
