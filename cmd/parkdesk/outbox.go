package main

import (
	"log/slog"
	"net/url"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/outreach"
	"github.com/parkdesk/parkdesk/internal/store"
)

// outreachConfig is how benefit packages go out, from the environment.
type outreachConfig struct {
	// SMTPURL is the mail server (PARKDESK_SMTP_URL), e.g.
	// smtp://127.0.0.1:2525 or smtps://user:password@mail.example.com;
	// "" sends no e-mail: e-mail deliveries wait for a run that has one.
	SMTPURL  string `json:"smtp_url"`
	SMTPFrom string `json:"smtp_from"` // PARKDESK_SMTP_FROM
	// SMS is the SMS provider (PARKDESK_SMS): "log" logs the messages for
	// development; "" sends none.
	SMS string `json:"sms"`
	// PublicURL is the app's address as enterprises reach it
	// (PARKDESK_PUBLIC_URL), for the link in messages; "" leaves it out.
	PublicURL string `json:"public_url"`
}

func outreachFromEnv(getenv func(string) string) outreachConfig {
	return outreachConfig{
		SMTPURL:   strings.TrimSpace(getenv("PARKDESK_SMTP_URL")),
		SMTPFrom:  strings.TrimSpace(getenv("PARKDESK_SMTP_FROM")),
		SMS:       strings.TrimSpace(getenv("PARKDESK_SMS")),
		PublicURL: strings.TrimSpace(getenv("PARKDESK_PUBLIC_URL")),
	}
}

// defaultSMTPFrom is the sender when PARKDESK_SMTP_FROM is not set.
const defaultSMTPFrom = "parkdesk@localhost"

// newOutbox checks the outreach configuration and makes the outbox with the
// channels it configures. It is checked here, not for every command: a bad
// mail server URL should not stop `parkdesk migrate`.
func newOutbox(cfg *config, db *store.DB, logger *slog.Logger) (*outreach.Outbox, error) {
	oc := cfg.Outreach
	senders := map[outreach.Channel]outreach.Sender{
		outreach.WeCom:    &outreach.WebhookSender{Kind: outreach.WeCom},
		outreach.DingTalk: &outreach.WebhookSender{Kind: outreach.DingTalk},
	}
	if oc.SMTPURL != "" {
		from := oc.SMTPFrom
		if from == "" {
			from = defaultSMTPFrom
		}
		smtp, err := outreach.ParseSMTPURL(oc.SMTPURL, from)
		if err != nil {
			return nil, apperr.Errorf(apperr.Invalid, "PARKDESK_SMTP_URL %s %s", maskURL(oc.SMTPURL), err)
		}
		senders[outreach.Email] = &outreach.EmailSender{Config: smtp}
	}
	switch oc.SMS {
	case "":
	case "log":
		senders[outreach.SMS] = &outreach.SMSSender{Provider: outreach.LogSMS{Logger: logger}}
	default:
		return nil, apperr.Errorf(apperr.Invalid, "PARKDESK_SMS %q is not a provider: \"log\" logs the messages (development)", oc.SMS)
	}
	portal := ""
	if oc.PublicURL != "" {
		u, err := url.Parse(oc.PublicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, apperr.Errorf(apperr.Invalid, "PARKDESK_PUBLIC_URL %q is not an http(s) URL", oc.PublicURL)
		}
		portal = strings.TrimSuffix(u.String(), "/") + "/portal/inbox"
	}
	return &outreach.Outbox{DB: db, Senders: senders, PortalURL: portal, Logger: logger}, nil
}
