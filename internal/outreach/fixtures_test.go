package outreach

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/auth"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/facts"
	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
	"github.com/parkdesk/parkdesk/policies"
)

// fixtureNow is the tests' present.
var fixtureNow = time.Date(2025, 6, 16, 9, 30, 0, 0, time.UTC)

var shippedPolicies = sync.OnceValues(func() (*policy.Library, error) {
	return policy.LoadFS(policies.FS, ".", facts.Builtin())
})

func mustLibrary(t testing.TB) *policy.Library {
	t.Helper()
	lib, err := shippedPolicies()
	if err != nil {
		t.Fatalf("the shipped policies: %v", err)
	}
	return lib
}

// newService is the service on db with the shipped policies and a clock
// the test may move.
func newService(t testing.TB, db *store.DB) (*Service, *clock) {
	t.Helper()
	c := &clock{t: fixtureNow}
	return &Service{DB: db, Policies: mustLibrary(t), Now: c.now}, c
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// The cast of the tests.
var (
	system = auth.System("test")
)

func officer(parkID int64) auth.Principal {
	return auth.Principal{UserID: 2, Label: "officer", Role: auth.RoleOfficer, ParkID: parkID}
}

func liaison(enterpriseID int64) auth.Principal {
	return auth.Principal{UserID: 7, Label: "liaison", Role: auth.RoleEnterprise, EnterpriseID: enterpriseID}
}

var usccSerial atomic.Uint64

// mustEnterprise adds an enterprise in a park of its code (made when
// missing) and returns its id.
func mustEnterprise(t testing.TB, db *store.DB, name, parkCode string) (id, parkID int64) {
	t.Helper()
	ctx := context.Background()
	if err := db.QueryRow(ctx, `INSERT INTO parks (code, name_zh) VALUES (?, ?)
ON CONFLICT (code) DO UPDATE SET name_zh = excluded.name_zh RETURNING id`, parkCode, "园区"+parkCode).Scan(&parkID); err != nil {
		t.Fatal(err)
	}
	uscc := enterprise.MakeUSCC("330106", 1000+usccSerial.Add(1))
	stamp := store.FormatTime(fixtureNow)
	if err := db.QueryRow(ctx, `INSERT INTO enterprises (uscc, name, park_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		uscc, name, parkID, stamp, stamp).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id, parkID
}

func usccOf(t testing.TB, db *store.DB, id int64) string {
	t.Helper()
	var uscc string
	if err := db.QueryRow(context.Background(), "SELECT uscc FROM enterprises WHERE id = ?", id).Scan(&uscc); err != nil {
		t.Fatal(err)
	}
	return uscc
}

// result is a stored match result to write.
type result struct {
	enterprise int64
	policy     string
	on         string
	status     string
	amount     string // "" for none
	version    string // a word, hashed into the 64-hex version
}

// mustResult writes a match result as matching stores it (replacing the
// result of the same enterprise, policy and date).
func mustResult(t testing.TB, db *store.DB, r result) {
	t.Helper()
	ctx := context.Background()
	if r.on == "" {
		r.on = "2025-06-01"
	}
	if r.status == "" {
		r.status = "eligible"
	}
	sum := sha256.Sum256([]byte(r.policy + "/" + r.version))
	version := hex.EncodeToString(sum[:])
	var versionID int64
	if err := db.QueryRow(ctx, `INSERT INTO match_policy_versions (policy, version, first_seen) VALUES (?, ?, ?)
ON CONFLICT (policy, version) DO UPDATE SET first_seen = match_policy_versions.first_seen RETURNING id`,
		r.policy, version, store.FormatTime(fixtureNow)).Scan(&versionID); err != nil {
		t.Fatal(err)
	}
	explanation, _ := json.Marshal(map[string]string{
		"explanation":    fmt.Sprintf("meets every criterion of %s", r.policy),
		"explanation_zh": fmt.Sprintf("满足%s的全部条件", r.policy),
	})
	var amount any
	if r.amount != "" {
		amount = r.amount
	}
	if _, err := db.Exec(ctx, `INSERT INTO match_results (enterprise_id, policy, on_date, status, amount, explanation, version_id, fingerprint, evaluated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (enterprise_id, policy, on_date) DO UPDATE SET status = excluded.status, amount = excluded.amount,
	version_id = excluded.version_id, explanation = excluded.explanation`,
		r.enterprise, r.policy, r.on, r.status, amount, string(explanation), versionID, "0123456789abcdef0123456789abcdef",
		store.FormatTime(fixtureNow)); err != nil {
		t.Fatal(err)
	}
	// Matching records that it evaluated the enterprise (match_coverage):
	// readers take the latest date covered as the current one.
	if _, err := db.Exec(ctx, `INSERT INTO match_coverage (on_date, policy, first_id, last_id, version_id, evaluated_at)
VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (on_date, policy, first_id) DO NOTHING`,
		r.on, r.policy, r.enterprise, r.enterprise, versionID, store.FormatTime(fixtureNow)); err != nil {
		t.Fatal(err)
	}
}

// mustBuild builds packages as the system and returns the report.
func mustBuild(t testing.TB, s *Service) BuildReport {
	t.Helper()
	r, err := s.Build(context.Background(), system)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return r
}

// packagesOf returns an enterprise's packages, newest first.
func packagesOf(t testing.TB, s *Service, enterpriseID int64) []Package {
	t.Helper()
	pkgs, _, err := s.Packages(context.Background(), system, PackageFilter{EnterpriseID: enterpriseID})
	if err != nil {
		t.Fatal(err)
	}
	return pkgs
}

func mustContact(t testing.TB, s *Service, c Contact) {
	t.Helper()
	if err := s.SetContact(context.Background(), system, c); err != nil {
		t.Fatalf("set contact: %v", err)
	}
}

func mustApprove(t testing.TB, s *Service, id int64) {
	t.Helper()
	if err := s.Approve(context.Background(), officer(0), id); err != nil {
		t.Fatalf("approve package %d: %v", id, err)
	}
}

func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// oneEmailPackage is a SQLite database with one enterprise whose approved
// package goes to the portal and by e-mail to a@example.com.
func oneEmailPackage(t *testing.T) (*store.DB, *Service) {
	t.Helper()
	db := storetest.Open(t, store.SQLite)
	s, _ := newService(t, db)
	e, _ := mustEnterprise(t, db, "甲", "a")
	approvedPackages(t, s, db, Contact{EnterpriseID: e, Email: "a@example.com", ByEmail: true})
	return db, s
}
