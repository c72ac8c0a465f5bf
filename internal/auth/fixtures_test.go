package auth

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/store"
)

// testClock is a clock tests move by hand; nothing sleeps.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// cheapArgon2 keeps tests fast; the parameters are still argon2id's.
var cheapArgon2 = Argon2Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// newTestService returns a service on db with a test clock and cheap hashing.
func newTestService(t *testing.T, db *store.DB) (*Service, *testClock) {
	t.Helper()
	clock := &testClock{t: time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)}
	s := NewService(db)
	s.Now = clock.now
	s.Hasher = Hasher{Params: cheapArgon2}
	return s, clock
}

// mustCreatePark adds a park and returns its id.
func mustCreatePark(t *testing.T, db *store.DB, code string) int64 {
	t.Helper()
	var id int64
	if err := db.QueryRow(context.Background(), "INSERT INTO parks (code, name_zh) VALUES (?, ?) RETURNING id", code, "园区 "+code).Scan(&id); err != nil {
		t.Fatalf("create park %s: %v", code, err)
	}
	return id
}

var usccSeq atomic.Int64

// mustCreateEnterprise adds an enterprise with a made-up USCC (the
// registry's validation is not auth's business) and returns its id.
func mustCreateEnterprise(t *testing.T, db *store.DB, name string, parkID int64) int64 {
	t.Helper()
	var id int64
	uscc := fmt.Sprintf("91330106%010d", usccSeq.Add(1))
	park := nullID(parkID)
	stamp := store.FormatTime(time.Now())
	if err := db.QueryRow(context.Background(), `INSERT INTO enterprises (uscc, name, park_id, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?) RETURNING id`, uscc, name, park, stamp, stamp).Scan(&id); err != nil {
		t.Fatalf("create enterprise %s: %v", name, err)
	}
	return id
}

// mustCreateUser adds a user as the command line would, with a password.
func mustCreateUser(t *testing.T, s *Service, spec UserSpec) User {
	t.Helper()
	if spec.Password == "" {
		spec.Password = "correct horse battery"
	}
	u, err := s.CreateUser(context.Background(), System("test"), spec)
	if err != nil {
		t.Fatalf("create user %s: %v", spec.Login, err)
	}
	return u
}

// mustLogin signs in and returns the session token and principal.
func mustLogin(t *testing.T, s *Service, login, password string) (string, Principal) {
	t.Helper()
	token, p, err := s.Login(context.Background(), Credentials{Login: NormalizeLogin(login), Password: password}, "192.0.2.1")
	if err != nil {
		t.Fatalf("login %s: %v", login, err)
	}
	return token, p
}

// auditActions returns the actions and outcomes of the audit log, oldest first.
func auditActions(t *testing.T, db *store.DB) []string {
	t.Helper()
	rows, err := db.Query(context.Background(), "SELECT action, outcome FROM audit_log ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a, o string
		if err := rows.Scan(&a, &o); err != nil {
			t.Fatal(err)
		}
		out = append(out, a+":"+o)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
