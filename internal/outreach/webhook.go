package outreach

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"
)

// WebhookSender posts packages to a group robot in the WeCom (企业微信) or
// DingTalk (钉钉) message format: a markdown message, answered by
// {"errcode": 0, "errmsg": "ok"}.
type WebhookSender struct {
	Kind Channel // WeCom or DingTalk
	// Client sends the requests; nil uses one with a 15-second timeout.
	Client *http.Client
	// Now stamps DingTalk signatures; nil is the wall clock.
	Now func() time.Time
}

// The robots' limits on a markdown message's size, in bytes.
const (
	weComMarkdownLimit    = 4096
	dingTalkMarkdownLimit = 20000
)

var defaultWebhookClient = &http.Client{Timeout: 15 * time.Second}

// Send posts one message. A failure's message never holds the URL, whose
// query is the robot's key.
func (s *WebhookSender) Send(ctx context.Context, out Outgoing) error {
	body, target, err := s.request(out)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return Permanent(errors.New("the webhook address is not valid"))
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	client := s.Client
	if client == nil {
		client = defaultWebhookClient
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL
		}
		return fmt.Errorf("the robot did not answer: %w", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return fmt.Errorf("the robot answered HTTP %d", resp.StatusCode)
	case resp.StatusCode >= 300:
		return Permanent(fmt.Errorf("the robot answered HTTP %d", resp.StatusCode))
	}
	var answer struct {
		ErrCode *int   `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(raw, &answer); err != nil || answer.ErrCode == nil {
		return fmt.Errorf("the robot's answer is not the JSON it sends")
	}
	if *answer.ErrCode != 0 {
		err := fmt.Errorf("the robot refused the message: errcode %d %.100s", *answer.ErrCode, answer.ErrMsg)
		if robotPermanent[s.Kind][*answer.ErrCode] {
			return Permanent(err)
		}
		return err
	}
	return nil
}

// robotPermanent are the robots' error codes that retrying will not cure: a
// robot removed, a key or signature wrong, a keyword filter refusing the
// text. The others (sending too fast above all) are worth retrying.
var robotPermanent = map[Channel]map[int]bool{
	WeCom:    {93000: true, 93004: true, 40058: true},
	DingTalk: {300001: true, 300005: true, 310000: true, 400102: true},
}

// request builds the body and the URL to post to: DingTalk's signed when a
// secret is set.
func (s *WebhookSender) request(out Outgoing) ([]byte, string, error) {
	switch s.Kind {
	case WeCom:
		body, err := json.Marshal(map[string]any{
			"msgtype":  "markdown",
			"markdown": map[string]string{"content": truncateBytes(out.Message.Markdown, weComMarkdownLimit)},
		})
		return body, out.Target, err
	case DingTalk:
		body, err := json.Marshal(map[string]any{
			"msgtype":  "markdown",
			"markdown": map[string]string{"title": out.Message.Subject, "text": truncateBytes(out.Message.Markdown, dingTalkMarkdownLimit)},
		})
		if err != nil || out.Secret == "" {
			return body, out.Target, err
		}
		target, err := signDingTalk(out.Target, out.Secret, s.now())
		return body, target, err
	}
	return nil, "", Permanent(fmt.Errorf("no webhook format for channel %s", s.Kind))
}

func (s *WebhookSender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// signDingTalk adds DingTalk's signature to a robot URL: timestamp in
// milliseconds, and sign = base64(HMAC-SHA256(secret, timestamp + "\n" +
// secret)), URL-encoded. The robot refuses a timestamp more than an hour
// off.
func signDingTalk(target, secret string, now time.Time) (string, error) {
	u, err := url.Parse(target)
	if err != nil {
		return "", Permanent(errors.New("the webhook address is not valid"))
	}
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	q := u.Query()
	q.Set("timestamp", ts)
	q.Set("sign", dingTalkSign(ts, secret))
	u.RawQuery = q.Encode()
	return u.String(), nil
}

func dingTalkSign(timestamp, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// truncateBytes cuts s to at most n bytes on a character boundary.
func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
