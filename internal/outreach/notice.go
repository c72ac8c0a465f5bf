package outreach

import (
	"context"
	"database/sql"
	"fmt"
	"html"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parkdesk/parkdesk/internal/store"
)

// Notice is a message the outbox delivers that is not a benefit package:
// another capability's news for an enterprise or for a third party (a
// technology holder told of an introduction). It goes, like a package, once
// per channel, with retries, and is never sent twice.
type Notice struct {
	// Kind names the capability's message ("tech_introduction").
	Kind string
	// EnterpriseID is the enterprise it is for: it goes by that
	// enterprise's channels (the portal inbox always). 0 for a notice only
	// to Others.
	EnterpriseID int64
	Subject      string
	// Body is plain text; the e-mail's HTML part is made from it.
	Body string
	// Link is where to read more, relative to the portal's address.
	Link string
	// Others are further recipients outside the registry, by e-mail or SMS.
	Others []Recipient
}

// Recipient is an address outside the registry.
type Recipient struct {
	Channel Channel // Email or SMS
	Target  string
}

// QueueNotice records a notice and its deliveries in the caller's
// transaction, so that the notice goes out exactly when the change it
// tells of commits. It returns the notice's id.
func QueueNotice(ctx context.Context, tx *store.Tx, n Notice, now time.Time) (int64, error) {
	if n.Kind == "" || n.Subject == "" {
		return 0, fmt.Errorf("outreach: a notice needs a kind and a subject")
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO outreach_notices (kind, enterprise_id, subject, body, link, created_at)
VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, n.Kind, nullInt(n.EnterpriseID), n.Subject, n.Body, n.Link, store.FormatTime(now)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("outreach: queue notice: %w", err)
	}
	type delivery struct {
		ch     Channel
		target string
	}
	var ds []delivery
	if n.EnterpriseID != 0 {
		c, err := loadContact(ctx, tx, n.EnterpriseID)
		if err != nil {
			return 0, err
		}
		for _, ch := range c.Channels() {
			ds = append(ds, delivery{ch, c.target(ch)})
		}
	}
	for _, r := range n.Others {
		if (r.Channel == Email || r.Channel == SMS) && strings.TrimSpace(r.Target) != "" {
			ds = append(ds, delivery{r.Channel, strings.TrimSpace(r.Target)})
		}
	}
	for i, d := range ds {
		key := fmt.Sprintf("notice-%d-%s-%d", id, d.ch, i)
		if _, err := tx.Exec(ctx, `INSERT INTO outreach_deliveries (notice_id, channel, idem_key, target, created_at)
VALUES (?, ?, ?, ?, ?)`, id, string(d.ch), key, d.target, store.FormatTime(now)); err != nil {
			return 0, fmt.Errorf("outreach: queue notice: %w", err)
		}
	}
	return id, nil
}

func nullInt(v int64) sql.NullInt64 { return sql.NullInt64{Int64: v, Valid: v != 0} }

// claimNotice fills out with the notice's message, for claim.
func claimNotice(ctx context.Context, tx *store.Tx, noticeID int64, key string, out *Outgoing) error {
	var enterprise sql.NullInt64
	var subject, body, link string
	err := tx.QueryRow(ctx, "SELECT enterprise_id, subject, body, link FROM outreach_notices WHERE id = ?", noticeID).
		Scan(&enterprise, &subject, &body, &link)
	if isNotFound(err) {
		return notFoundError{"notice"}
	}
	if err != nil {
		return err
	}
	if out.Channel == DingTalk && enterprise.Valid {
		c, err := loadContact(ctx, tx, enterprise.Int64)
		if err != nil {
			return err
		}
		out.Secret = c.DingTalkSecret
	}
	text := body
	if link != "" {
		text += "\n\n" + link
	}
	var h strings.Builder
	for _, para := range strings.Split(text, "\n") {
		if strings.TrimSpace(para) != "" {
			h.WriteString("<p>" + html.EscapeString(para) + "</p>\n")
		}
	}
	sms := subject + "：" + body
	if utf8.RuneCountInString(sms) > 200 {
		sms = string([]rune(sms)[:199]) + "…"
	}
	out.Message = Message{Key: key, Subject: subject, Text: text + "\n\n" + key, HTML: h.String(), Markdown: "### " + subject + "\n\n" + text, SMS: sms}
	return nil
}
