package web

import (
	"net/http"
	"strconv"

	"github.com/parkdesk/parkdesk/internal/outreach"
)

// portalInboxPage is the liaison's inbox: the benefit packages delivered to
// the enterprise, one of them opened.
type portalInboxPage struct {
	Page
	E        enterpriseProfile
	Packages []outreach.Package
	Open     *outreach.Package
	FormError
}

func (s *Server) portalInbox(w http.ResponseWriter, r *http.Request) error {
	return s.renderInbox(w, r, http.StatusOK, 0, FormError{})
}

// portalPackage opens a package, which marks it read.
func (s *Server) portalPackage(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.portalEnterprise(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.outreachService().MarkRead(r.Context(), p, id); err != nil {
		return err
	}
	return s.renderInbox(w, r, http.StatusOK, id, FormError{})
}

func (s *Server) renderInbox(w http.ResponseWriter, r *http.Request, status int, open int64, fe FormError) error {
	p, e, err := s.portalEnterprise(r)
	if err != nil {
		return err
	}
	svc := s.outreachService()
	pkgs, err := svc.Inbox(r.Context(), p, e.ID)
	if err != nil {
		return err
	}
	page := portalInboxPage{Page: s.newPage(r, "/portal/inbox"), E: e, Packages: pkgs, FormError: fe}
	for i := range pkgs {
		if pkgs[i].ID == open {
			page.Open = &pkgs[i]
		}
	}
	if open != 0 && page.Open == nil {
		return errNotFound
	}
	s.render(w, r, status, "outreach_inbox", page)
	return nil
}

// portalAnswer records the liaison's answer to an offer: confirmed,
// applied for, or declined with a reason.
func (s *Server) portalAnswer(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.portalEnterprise(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pkg, _ := strconv.ParseInt(r.PostFormValue("package"), 10, 64)
	a := outreach.Answer{Status: outreach.ItemStatus(r.PostFormValue("answer")), Reason: r.PostFormValue("reason")}
	if err := s.outreachService().Respond(r.Context(), p, id, a); err != nil {
		return rerender(err, func(status int, fe FormError) error {
			return s.renderInbox(w, r, status, pkg, fe)
		})
	}
	if pkg > 0 {
		return backTo(w, r, "/portal/inbox/"+strconv.FormatInt(pkg, 10)+"#offer-"+strconv.FormatInt(id, 10))
	}
	return backTo(w, r, "/portal/inbox")
}

// portalContactPage is the liaison's contact and the channels chosen.
type portalContactPage struct {
	Page
	E     enterpriseProfile
	C     outreach.Contact
	Saved bool
	FormError
}

func (s *Server) portalContact(w http.ResponseWriter, r *http.Request) error {
	p, e, err := s.portalEnterprise(r)
	if err != nil {
		return err
	}
	c, err := s.outreachService().Contact(r.Context(), p, e.ID)
	if err != nil {
		return err
	}
	page := portalContactPage{Page: s.newPage(r, "/portal/inbox"), E: e, C: c, Saved: r.URL.Query().Get("saved") != ""}
	s.render(w, r, http.StatusOK, "outreach_contact", page)
	return nil
}

func (s *Server) portalSaveContact(w http.ResponseWriter, r *http.Request) error {
	p, e, err := s.portalEnterprise(r)
	if err != nil {
		return err
	}
	c := outreach.Contact{EnterpriseID: e.ID, Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), Phone: r.PostFormValue("phone"),
		ByEmail: r.PostFormValue("by_email") == "1", BySMS: r.PostFormValue("by_sms") == "1",
		ByWeCom: r.PostFormValue("by_wecom") == "1", ByDingTalk: r.PostFormValue("by_dingtalk") == "1",
		WeComWebhook: r.PostFormValue("wecom_webhook"), DingTalkWebhook: r.PostFormValue("dingtalk_webhook"),
		DingTalkSecret: r.PostFormValue("dingtalk_secret")}
	if c.DingTalkSecret == "" && r.PostFormValue("clear_secret") != "1" {
		c.DingTalkSecret = outreach.KeepSecret
	}
	if err := s.outreachService().SetContact(r.Context(), p, c); err != nil {
		return rerender(err, func(status int, fe FormError) error {
			if c.DingTalkSecret == outreach.KeepSecret {
				c.DingTalkSecret = ""
			}
			page := portalContactPage{Page: s.newPage(r, "/portal/inbox"), E: e, C: c, FormError: fe}
			s.render(w, r, status, "outreach_contact", page)
			return nil
		})
	}
	return backTo(w, r, "/portal/contact?saved=1")
}
