package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// config is the effective configuration, read once from the environment and
// the flags and passed down; nothing below main reads either.
type config struct {
	DB   string `json:"db"`
	Addr string `json:"addr"`
	// SecureCookies marks cookies Secure behind a TLS-terminating proxy
	// (they are Secure anyway on a TLS request).
	SecureCookies bool `json:"secure_cookies"`
	// ClientIPHeader is the header a reverse proxy puts the client's
	// address in; empty trusts none (see web.Deps).
	ClientIPHeader string `json:"client_ip_header"`
	// Outreach: the channels benefit packages go out by (see outbox.go).
	Outreach outreachConfig `json:"outreach"`
}

func defaultConfig(getenv func(string) string) config {
	c := config{DB: "parkdesk.db", Addr: "127.0.0.1:8080"}
	if v := getenv("PARKDESK_DB"); v != "" {
		c.DB = v
	}
	if v := getenv("PARKDESK_ADDR"); v != "" {
		c.Addr = v
	}
	switch strings.ToLower(getenv("PARKDESK_SECURE_COOKIES")) {
	case "1", "true", "yes":
		c.SecureCookies = true
	}
	c.ClientIPHeader = getenv("PARKDESK_CLIENT_IP_HEADER")
	c.Outreach = outreachFromEnv(getenv)
	return c
}

func (c *config) declareGlobal(fs *flag.FlagSet) {
	fs.StringVar(&c.DB, "db", c.DB, "database: a SQLite file path or a postgres:// URL (env PARKDESK_DB)")
}

func (c *config) declareAddr(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", c.Addr, "address to listen on (env PARKDESK_ADDR)")
}

// declareProxy declares the flags of serving behind a reverse proxy.
func (c *config) declareProxy(fs *flag.FlagSet) {
	fs.BoolVar(&c.SecureCookies, "secure-cookies", c.SecureCookies,
		"mark cookies Secure: a TLS-terminating proxy stands in front (env PARKDESK_SECURE_COOKIES=1)")
	fs.StringVar(&c.ClientIPHeader, "client-ip-header", c.ClientIPHeader,
		"header the reverse proxy puts the client's address in, e.g. X-Real-IP; empty trusts none (env PARKDESK_CLIENT_IP_HEADER)")
}

func (c *config) validate() error {
	if strings.TrimSpace(c.DB) == "" {
		return apperr.Errorf(apperr.Invalid, "--db is empty: give a SQLite file path or a postgres:// URL")
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return apperr.Errorf(apperr.Invalid, "--addr %q is not host:port: %v", c.Addr, err)
	}
	return nil
}

// masked returns a copy safe to print: passwords in URLs are replaced.
func (c config) masked() config {
	c.DB = maskURL(c.DB)
	c.Outreach.SMTPURL = maskURL(c.Outreach.SMTPURL)
	return c
}

func maskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func configCommand() command {
	return command{
		name:    "config",
		summary: "Print the effective configuration as JSON, secrets masked.",
		setup: func(fs *flag.FlagSet, cfg *config) func(context.Context, env, []string) error {
			cfg.declareAddr(fs)
			return func(_ context.Context, e env, args []string) error {
				if len(args) > 0 {
					return usagef("config takes no arguments")
				}
				if err := writeJSON(e.stdout, cfg.masked()); err != nil {
					return fmt.Errorf("config: %w", err)
				}
				return nil
			}
		},
	}
}
