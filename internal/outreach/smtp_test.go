package outreach

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// mailbox is a real SMTP server, in the test's process, that keeps what it
// receives.
type mailbox struct {
	addr *net.TCPAddr
	mu   sync.Mutex
	got  []receivedMail
}

// receivedMail is one message as the server received it.
type receivedMail struct {
	From, To  string
	MessageID string
	Subject   string
	Type      string // the top-level media type
	Text      string // the text/plain part, decoded
	HTML      string // the text/html part, decoded
}

// startMailbox starts an SMTP server on a free port of 127.0.0.1, closed
// when the test ends.
func startMailbox(t *testing.T) *mailbox {
	t.Helper()
	mb := &mailbox{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mailSession{mb: mb}, nil }))
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mb.addr = ln.Addr().(*net.TCPAddr)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return mb
}

func (mb *mailbox) config() SMTPConfig {
	return SMTPConfig{Host: "127.0.0.1", Port: mb.addr.Port, TLS: "starttls", From: "政策服务 <benefits@park.example.gov.cn>"}
}

func (mb *mailbox) messages() []receivedMail {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	return append([]receivedMail(nil), mb.got...)
}

type mailSession struct {
	mb       *mailbox
	from, to string
}

func (s *mailSession) Reset()        { s.from, s.to = "", "" }
func (s *mailSession) Logout() error { return nil }
func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}
func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = to
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := receivedMail{From: s.from, To: s.to}
	parseMail(raw, &m)
	s.mb.mu.Lock()
	s.mb.got = append(s.mb.got, m)
	s.mb.mu.Unlock()
	return nil
}

// parseMail reads the headers and the text and HTML parts of a message;
// what it cannot read stays empty, for the test to report.
func parseMail(raw []byte, m *receivedMail) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return
	}
	dec := new(mime.WordDecoder)
	m.Subject, _ = dec.DecodeHeader(msg.Header.Get("Subject"))
	m.MessageID = msg.Header.Get("Message-ID")
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return
	}
	m.Type = mediaType
	if !strings.HasPrefix(mediaType, "multipart/") {
		return
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextRawPart()
		if err != nil {
			return
		}
		body, _ := io.ReadAll(part)
		if strings.EqualFold(part.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			body, _ = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		}
		pt, _, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		switch pt {
		case "text/plain":
			m.Text = string(body)
		case "text/html":
			m.HTML = string(body)
		}
	}
}
