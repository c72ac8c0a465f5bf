package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// config is the effective configuration, read once from the environment and
// the flags and passed down; nothing below main reads either.
type config struct {
	DB   string `json:"db"`
	Addr string `json:"addr"`
	// Policies is the policy directory; "" takes ./policies when it exists,
	// else the library built into the binary (see effectivePolicies).
	Policies string `json:"policies"`
	// PolicyLocal is a file of the park's local values of policy parameters
	// (policy.ReadLocalValues), applied wherever policies are loaded.
	PolicyLocal string `json:"policy_local,omitempty"`
	// LogLevel (debug, info, warn, error) and LogFormat (text, json) shape
	// the log on standard error; json suits a log collector.
	LogLevel  string `json:"log_level"`
	LogFormat string `json:"log_format"`
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
	c := config{DB: "parkdesk.db", Addr: "127.0.0.1:8080", LogLevel: "info", LogFormat: "text"}
	if v := getenv("PARKDESK_DB"); v != "" {
		c.DB = v
	}
	c.Policies = getenv("PARKDESK_POLICIES")
	c.PolicyLocal = getenv("PARKDESK_POLICY_LOCAL")
	if v := getenv("PARKDESK_LOG_LEVEL"); v != "" {
		c.LogLevel = v
	}
	if v := getenv("PARKDESK_LOG_FORMAT"); v != "" {
		c.LogFormat = v
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
	fs.StringVar(&c.Policies, "policies", c.Policies,
		"the policy directory (env PARKDESK_POLICIES; default: ./policies if present, else the policies built in)")
	fs.StringVar(&c.PolicyLocal, "policy-local", c.PolicyLocal,
		"a file of the park's local values of policy parameters, e.g. a raised job-retention rate (env PARKDESK_POLICY_LOCAL)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "log level: debug, info, warn or error (env PARKDESK_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", c.LogFormat, "log format: text or json (env PARKDESK_LOG_FORMAT)")
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
	if _, err := c.logLevel(); err != nil {
		return err
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return apperr.Errorf(apperr.Invalid, "--log-format %q is neither text nor json", c.LogFormat)
	}
	return nil
}

func (c *config) logLevel() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return 0, apperr.Errorf(apperr.Invalid, "--log-level %q is not one of debug, info, warn, error", c.LogLevel)
	}
	return l, nil
}

// newLogger makes the log the configuration asks for, on w.
func (c *config) newLogger(w io.Writer) *slog.Logger {
	level, _ := c.logLevel() // checked by validate
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// effectivePolicies is where the policies come from: the directory given,
// ./policies when it exists, or the library built into the binary ("").
func (c *config) effectivePolicies() string {
	if c.Policies != "" {
		return c.Policies
	}
	if info, err := os.Stat(defaultPolicyDir); err == nil && info.IsDir() {
		return defaultPolicyDir
	}
	return ""
}

// masked returns a copy safe to print: passwords in URLs are replaced, and
// the policy directory is the one commands use ("built in" for the
// library in the binary).
func (c config) masked() config {
	c.DB = maskURL(c.DB)
	c.Outreach.SMTPURL = maskURL(c.Outreach.SMTPURL)
	c.Policies = c.effectivePolicies()
	if c.Policies == "" {
		c.Policies = "built in"
	}
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
