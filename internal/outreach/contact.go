package outreach

import (
	"context"
	"errors"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/parkdesk/parkdesk/internal/apperr"
	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/store"
)

// Contact is an enterprise's liaison as the outbox reaches them, and the
// channels they chose. The portal inbox is always on.
type Contact struct {
	EnterpriseID int64
	Name         string
	Email        string
	Phone        string
	ByEmail      bool
	BySMS        bool
	ByWeCom      bool
	ByDingTalk   bool
	// WeComWebhook and DingTalkWebhook are the enterprise's own group
	// robots. Their URLs carry the robot's key, so they are contact data.
	WeComWebhook    string
	DingTalkWebhook string
	// DingTalkSecret signs DingTalk requests. It is written, never read
	// back: Contact returns DingTalkSigned instead.
	DingTalkSecret string
	DingTalkSigned bool
	UpdatedBy      string
	UpdatedAt      time.Time
}

// Channels lists the channels a package to this contact goes by: the
// portal, and each channel chosen that has somewhere to go.
func (c Contact) Channels() []Channel {
	out := []Channel{Portal}
	for _, ch := range Channels[1:] {
		if c.target(ch) != "" {
			out = append(out, ch)
		}
	}
	return out
}

// target is where a delivery by ch goes, "" when the liaison did not choose
// it or gave no address for it.
func (c Contact) target(ch Channel) string {
	switch ch {
	case Portal:
		return "portal"
	case Email:
		if c.ByEmail {
			return c.Email
		}
	case SMS:
		if c.BySMS {
			return c.Phone
		}
	case WeCom:
		if c.ByWeCom {
			return c.WeComWebhook
		}
	case DingTalk:
		if c.ByDingTalk {
			return c.DingTalkWebhook
		}
	}
	return ""
}

// masked returns the contact as actor may see it: whole for whoever may see
// the enterprise's contact data, else with the address parts masked and the
// webhook keys hidden.
func (c Contact) masked(actor auth.Principal, res auth.Resource) Contact {
	if auth.Can(actor, auth.ViewContact, res) == nil {
		return c
	}
	c.Name, c.Email, c.Phone = auth.Mask(c.Name), auth.Mask(c.Email), auth.Mask(c.Phone)
	c.WeComWebhook, c.DingTalkWebhook = maskWebhook(c.WeComWebhook), maskWebhook(c.DingTalkWebhook)
	return c
}

// maskWebhook keeps a webhook's host, which says which robot it is, and
// drops its key.
func maskWebhook(s string) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return "***"
	}
	return u.Scheme + "://" + u.Host + "/***"
}

const contactColumns = `enterprise_id, name, email, phone, by_email, by_sms, by_wecom, by_dingtalk,
	wecom_webhook, dingtalk_webhook, dingtalk_secret, updated_by, updated_at`

func scanContact(row interface{ Scan(...any) error }, c *Contact) error {
	err := row.Scan(&c.EnterpriseID, &c.Name, &c.Email, &c.Phone, &c.ByEmail, &c.BySMS, &c.ByWeCom, &c.ByDingTalk,
		&c.WeComWebhook, &c.DingTalkWebhook, &c.DingTalkSecret, &c.UpdatedBy, store.ScanTime(&c.UpdatedAt))
	c.DingTalkSigned = c.DingTalkSecret != ""
	return err
}

// loadContact reads an enterprise's contact with its secret; an enterprise
// without one has the zero Contact (portal only).
func loadContact(ctx context.Context, q store.Queryer, enterpriseID int64) (Contact, error) {
	var c Contact
	err := scanContact(q.QueryRow(ctx, "SELECT "+contactColumns+" FROM outreach_contacts WHERE enterprise_id = ?", enterpriseID), &c)
	if errors.Is(err, store.ErrNotFound) {
		return Contact{EnterpriseID: enterpriseID}, nil
	}
	return c, err
}

// Contact returns the enterprise's liaison contact and channel choices as
// actor may see them (see auth.MaskContact); never the DingTalk secret.
func (s *Service) Contact(ctx context.Context, actor auth.Principal, enterpriseID int64) (Contact, error) {
	e, err := enterpriseOf(ctx, s.DB, enterpriseID)
	if err != nil {
		return Contact{}, err
	}
	if err := auth.Can(actor, auth.ViewEnterprise, e.resource()); err != nil {
		if apperr.CodeOf(err) == apperr.Unauthorized {
			return Contact{}, err
		}
		return Contact{}, errNotFound("enterprise")
	}
	c, err := loadContact(ctx, s.DB, enterpriseID)
	if err != nil {
		return Contact{}, err
	}
	c.DingTalkSecret = ""
	return c.masked(actor, e.resource()), nil
}

// mayEditContact: the liaison of the enterprise, or an officer who handles
// its packages.
func mayEditContact(actor auth.Principal, e enterpriseRef) error {
	if auth.Can(actor, auth.AnswerPackage, e.resource()) == nil {
		return nil
	}
	return mayManage(actor, e)
}

// KeepSecret, given as a contact's DingTalkSecret to SetContact, keeps the
// secret already stored: forms do not show it, so an empty field would
// otherwise erase it.
const KeepSecret = "\x00keep"

// SetContact writes the enterprise's contact and channel choices. The
// liaison sets them in the portal, an officer on the liaison's behalf. A
// liaison's webhooks must be the official robot endpoints over HTTPS; an
// officer may point them at another HTTP(S) gateway of the park's own.
func (s *Service) SetContact(ctx context.Context, actor auth.Principal, c Contact) error {
	return s.DB.InTx(ctx, func(tx *store.Tx) error {
		e, err := enterpriseOf(ctx, tx, c.EnterpriseID)
		if err != nil {
			return err
		}
		if err := mayEditContact(actor, e); err != nil {
			return err
		}
		before, err := loadContact(ctx, tx, c.EnterpriseID)
		if err != nil {
			return err
		}
		if c.DingTalkSecret == KeepSecret {
			c.DingTalkSecret = before.DingTalkSecret
		}
		officialOnly := actor.Role == auth.RoleEnterprise
		if problems := c.normalize(officialOnly); len(problems) > 0 {
			return apperr.InvalidInput("the contact is not valid", problems...)
		}
		c.UpdatedBy, c.UpdatedAt = actor.Label, s.now()
		_, err = tx.Exec(ctx, `INSERT INTO outreach_contacts (`+contactColumns+`)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (enterprise_id) DO UPDATE SET name = excluded.name, email = excluded.email, phone = excluded.phone,
	by_email = excluded.by_email, by_sms = excluded.by_sms, by_wecom = excluded.by_wecom, by_dingtalk = excluded.by_dingtalk,
	wecom_webhook = excluded.wecom_webhook, dingtalk_webhook = excluded.dingtalk_webhook, dingtalk_secret = excluded.dingtalk_secret,
	updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			c.EnterpriseID, c.Name, c.Email, c.Phone, c.ByEmail, c.BySMS, c.ByWeCom, c.ByDingTalk,
			c.WeComWebhook, c.DingTalkWebhook, c.DingTalkSecret, c.UpdatedBy, store.FormatTime(c.UpdatedAt))
		if err != nil {
			return err
		}
		return auth.Audit(ctx, tx, auth.Entry{Actor: actor, Action: "outreach.contact", ObjectType: "enterprise",
			ObjectID: itoa(c.EnterpriseID), Before: before.audited(), After: c.audited(), At: c.UpdatedAt})
	})
}

// audited is the contact as the audit log keeps it: the channel choices and
// which addresses are set, masked, and never the secret.
func (c Contact) audited() map[string]any {
	return map[string]any{
		"name": auth.Mask(c.Name), "email": auth.Mask(c.Email), "phone": auth.Mask(c.Phone),
		"by_email": c.ByEmail, "by_sms": c.BySMS, "by_wecom": c.ByWeCom, "by_dingtalk": c.ByDingTalk,
		"wecom_webhook": maskWebhook(c.WeComWebhook), "dingtalk_webhook": maskWebhook(c.DingTalkWebhook),
		"dingtalk_signed": c.DingTalkSecret != "",
	}
}

// mainlandMobile is an 11-digit mainland mobile number.
var mainlandMobile = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// The official endpoints of the group robots.
const (
	weComHost    = "qyapi.weixin.qq.com"
	dingTalkHost = "oapi.dingtalk.com"
)

// normalize trims the contact and reports what is wrong with it. A channel
// chosen needs its address.
func (c *Contact) normalize(officialOnly bool) []apperr.Problem {
	var problems []apperr.Problem
	bad := func(field, reason string) { problems = append(problems, apperr.Problem{Field: field, Reason: reason}) }
	c.Name = strings.TrimSpace(c.Name)
	c.Email = strings.TrimSpace(c.Email)
	c.Phone = strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(c.Phone))
	c.Phone = strings.TrimPrefix(strings.TrimPrefix(c.Phone, "+86"), "0086")
	c.WeComWebhook = strings.TrimSpace(c.WeComWebhook)
	c.DingTalkWebhook = strings.TrimSpace(c.DingTalkWebhook)
	c.DingTalkSecret = strings.TrimSpace(c.DingTalkSecret)
	if len(c.Name) > 100 {
		bad("name", "is longer than 100 bytes")
	}
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email || len(c.Email) > 254 {
			bad("email", "is not an e-mail address such as name@example.com")
		}
	}
	if c.Phone != "" && !mainlandMobile.MatchString(c.Phone) {
		bad("phone", "is not an 11-digit mainland mobile number")
	}
	if reason := checkWebhook(c.WeComWebhook, weComHost, officialOnly); reason != "" {
		bad("wecom_webhook", reason)
	}
	if reason := checkWebhook(c.DingTalkWebhook, dingTalkHost, officialOnly); reason != "" {
		bad("dingtalk_webhook", reason)
	}
	if len(c.DingTalkSecret) > 200 {
		bad("dingtalk_secret", "is longer than 200 bytes")
	}
	for _, need := range []struct {
		chosen bool
		value  string
		field  string
	}{{c.ByEmail, c.Email, "email"}, {c.BySMS, c.Phone, "phone"}, {c.ByWeCom, c.WeComWebhook, "wecom_webhook"}, {c.ByDingTalk, c.DingTalkWebhook, "dingtalk_webhook"}} {
		if need.chosen && need.value == "" {
			bad(need.field, "is needed for the channel chosen")
		}
	}
	return problems
}

// checkWebhook says what is wrong with a robot's URL, "" when nothing. The
// server posts to it, so a liaison may name only the official endpoint:
// anything else would let a portal user make the server call hosts of the
// park's own network.
func checkWebhook(s, officialHost string, officialOnly bool) string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || (u.Scheme != "https" && u.Scheme != "http") || len(s) > 500 {
		return "is not an http(s) URL"
	}
	if officialOnly && (u.Scheme != "https" || u.Host != officialHost) {
		return "must be the robot's address at https://" + officialHost
	}
	return ""
}
