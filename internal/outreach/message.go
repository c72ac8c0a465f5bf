package outreach

import (
	"bytes"
	"embed"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"github.com/parkdesk/parkdesk/internal/policy"
)

// Message is a package as a channel sends it: every form in Chinese first,
// then English, since a liaison reads the one and an international
// enterprise's head office the other.
type Message struct {
	// Key is the delivery's idempotency key, written into the message.
	Key      string
	Subject  string
	Text     string // plain text: the e-mail's text part
	HTML     string // the e-mail's HTML part
	Markdown string // the group robots' markdown
	SMS      string // one short paragraph
}

//go:embed templates/text.tmpl templates/email.html
var messageFiles embed.FS

// The templates are parsed once: they are part of the binary, and a broken
// one fails every test of the package at once.
var (
	textTemplates = texttemplate.Must(texttemplate.ParseFS(messageFiles, "templates/text.tmpl"))
	htmlZh        = mustHTML(true)
	htmlEn        = mustHTML(false)
)

func mustHTML(zh bool) *htmltemplate.Template {
	funcs := htmltemplate.FuncMap{
		"zh": func() bool { return zh },
		"pick": func(t policy.Texts) string {
			if zh {
				return t.Zh
			}
			return t.En
		},
	}
	return htmltemplate.Must(htmltemplate.New("email").Funcs(funcs).ParseFS(messageFiles, "templates/email.html"))
}

// messageData is what the templates read.
type messageData struct {
	Key        string
	Enterprise string
	PortalURL  string
	Count      int
	Total      string // grouped yuan, "" when no offer has an amount
	Items      []messageItem
}

type messageItem struct {
	N      int
	Title  policy.Texts
	Amount string // grouped yuan, "" for none
	// ModeName names the claim mode; Step says what the enterprise does by
	// it, where included; Apply lists Materials after the step.
	ModeName  policy.Texts
	Step      policy.Texts
	Apply     bool
	Why       policy.Texts
	Materials []policy.Texts
	Where     policy.Texts
	By        policy.Texts
	Deadline  string
}

// render writes the package as a message. portalURL, when set, is where
// the liaison answers.
func render(p Package, key, portalURL string) (Message, error) {
	d := messageData{Key: key, Enterprise: p.Enterprise, PortalURL: portalURL, Count: len(p.Items)}
	hasAmount := false
	for i, it := range p.Items {
		mi := messageItem{N: i + 1, Title: it.Title, Why: it.Why, Materials: it.Materials, Where: it.Where, By: it.By,
			Deadline: it.Deadline, Apply: it.ClaimMode == policy.Apply}
		mi.ModeName, mi.Step = claimStep(it.ClaimMode, it.Where)
		if f, ok := ParseFen(it.Amount); ok {
			mi.Amount, hasAmount = f.Grouped(), true
		}
		d.Items = append(d.Items, mi)
	}
	if hasAmount {
		d.Total = p.Total().Grouped()
	}
	m := Message{Key: key}
	var err error
	text := func(name string) string {
		if err != nil {
			return ""
		}
		var b bytes.Buffer
		err = textTemplates.ExecuteTemplate(&b, name, d)
		return b.String()
	}
	m.Subject = strings.TrimSpace(text("subject"))
	m.Text = text("text")
	m.Markdown = text("markdown")
	m.SMS = strings.TrimSpace(text("sms"))
	if err != nil {
		return Message{}, err
	}
	var zh, en, page bytes.Buffer
	if err := htmlZh.ExecuteTemplate(&zh, "lang", d); err != nil {
		return Message{}, err
	}
	if err := htmlEn.ExecuteTemplate(&en, "lang", d); err != nil {
		return Message{}, err
	}
	err = htmlZh.ExecuteTemplate(&page, "html", struct {
		Subject, Key string
		Zh, En       htmltemplate.HTML
	}{m.Subject, key, htmltemplate.HTML(zh.String()), htmltemplate.HTML(en.String())})
	if err != nil {
		return Message{}, err
	}
	m.HTML = page.String()
	return m, nil
}
