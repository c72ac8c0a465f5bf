package outreach

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPConfig is the mail server e-mails go through, read from
// PARKDESK_SMTP_URL and PARKDESK_SMTP_FROM.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	// TLS is how the connection is secured: "starttls" when the server
	// offers it (smtp://, the default), "starttls-required"
	// (smtp://…?tls=required), "none" (smtp://…?tls=none) or "implicit"
	// (smtps://).
	TLS  string
	From string
}

// ParseSMTPURL reads a mail server's URL: smtp://[user:password@]host[:port]
// with an optional ?tls=required or ?tls=none, or smtps:// for TLS from the
// first byte. The port defaults to 25 for smtp and 465 for smtps. from is
// the sender's address.
func ParseSMTPURL(raw, from string) (SMTPConfig, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return SMTPConfig{}, errors.New("is not a URL such as smtp://127.0.0.1:2525")
	}
	c := SMTPConfig{Host: u.Hostname()}
	switch u.Scheme {
	case "smtp":
		c.Port, c.TLS = 25, "starttls"
		switch v := u.Query().Get("tls"); v {
		case "":
		case "required":
			c.TLS = "starttls-required"
		case "none":
			c.TLS = "none"
		default:
			return SMTPConfig{}, fmt.Errorf("tls=%s is not one of required, none", v)
		}
	case "smtps":
		c.Port, c.TLS = 465, "implicit"
	default:
		return SMTPConfig{}, fmt.Errorf("scheme %q is not smtp or smtps", u.Scheme)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return SMTPConfig{}, fmt.Errorf("port %q is not a port", p)
		}
		c.Port = n
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	from = strings.TrimSpace(from)
	if from == "" {
		return SMTPConfig{}, errors.New("needs a sender: set PARKDESK_SMTP_FROM")
	}
	if _, err := mail.ParseAddress(from); err != nil {
		return SMTPConfig{}, fmt.Errorf("sender %q is not an e-mail address", from)
	}
	c.From = from
	return c, nil
}

// EmailSender sends packages as multipart e-mails (plain text and HTML,
// each in Chinese then English) through an SMTP server.
type EmailSender struct {
	Config SMTPConfig
	// Timeout bounds one conversation with the server; 0 means 30 seconds.
	Timeout time.Duration
}

// Send sends one e-mail. Its Message-ID is made of the idempotency key, so
// that a repeat after a crash is recognisably the same message.
func (s *EmailSender) Send(ctx context.Context, out Outgoing) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.Config.From); err != nil {
		return Permanent(fmt.Errorf("the sender address: %w", err))
	}
	if err := msg.To(out.Target); err != nil {
		return Permanent(fmt.Errorf("the recipient address is not valid"))
	}
	msg.Subject(out.Message.Subject)
	msg.SetMessageIDWithValue(out.Message.Key + "@" + messageIDDomain(s.Config.From))
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, out.Message.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, out.Message.HTML)

	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	opts := []gomail.Option{gomail.WithPort(s.Config.Port), gomail.WithTimeout(timeout)}
	switch s.Config.TLS {
	case "implicit":
		opts = append(opts, gomail.WithSSL())
	case "starttls-required":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.Config.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.Config.Username), gomail.WithPassword(s.Config.Password))
	}
	client, err := gomail.NewClient(s.Config.Host, opts...)
	if err != nil {
		return Permanent(fmt.Errorf("the SMTP configuration: %w", err))
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return smtpError(err)
	}
	return nil
}

// smtpError classifies a failure to send: a 5xx reply for the recipient is
// permanent, the rest (a connection refused, a 4xx) worth retrying. The
// server's reply is kept; it names no secret.
func smtpError(err error) error {
	var sendErr *gomail.SendError
	if errors.As(err, &sendErr) && !sendErr.IsTemp() && sendErr.Reason == gomail.ErrSMTPRcptTo {
		return Permanent(fmt.Errorf("the mail server refused the recipient: %w", err))
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return fmt.Errorf("the mail server did not answer: %w", err)
	}
	return fmt.Errorf("sending the e-mail: %w", err)
}

// messageIDDomain is the right-hand side of Message-IDs: the sender's
// domain, so that the ids are unique to this park.
func messageIDDomain(from string) string {
	if a, err := mail.ParseAddress(from); err == nil {
		if _, domain, ok := strings.Cut(a.Address, "@"); ok {
			return domain
		}
	}
	return "parkdesk.invalid"
}
