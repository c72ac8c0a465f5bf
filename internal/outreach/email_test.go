package outreach

import "testing"

func TestParseSMTPURL(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, url, from string
		want            SMTPConfig // zero when refused
	}{
		{"a local server", "smtp://127.0.0.1:2525", "a@park.cn", SMTPConfig{Host: "127.0.0.1", Port: 2525, TLS: "starttls", From: "a@park.cn"}},
		{"default port", "smtp://mail.park.cn", "a@park.cn", SMTPConfig{Host: "mail.park.cn", Port: 25, TLS: "starttls", From: "a@park.cn"}},
		{"TLS required", "smtp://mail.park.cn:587?tls=required", "a@park.cn", SMTPConfig{Host: "mail.park.cn", Port: 587, TLS: "starttls-required", From: "a@park.cn"}},
		{"no TLS", "smtp://mail.park.cn?tls=none", "a@park.cn", SMTPConfig{Host: "mail.park.cn", Port: 25, TLS: "none", From: "a@park.cn"}},
		{"implicit TLS with a login", "smtps://bot%40park.cn:p%40ss@mail.park.cn", "政策服务 <a@park.cn>",
			SMTPConfig{Host: "mail.park.cn", Port: 465, Username: "bot@park.cn", Password: "p@ss", TLS: "implicit", From: "政策服务 <a@park.cn>"}},
		{"another scheme", "http://mail.park.cn", "a@park.cn", SMTPConfig{}},
		{"a bad tls", "smtp://mail.park.cn?tls=maybe", "a@park.cn", SMTPConfig{}},
		{"a bad port", "smtp://mail.park.cn:99999", "a@park.cn", SMTPConfig{}},
		{"no host", "smtp://", "a@park.cn", SMTPConfig{}},
		{"no sender", "smtp://127.0.0.1:25", "", SMTPConfig{}},
		{"a bad sender", "smtp://127.0.0.1:25", "not an address", SMTPConfig{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseSMTPURL(c.url, c.from)
			if (err != nil) != (c.want == SMTPConfig{}) || got != c.want {
				t.Errorf("ParseSMTPURL(%q, %q) = %+v, %v; want %+v", c.url, c.from, got, err, c.want)
			}
		})
	}
}
