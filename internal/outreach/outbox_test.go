package outreach

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/jobs"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// pushWait is how long the tests' pushes wait for retries: far more than
// the tests' backoff, so that a push returns because the outbox is empty.
const pushWait = 30 * time.Second

// testOutbox is an outbox with quick retries, on the test's database.
func testOutbox(t *testing.T, db *store.DB, senders map[Channel]Sender) *Outbox {
	t.Helper()
	return &Outbox{DB: db, Senders: senders, PortalURL: "https://park.example.gov.cn/portal/inbox",
		MaxAttempts: 4, RetryBase: 20 * time.Millisecond, RetryMax: 100 * time.Millisecond, SendTimeout: 5 * time.Second,
		Logger: testLogger(t)}
}

// approvedPackages gives each enterprise a contact and an approved package
// of the HNTE (apply) and job-retention refund (automatic, 免申即享) offers.
func approvedPackages(t *testing.T, s *Service, db *store.DB, contacts ...Contact) []int64 {
	t.Helper()
	var ids []int64
	for _, c := range contacts {
		mustContact(t, s, c)
		mustResult(t, db, result{enterprise: c.EnterpriseID, policy: "hnte", amount: "120000.00"})
		mustResult(t, db, result{enterprise: c.EnterpriseID, policy: "job-retention-refund", amount: "380000.00"})
	}
	mustBuild(t, s)
	for _, c := range contacts {
		p := packagesOf(t, s, c.EnterpriseID)[0]
		mustApprove(t, s, p.ID)
		ids = append(ids, p.ID)
	}
	return ids
}

func mustPush(t *testing.T, o *Outbox) PushReport {
	t.Helper()
	r, err := pushOnce(context.Background(), t, o)
	if err != nil {
		t.Fatalf("push: %v", err)
	}
	return r
}

// pushOnce is `parkdesk push` as a process runs it: a job client working
// the outbox's queues is made and started, the outbox pushed, and the
// client stopped, letting the attempts under way finish.
func pushOnce(ctx context.Context, t *testing.T, o *Outbox) (PushReport, error) {
	t.Helper()
	reg := jobs.NewRegistry()
	o.RegisterJobs(reg)
	client, err := jobs.New(ctx, o.DB, reg, jobs.Options{Work: o.Queues(), FetchPollInterval: 20 * time.Millisecond, Logger: o.Logger})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(context.WithoutCancel(ctx)); err != nil {
		t.Fatal(err)
	}
	o.Jobs = client
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), o.lease())
		defer cancel()
		if err := client.Stop(stopCtx); err != nil {
			t.Errorf("stop the job client: %v", err)
		}
	}()
	return o.Push(ctx, pushWait)
}

func TestPushEmail(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, _ := newService(t, db)
		mb := startMailbox(t)
		e1, _ := mustEnterprise(t, db, "示例智能科技有限公司", "a")
		e2, _ := mustEnterprise(t, db, "海淀新材料股份有限公司", "a")
		ids := approvedPackages(t, s, db,
			Contact{EnterpriseID: e1, Email: "li.1@example.com", ByEmail: true},
			Contact{EnterpriseID: e2, Email: "zhang.2@example.com", ByEmail: true})
		o := testOutbox(t, db, map[Channel]Sender{Email: &EmailSender{Config: mb.config()}})

		r := mustPush(t, o)
		if r.Queued != 4 || r.Sent != 4 || r.Failed != 0 || r.Later != 0 {
			t.Errorf("first push %+v, want 4 deliveries (2 portal, 2 e-mail) queued and sent", r)
		}
		got := mb.messages()
		if len(got) != 2 {
			t.Fatalf("the mail server received %d e-mails, want 2", len(got))
		}
		byTo := map[string]receivedMail{}
		for _, m := range got {
			byTo[m.To] = m
		}
		m := byTo["li.1@example.com"]
		if m.From != "benefits@park.example.gov.cn" || m.Type != "multipart/alternative" {
			t.Errorf("envelope from %q, type %q", m.From, m.Type)
		}
		if !strings.Contains(m.MessageID, "pkg-"+itoa(ids[0])+"-email@park.example.gov.cn") {
			t.Errorf("Message-ID %q does not carry the idempotency key", m.MessageID)
		}
		if !strings.Contains(m.Subject, "政策礼包") || !strings.Contains(m.Subject, "Benefit package: 2 policies") {
			t.Errorf("subject %q is not in Chinese and English", m.Subject)
		}
		for _, want := range []string{
			"示例智能科技有限公司：", "符合以下2项政策的条件，合计约500,000.00元",
			"高新技术企业认定（需申请）", "金额：120,000.00元", "原因：满足hnte的全部条件", "办理：请准备以下材料",
			"失业保险稳岗返还", "免申即享", "请在企业服务平台确认享受意向",
			"To 示例智能科技有限公司:", "meets the conditions of 2 policies, about CNY 500,000.00 in all",
			"High and new technology enterprise", "Amount: CNY 120,000.00", "Why: meets every criterion of hnte",
			"What to do: prepare these documents and apply", "granted once you confirm",
			"https://park.example.gov.cn/portal/inbox", "ref. pkg-" + itoa(ids[0]) + "-email",
		} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("the text part lacks %q:\n%s", want, m.Text)
			}
		}
		for _, want := range []string{`<div lang="zh-CN">`, `<div lang="en">`, "<strong>高新技术企业认定</strong>",
			"<strong>High and new technology enterprise (HNTE) certification</strong>", "金额：120,000.00元", "Amount: CNY 120,000.00",
			`<a href="https://park.example.gov.cn/portal/inbox">`} {
			if !strings.Contains(m.HTML, want) {
				t.Errorf("the HTML part lacks %q:\n%s", want, m.HTML)
			}
		}
		for _, id := range ids {
			p, err := s.Package(context.Background(), system, id)
			if err != nil || p.Status != PackageDelivered {
				t.Errorf("package %d is %s (%v), want delivered", id, p.Status, err)
			}
		}

		again := mustPush(t, o)
		if again.Queued != 0 || again.Sent != 0 {
			t.Errorf("second push %+v, want nothing sent", again)
		}
		if n := len(mb.messages()); n != 2 {
			t.Errorf("after the second push the server has %d e-mails, want still 2", n)
		}
	})
}

func TestPushLeavesUnconfiguredChannels(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, store.SQLite)
	s, _ := newService(t, db)
	e, _ := mustEnterprise(t, db, "甲", "a")
	approvedPackages(t, s, db, Contact{EnterpriseID: e, Email: "a@example.com", ByEmail: true, Phone: "13812345678", BySMS: true})
	r := mustPush(t, testOutbox(t, db, nil))
	if r.Sent != 1 || r.Unconfigured[Email] != 1 || r.Unconfigured[SMS] != 1 {
		t.Errorf("push without e-mail and SMS: %+v, want the portal sent and the others left waiting", r)
	}
	var logged []string
	sms := &SMSSender{Provider: smsFunc(func(phone, text, key string) error {
		logged = append(logged, phone+" "+key+" "+text)
		return nil
	})}
	r = mustPush(t, testOutbox(t, db, map[Channel]Sender{SMS: sms}))
	if r.Sent != 1 || r.Unconfigured[Email] != 1 || len(logged) != 1 {
		t.Fatalf("push with SMS: %+v, messages %v", r, logged)
	}
	if !strings.Contains(logged[0], "13812345678 pkg-") || !strings.Contains(logged[0], "2项惠企政策") || !strings.Contains(logged[0], "2 benefits") {
		t.Errorf("the SMS: %q", logged[0])
	}
}

type smsFunc func(phone, text, key string) error

func (f smsFunc) SendSMS(_ context.Context, phone, text, key string) error {
	return f(phone, text, key)
}

// robot is a group robot's webhook that fails its first failures requests,
// then accepts; it keeps the messages it accepted.
type robot struct {
	failures int
	status   int // of a failure; 0 means 500
	secret   string
	mu       sync.Mutex
	requests int
	accepted []map[string]any
	bad      []string
}

func (rb *robot) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	rb.requests++
	if rb.requests <= rb.failures {
		w.WriteHeader(cmpOr(rb.status, http.StatusInternalServerError))
		return
	}
	if rb.secret != "" {
		ts, sign := r.URL.Query().Get("timestamp"), r.URL.Query().Get("sign")
		if ts == "" || sign != dingTalkSign(ts, rb.secret) {
			rb.bad = append(rb.bad, "signature "+r.URL.RawQuery)
			w.Write([]byte(`{"errcode":310000,"errmsg":"sign not match"}`))
			return
		}
	}
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || r.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		rb.bad = append(rb.bad, "body")
	}
	rb.accepted = append(rb.accepted, body)
	w.Write([]byte(`{"errcode":0,"errmsg":"ok"}`))
}

func (rb *robot) counts() (requests, accepted int) {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	return rb.requests, len(rb.accepted)
}

func TestWebhookFailsTwiceThenDeliversOnce(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, _ := newService(t, db)
		wecom := &robot{failures: 2}
		ding := &robot{failures: 2, status: http.StatusTooManyRequests, secret: "SEC0123"}
		wecomSrv, dingSrv := httptest.NewServer(wecom), httptest.NewServer(ding)
		t.Cleanup(wecomSrv.Close)
		t.Cleanup(dingSrv.Close)
		e1, _ := mustEnterprise(t, db, "甲", "a")
		e2, _ := mustEnterprise(t, db, "乙", "a")
		// Officers may point a robot at a gateway of the park's own, as
		// these test servers are.
		approvedPackages(t, s, db,
			Contact{EnterpriseID: e1, ByWeCom: true, WeComWebhook: wecomSrv.URL + "/cgi-bin/webhook/send?key=K1"},
			Contact{EnterpriseID: e2, ByDingTalk: true, DingTalkWebhook: dingSrv.URL + "/robot/send?access_token=T2", DingTalkSecret: "SEC0123"})
		o := testOutbox(t, db, map[Channel]Sender{WeCom: &WebhookSender{Kind: WeCom}, DingTalk: &WebhookSender{Kind: DingTalk}})
		r := mustPush(t, o)
		if r.Sent != 4 || r.Failed != 4 || r.Dead != 0 {
			t.Errorf("push %+v, want 4 sent after 4 failed attempts", r)
		}
		for name, rb := range map[string]*robot{"WeCom": wecom, "DingTalk": ding} {
			requests, accepted := rb.counts()
			if requests != 3 || accepted != 1 || len(rb.bad) > 0 {
				t.Errorf("%s robot: %d requests, %d messages accepted, problems %v; want 3, exactly 1, none", name, requests, accepted, rb.bad)
			}
		}
		if md := wecom.accepted[0]["markdown"].(map[string]any)["content"].(string); !strings.Contains(md, "高新技术企业认定") ||
			!strings.Contains(md, "High and new technology enterprise") || wecom.accepted[0]["msgtype"] != "markdown" {
			t.Errorf("the WeCom message: %v", wecom.accepted[0])
		}
		if title := ding.accepted[0]["markdown"].(map[string]any)["title"].(string); !strings.Contains(title, "政策礼包") {
			t.Errorf("the DingTalk title: %q", title)
		}
		if again := mustPush(t, o); again.Sent != 0 {
			t.Errorf("a second push sent %d", again.Sent)
		}
		if requests, _ := wecom.counts(); requests != 3 {
			t.Errorf("the WeCom robot got %d requests after the second push, want still 3", requests)
		}
	})
}

func TestDeadLettersAndRetry(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		down := &robot{failures: 1 << 30}              // always 500: retried until spent
		gone := &robot{failures: 1 << 30, status: 404} // a robot removed: dead at once
		downSrv, goneSrv := httptest.NewServer(down), httptest.NewServer(gone)
		t.Cleanup(downSrv.Close)
		t.Cleanup(goneSrv.Close)
		e1, _ := mustEnterprise(t, db, "甲", "a")
		e2, _ := mustEnterprise(t, db, "乙", "b")
		approvedPackages(t, s, db,
			Contact{EnterpriseID: e1, ByWeCom: true, WeComWebhook: downSrv.URL + "/send?key=SECRETKEY"},
			Contact{EnterpriseID: e2, ByWeCom: true, WeComWebhook: goneSrv.URL + "/send?key=K"})
		o := testOutbox(t, db, map[Channel]Sender{WeCom: &WebhookSender{Kind: WeCom}})
		r := mustPush(t, o)
		if r.Dead != 2 || r.Sent != 2 {
			t.Errorf("push %+v, want the two portal deliveries sent and the two robots dead", r)
		}
		if n, _ := down.counts(); n != o.MaxAttempts {
			t.Errorf("the robot that is down got %d requests, want %d (every attempt)", n, o.MaxAttempts)
		}
		if n, _ := gone.counts(); n != 1 {
			t.Errorf("the robot that is gone got %d requests, want 1", n)
		}
		dead, total, err := s.DeadLetters(ctx, officer(0), 10, 0)
		if err != nil || total != 2 || len(dead) != 2 {
			t.Fatalf("dead letters %+v (%d, %v), want 2", dead, total, err)
		}
		for _, d := range dead {
			if strings.Contains(d.Target+d.LastError, "SECRETKEY") || d.LastError == "" {
				t.Errorf("dead letter %+v shows the robot's key or no error", d)
			}
		}
		if _, n, _ := s.DeadLetters(ctx, officer(parkOf(t, db, e2)), 10, 0); n != 1 {
			t.Errorf("a park officer sees %d dead letters, want its park's 1", n)
		}
		if err := s.Retry(ctx, liaison(e1), dead[0].ID); err == nil {
			t.Error("a liaison retried a delivery")
		}
		// The robot comes back; the officer sends the dead letters again.
		down.mu.Lock()
		down.failures = 0
		down.mu.Unlock()
		for _, d := range dead {
			if d.EnterpriseID == e1 {
				if err := s.Retry(ctx, officer(0), d.ID); err != nil {
					t.Fatal(err)
				}
				if err := s.Retry(ctx, officer(0), d.ID); err == nil {
					t.Error("a pending delivery was retried")
				}
			}
		}
		r = mustPush(t, o)
		if r.Sent != 1 || r.Queued != 1 {
			t.Errorf("push after the retry %+v, want the retried delivery sent", r)
		}
		if _, accepted := down.counts(); accepted != 1 {
			t.Errorf("the robot accepted %d messages, want 1", accepted)
		}
		if _, n, _ := s.DeadLetters(ctx, officer(0), 10, 0); n != 1 {
			t.Errorf("%d dead letters left, want 1", n)
		}
	})
}

// stoppingSender sends through next and cancels the push once it has sent
// after deliveries: a SIGTERM in the middle of a push.
type stoppingSender struct {
	next  Sender
	after int32
	sent  atomic.Int32
	stop  context.CancelFunc
}

func (s *stoppingSender) Send(ctx context.Context, out Outgoing) error {
	if err := s.next.Send(ctx, out); err != nil {
		return err
	}
	if s.sent.Add(1) == s.after {
		s.stop()
	}
	return nil
}

func TestRestartInTheMiddleOfAPush(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s, _ := newService(t, db)
		mb := startMailbox(t)
		var contacts []Contact
		for i := range 12 {
			e, _ := mustEnterprise(t, db, "企业"+itoa(int64(i)), "a")
			contacts = append(contacts, Contact{EnterpriseID: e, Email: "liaison." + itoa(int64(i)) + "@example.com", ByEmail: true})
		}
		approvedPackages(t, s, db, contacts...)
		email := &EmailSender{Config: mb.config()}

		ctx, stop := context.WithCancel(context.Background())
		first := testOutbox(t, db, map[Channel]Sender{Email: &stoppingSender{next: email, after: 3, stop: stop}})
		if _, err := pushOnce(ctx, t, first); err != context.Canceled {
			t.Fatalf("the stopped push returned %v, want context.Canceled", err)
		}
		sentFirst := len(mb.messages())
		if sentFirst < 3 || sentFirst == 12 {
			t.Fatalf("the stopped push sent %d e-mails, want at least 3 and not all 12", sentFirst)
		}
		// The next run, as after a restart.
		r := mustPush(t, testOutbox(t, db, map[Channel]Sender{Email: email}))
		got := mb.messages()
		if r.Sent < 12-sentFirst || len(got) != 12 {
			t.Fatalf("after the restart: %+v; the server has %d e-mails, want 12", r, len(got))
		}
		ids := map[string]int{}
		for _, m := range got {
			ids[m.MessageID]++
		}
		for id, n := range ids {
			if n != 1 {
				t.Errorf("%s received %d times", id, n)
			}
		}
		if len(ids) != 12 {
			t.Errorf("%d distinct e-mails, want 12", len(ids))
		}
	})
}

// A worker that died while sending leaves its delivery leased and its job
// running; the next run waits for the lease and sends the delivery once.
func TestCrashedWorkerLeaseIsWaitedFor(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := oneEmailPackage(t)
	mb := startMailbox(t)
	o := testOutbox(t, db, map[Channel]Sender{Email: &EmailSender{Config: mb.config()}})
	o.SendTimeout = 300 * time.Millisecond
	reg := jobs.NewRegistry()
	o.RegisterJobs(reg)
	client, err := jobs.New(ctx, db, reg, jobs.Options{}) // inserts only
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.relay(ctx, client); err != nil {
		t.Fatal(err)
	}
	client.Stop(ctx)
	// The crash: the e-mail's job taken and its delivery leased, nothing sent.
	lease := store.FormatTime(time.Now().Add(o.lease()))
	if _, err := db.Exec(ctx, "UPDATE river_job SET state = 'running', attempt = 1 WHERE queue = 'outreach_email'"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(ctx, "UPDATE outreach_deliveries SET lease_until = ?, attempts = 1 WHERE channel = 'email'", lease); err != nil {
		t.Fatal(err)
	}
	r := mustPush(t, o)
	if len(mb.messages()) != 1 || r.Sent != 2 {
		t.Errorf("after the crash: %+v, %d e-mails; want the portal and the e-mail sent, the e-mail once", r, len(mb.messages()))
	}
}

func TestDingTalkSignature(t *testing.T) {
	t.Parallel()
	// The expected value was computed apart, with Python's hmac module:
	// base64(HMAC-SHA256(secret, "1577262236757\n" + secret)).
	const secret = "SEC1234567890abcdef"
	target, err := signDingTalk("https://oapi.dingtalk.com/robot/send?access_token=XXX", secret, time.UnixMilli(1577262236757))
	if err != nil {
		t.Fatal(err)
	}
	want := "https://oapi.dingtalk.com/robot/send?access_token=XXX&sign=f7qQ1A8KagEZ45y1gasTtKsEq5ERTeDXP9T%2BWkIqzDk%3D&timestamp=1577262236757"
	if target != want {
		t.Errorf("signed URL\n%s\nwant\n%s", target, want)
	}
}

type panickingSender struct{}

func (panickingSender) Send(context.Context, Outgoing) error { panic("a bug in a sender") }

func TestAPanickingSenderIsAFailure(t *testing.T) {
	t.Parallel()
	db, s := oneEmailPackage(t)
	o := testOutbox(t, db, map[Channel]Sender{Email: panickingSender{}})
	o.MaxAttempts = 2
	r := mustPush(t, o)
	dead, total, err := s.DeadLetters(context.Background(), officer(0), 10, 0)
	if err != nil || total != 1 || dead[0].Channel != Email || !strings.Contains(dead[0].LastError, "a bug in a sender") {
		t.Fatalf("after a panicking sender: %+v, dead letters %+v (%v)", r, dead, err)
	}
	if r.Dead != 1 || r.Failed != 2 || r.Sent != 1 {
		t.Errorf("push %+v, want the portal sent and the e-mail dead after 2 attempts", r)
	}
}

// lateSender sends, but its call returns only when the attempt's time is
// up: the message went out and the answer came at the deadline.
type lateSender struct{ calls atomic.Int32 }

func (s *lateSender) Send(ctx context.Context, _ Outgoing) error {
	s.calls.Add(1)
	<-ctx.Done()
	return nil
}

// A delivery sent as the attempt's time runs out is recorded as sent, not
// tried again: recording it must not depend on the time the send had,
// or the enterprise gets the e-mail twice.
func TestASendAtTheDeadlineIsRecordedOnce(t *testing.T) {
	t.Parallel()
	db, _ := oneEmailPackage(t)
	late := &lateSender{}
	o := testOutbox(t, db, map[Channel]Sender{Email: late})
	o.SendTimeout = 200 * time.Millisecond
	r := mustPush(t, o)
	var status string
	if err := db.QueryRow(context.Background(), "SELECT status FROM outreach_deliveries WHERE channel = 'email'").Scan(&status); err != nil {
		t.Fatal(err)
	}
	if status != "sent" || late.calls.Load() != 1 || r.Sent != 2 || r.Failed != 0 {
		t.Errorf("push %+v, e-mail %s after %d sends; want it sent once and recorded", r, status, late.calls.Load())
	}
}

// A job River gave up outside the worker's failure path (the worker could
// not record its last failure) still leaves a dead letter for officers.
func TestAJobGivenUpLeavesADeadLetter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, s := oneEmailPackage(t)
	o := testOutbox(t, db, nil) // no e-mail here: its job waits
	mustPush(t, o)
	if _, err := db.Exec(ctx, "UPDATE river_job SET state = 'discarded', finalized_at = created_at WHERE queue = 'outreach_email'"); err != nil {
		t.Fatal(err)
	}
	r := mustPush(t, o)
	dead, total, err := s.DeadLetters(ctx, officer(0), 10, 0)
	if err != nil || total != 1 || dead[0].Channel != Email || dead[0].LastError == "" || r.Dead != 1 {
		t.Fatalf("push %+v, dead letters %+v (%v): want the e-mail dead", r, dead, err)
	}
	if again := mustPush(t, o); again.Dead != 0 {
		t.Errorf("a second push made %d more dead letters", again.Dead)
	}
}
