package outreach

import (
	"context"
	"errors"
)

// Sender delivers messages by one channel.
type Sender interface {
	Send(ctx context.Context, out Outgoing) error
}

// Outgoing is one delivery to send.
type Outgoing struct {
	Channel Channel
	// Target is where it goes: an e-mail address, a mobile number, a
	// webhook URL.
	Target string
	// Secret signs the request where the channel does (DingTalk).
	Secret  string
	Message Message
}

// permanentError is a failure that retrying will not cure: an address the
// server refuses, a robot that no longer exists.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as a failure that retrying will not cure: the
// delivery is dead at once instead of after its retries.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

func isPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// portalSender delivers to the portal inbox: the package is there once
// delivered, so there is nothing to send.
type portalSender struct{}

func (portalSender) Send(context.Context, Outgoing) error { return nil }
