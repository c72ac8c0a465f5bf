package outreach

import (
	"context"
	"log/slog"
	"unicode/utf8"

	"github.com/parkdesk/parkdesk/internal/auth"
)

// SMSProvider sends a text message through an SMS gateway (Alibaba Cloud,
// Tencent Cloud, a carrier's). key is the delivery's idempotency key, for
// gateways that accept one.
type SMSProvider interface {
	SendSMS(ctx context.Context, phone, text, key string) error
}

// LogSMS is the SMS provider for development: it logs the message, with the
// number masked, instead of sending it.
type LogSMS struct {
	Logger *slog.Logger
}

// SendSMS logs the message.
func (l LogSMS) SendSMS(_ context.Context, phone, text, key string) error {
	logger := l.Logger
	if logger == nil {
		logger = slog.Default()
	}
	logger.Info("SMS (logged, not sent)", "to", auth.Mask(phone), "key", key, "chars", utf8.RuneCountInString(text), "text", text)
	return nil
}

// SMSSender delivers packages as text messages through a provider.
type SMSSender struct {
	Provider SMSProvider
}

// Send sends the message's short form.
func (s *SMSSender) Send(ctx context.Context, out Outgoing) error {
	return s.Provider.SendSMS(ctx, out.Target, out.Message.SMS, out.Message.Key)
}
