package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/parkdesk/parkdesk/internal/demo"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/match"
	"github.com/parkdesk/parkdesk/internal/outreach"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/policies"
)

// smtpSink is a real SMTP server in the test's process that counts what it
// receives, by recipient.
type smtpSink struct {
	mu  sync.Mutex
	got []string // "to: subject line"
}

type sinkSession struct {
	sink *smtpSink
	to   string
}

func (s *sinkSession) Reset()                                    {}
func (s *sinkSession) Logout() error                             { return nil }
func (s *sinkSession) Mail(string, *smtp.MailOptions) error      { return nil }
func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = to; return nil }
func (s *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.sink.mu.Lock()
	defer s.sink.mu.Unlock()
	s.sink.got = append(s.sink.got, s.to+": "+string(b))
	return nil
}

func (s *smtpSink) messages() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.got...)
}

func startSMTPSink(t *testing.T) (*smtpSink, string) {
	t.Helper()
	sink := &smtpSink{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: sink}, nil }))
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return sink, "smtp://" + ln.Addr().String()
}

// TestPushOnTheDemoPark is the "done when": on a demo database,
// `PARKDESK_SMTP_URL=smtp://127.0.0.1:PORT parkdesk push` sends the approved
// packages to a local SMTP server, and a second run sends none.
func TestPushOnTheDemoPark(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "parkdesk.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	on := time.Date(2025, 6, 16, 0, 0, 0, 0, time.UTC)
	opts := demo.Options{Seed: 1, Enterprises: 300, On: on}
	if _, err := demo.Load(ctx, db, opts, nil); err != nil {
		t.Fatal(err)
	}
	set, err := match.LoadPoliciesFS(policies.FS, ".", facts.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	s := &services{cfg: &config{}, logger: slog.New(slog.DiscardHandler), db: db, policies: set, matcher: match.NewMatcher(set)}
	if err := s.startJobs(ctx, match.QueueName); err != nil {
		t.Fatal(err)
	}
	_, err = s.matcher.Run(ctx, db, match.RunOptions{On: on})
	s.stopJobs()
	if err != nil {
		t.Fatal(err)
	}
	g, err := demo.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	svc := &outreach.Service{DB: db, Policies: set.Library}
	report, err := svc.LoadDemo(ctx, outreach.DemoOptions{Liaisons: demoLiaisons(g), Showcase: 1, Now: on})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []outreach.PackageStatus{outreach.PackageDraft, outreach.PackageApproved, outreach.PackageDelivered, outreach.PackageRead, outreach.PackageWithdrawn} {
		if report.Packages[st] == 0 {
			t.Errorf("the demo has no package %s: %+v", st, report.Packages)
		}
	}
	for _, st := range outreach.ItemStatuses {
		if report.Offers[st] == 0 {
			t.Errorf("the demo has no offer %s: %+v", st, report.Offers)
		}
	}
	if report.Contacts != 300 {
		t.Errorf("%d contacts, want the 300 liaisons", report.Contacts)
	}
	var approvedByEmail int
	if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM outreach_deliveries d JOIN outreach_packages p ON p.id = d.package_id
WHERE p.status = 'approved' AND d.channel = 'email' AND d.status = 'pending'`).Scan(&approvedByEmail); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if approvedByEmail == 0 {
		t.Fatal("the demo has no approved package waiting to go by e-mail")
	}

	sink, smtpURL := startSMTPSink(t)
	push := func() string {
		t.Helper()
		var out, errOut bytes.Buffer
		getenv := func(k string) string {
			if k == "PARKDESK_SMTP_URL" {
				return smtpURL
			}
			return ""
		}
		if err := run(ctx, []string{"--db", path, "push", "--no-build", "--wait", "5s"}, getenv, strings.NewReader(""), &out, &errOut); err != nil {
			t.Fatalf("push: %v\n%s%s", err, out.String(), errOut.String())
		}
		return out.String()
	}
	first := push()
	got := sink.messages()
	if len(got) != approvedByEmail {
		t.Fatalf("the SMTP server received %d e-mails, want the %d approved packages'\n%s", len(got), approvedByEmail, first)
	}
	for _, m := range got {
		if !strings.Contains(m, "@example.com: ") || !strings.Contains(m, "multipart/alternative") {
			t.Errorf("an e-mail not to a demo liaison or not multipart: %.200s", m)
		}
	}
	if !strings.Contains(first, "sent "+strconv.Itoa(approvedByEmail*2)) { // each package's portal and e-mail
		t.Errorf("the first push says:\n%s", first)
	}
	second := push()
	if n := len(sink.messages()); n != approvedByEmail || !strings.Contains(second, "queued 0 deliveries, sent 0") {
		t.Errorf("the second push sent again (%d e-mails in all):\n%s", n, second)
	}
}
