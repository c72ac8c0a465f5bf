package outreach

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/policy"
	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// offerOf is an offer as the build tests compare it.
type offerOf struct {
	policy, amount string
	status         PackageStatus
}

func offers(pkgs []Package) []offerOf {
	var out []offerOf
	for _, p := range pkgs {
		for _, it := range p.Items {
			out = append(out, offerOf{it.Policy, it.Amount, p.Status})
		}
	}
	return out
}

func TestBuild(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		if err := s.SetPolicySetting(ctx, officer(0), PolicySetting{Policy: "six-taxes-two-fees", AutoSend: true}); err != nil {
			t.Fatal(err)
		}
		// Each case has an enterprise of its own; Build covers them all.
		cases := []struct {
			name string
			// before writes results before a first build; after changes
			// things after it, before a second build.
			before, after func(t *testing.T, e int64)
			want          []offerOf // the enterprise's offers after the second build, newest package first
		}{
			{
				name: "a new eligible result is a draft offer",
				before: func(t *testing.T, e int64) {
					mustResult(t, db, result{enterprise: e, policy: "hnte", amount: "120000.00"})
				},
				want: []offerOf{{"hnte", "120000.00", PackageDraft}},
			},
			{
				name: "ineligible and undetermined results are not offered",
				before: func(t *testing.T, e int64) {
					mustResult(t, db, result{enterprise: e, policy: "hnte", status: "ineligible"})
					mustResult(t, db, result{enterprise: e, policy: "tech-sme", status: "undetermined"})
				},
			},
			{
				name: "only the newest evaluation date counts",
				before: func(t *testing.T, e int64) {
					mustResult(t, db, result{enterprise: e, policy: "hnte", on: "2025-05-01", amount: "1.00"})
					mustResult(t, db, result{enterprise: e, policy: "hnte", on: "2025-06-01", status: "ineligible"})
				},
			},
			{
				name:   "an unchanged result is not offered again once approved",
				before: func(t *testing.T, e int64) { mustResult(t, db, result{enterprise: e, policy: "hnte", amount: "5.00"}) },
				after: func(t *testing.T, e int64) {
					mustApprove(t, s, packagesOf(t, s, e)[0].ID)
					mustResult(t, db, result{enterprise: e, policy: "hnte", on: "2025-07-01", amount: "5.00"})
				},
				want: []offerOf{{"hnte", "5.00", PackageApproved}},
			},
			{
				name:   "a changed amount is offered again",
				before: func(t *testing.T, e int64) { mustResult(t, db, result{enterprise: e, policy: "hnte", amount: "5.00"}) },
				after: func(t *testing.T, e int64) {
					mustApprove(t, s, packagesOf(t, s, e)[0].ID)
					mustResult(t, db, result{enterprise: e, policy: "hnte", amount: "7.50"})
				},
				want: []offerOf{{"hnte", "7.50", PackageDraft}, {"hnte", "5.00", PackageApproved}},
			},
			{
				name:   "a new policy version is offered again",
				before: func(t *testing.T, e int64) { mustResult(t, db, result{enterprise: e, policy: "hnte", amount: "5.00"}) },
				after: func(t *testing.T, e int64) {
					mustApprove(t, s, packagesOf(t, s, e)[0].ID)
					mustResult(t, db, result{enterprise: e, policy: "hnte", amount: "5.00", version: "v2"})
				},
				want: []offerOf{{"hnte", "5.00", PackageDraft}, {"hnte", "5.00", PackageApproved}},
			},
			{
				name:   "a new policy joins the open draft",
				before: func(t *testing.T, e int64) { mustResult(t, db, result{enterprise: e, policy: "hnte", amount: "5.00"}) },
				after:  func(t *testing.T, e int64) { mustResult(t, db, result{enterprise: e, policy: "tech-sme"}) },
				want:   []offerOf{{"hnte", "5.00", PackageDraft}, {"tech-sme", "", PackageDraft}},
			},
			{
				name:   "a draft follows its result's amount",
				before: func(t *testing.T, e int64) { mustResult(t, db, result{enterprise: e, policy: "hnte", amount: "5.00"}) },
				after:  func(t *testing.T, e int64) { mustResult(t, db, result{enterprise: e, policy: "hnte", amount: "6.00"}) },
				want:   []offerOf{{"hnte", "6.00", PackageDraft}},
			},
			{
				name:   "a draft whose result is no longer eligible is dropped",
				before: func(t *testing.T, e int64) { mustResult(t, db, result{enterprise: e, policy: "hnte", amount: "5.00"}) },
				after: func(t *testing.T, e int64) {
					mustResult(t, db, result{enterprise: e, policy: "hnte", status: "ineligible"})
				},
			},
			{
				name:   "a withdrawn offer is not offered again",
				before: func(t *testing.T, e int64) { mustResult(t, db, result{enterprise: e, policy: "hnte", amount: "5.00"}) },
				after: func(t *testing.T, e int64) {
					if err := s.Withdraw(ctx, officer(0), packagesOf(t, s, e)[0].ID); err != nil {
						t.Fatal(err)
					}
				},
				want: []offerOf{{"hnte", "5.00", PackageWithdrawn}},
			},
			{
				name: "an auto-send policy goes out at once, the others wait",
				before: func(t *testing.T, e int64) {
					mustResult(t, db, result{enterprise: e, policy: "six-taxes-two-fees", amount: "800.00"})
					mustResult(t, db, result{enterprise: e, policy: "hnte", amount: "5.00"})
				},
				want: []offerOf{{"six-taxes-two-fees", "800.00", PackageApproved}, {"hnte", "5.00", PackageDraft}},
			},
		}
		ids := make([]int64, len(cases))
		for i, c := range cases {
			ids[i], _ = mustEnterprise(t, db, c.name, "a")
			if c.before != nil {
				c.before(t, ids[i])
			}
		}
		mustBuild(t, s)
		for i, c := range cases {
			if c.after != nil {
				c.after(t, ids[i])
			}
		}
		mustBuild(t, s)
		if again := mustBuild(t, s); again != (BuildReport{}) {
			t.Errorf("a third build with nothing new did %+v", again)
		}
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				got := offers(packagesOf(t, s, ids[i]))
				if len(got) != len(c.want) {
					t.Fatalf("offers %v, want %v", got, c.want)
				}
				for k := range got {
					if got[k] != c.want[k] {
						t.Errorf("offer %d: %+v, want %+v", k, got[k], c.want[k])
					}
				}
			})
		}
	})
}

func TestBuildWritesWhatToDo(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		if err := s.SetPolicySetting(ctx, officer(0), PolicySetting{Policy: "hnte", Deadline: "2025-09-30",
			Where: policy.Texts{Zh: "园区政务服务中心2号窗口", En: "window 2 of the park's service centre"}}); err != nil {
			t.Fatal(err)
		}
		e, _ := mustEnterprise(t, db, "示例科技", "a")
		mustResult(t, db, result{enterprise: e, policy: "hnte", amount: "120000.00"})
		mustResult(t, db, result{enterprise: e, policy: "small-low-profit-2023", amount: "380000.00"})
		mustBuild(t, s)
		pkgs := packagesOf(t, s, e)
		if len(pkgs) != 1 || len(pkgs[0].Items) != 2 {
			t.Fatalf("packages %+v, want one with two offers", pkgs)
		}
		if got := pkgs[0].Total(); got.String() != "500000.00" {
			t.Errorf("total %s, want 500000.00", got)
		}
		apply, claimed := pkgs[0].Items[0], pkgs[0].Items[1]
		if apply.Mode != policy.Apply || len(apply.Materials) == 0 || apply.Materials[0].Zh == "" {
			t.Errorf("the HNTE offer's mode %s and materials %v: want apply with the materials", apply.Mode, apply.Materials)
		}
		if apply.Where.Zh != "园区政务服务中心2号窗口" || apply.Deadline != "2025-09-30" {
			t.Errorf("the HNTE offer: where %q, deadline %q", apply.Where.Zh, apply.Deadline)
		}
		if apply.Title.Zh != "高新技术企业认定" || apply.Why.Zh != "满足hnte的全部条件" || apply.Why.En == "" {
			t.Errorf("the HNTE offer's title %q and why %+v", apply.Title.Zh, apply.Why)
		}
		// The small low-profit relief is claimed in the income tax returns
		// (self_declare): the enterprise reports it claimed it, soon, and is
		// told where — the policy's own claim, no setting being made.
		if claimed.Mode != policy.Apply || claimed.Deadline != "2025-07-16" || !strings.Contains(claimed.Where.Zh, "纳税申报表") {
			t.Errorf("the small low-profit offer: mode %s, deadline %q, where %q (want apply, 30 days on, the tax returns)",
				claimed.Mode, claimed.Deadline, claimed.Where.Zh)
		}
	})
}

func TestBuildIsForOfficersOfTheWholeZone(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, store.SQLite)
	s, _ := newService(t, db)
	for _, c := range []struct {
		name string
		who  string
	}{{"a liaison", "liaison"}, {"a park-limited officer", "park officer"}} {
		t.Run(c.name, func(t *testing.T) {
			p := liaison(1)
			if c.who == "park officer" {
				p = officer(1)
			}
			if _, err := s.Build(context.Background(), p); err == nil {
				t.Errorf("%s built packages", c.name)
			}
		})
	}
}

func TestWhyOfAStoredExplanation(t *testing.T) {
	t.Parallel()
	hnte, _ := mustLibrary(t).Policy("hnte")
	cases := []struct {
		name        string
		explanation string
		zh, en      string // fragments the texts must hold; "" for an empty text
	}{
		{"the engine's sentences", `{"explanation": "meets", "explanation_zh": "符合"}`, "符合", "meets"},
		{"matching's criteria", `{"criteria": [
			{"id": "tech_staff", "status": "pass", "op": ">=", "value": "0.3", "threshold": "0.10"},
			{"id": "innovation", "status": "unknown"}]}`,
			"科技人员占职工总数的比例不低于10% 30%（要求>= 10%）", "Technical staff at least 10% of employees 30% (needs >= 10%)"},
		{"nothing readable", `{"criteria": []}`, "", ""},
		{"not JSON", `{`, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := whyOf(c.explanation, hnte)
			if (c.zh == "") != (got.Zh == "") || !strings.Contains(got.Zh, c.zh) || !strings.Contains(got.En, c.en) {
				t.Errorf("why %+v, want it to hold %q and %q", got, c.zh, c.en)
			}
		})
	}
}

// A background build lets other writers in between its spans: during each
// pause a write transaction gets SQLite's one writer at once, and the build
// offers every result as Build would.
func TestBackgroundBuildYieldsTheWriter(t *testing.T) {
	t.Parallel()
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	s, _ := newService(t, db)
	const n = 3*backgroundSpan + 10
	for i := range n {
		e, _ := mustEnterprise(t, db, "企业"+itoa(int64(i)), "a")
		mustResult(t, db, result{enterprise: e, policy: "hnte", amount: "120000.00"})
	}
	pauses := 0
	s.Yield = func(ctx context.Context, took time.Duration) error {
		pauses++
		// Were the writer still held, this write would wait for the build,
		// and the build for this pause: the timeout ends the deadlock.
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		return db.InTx(wctx, func(tx *store.Tx) error {
			_, err := tx.Exec(wctx, "UPDATE parks SET name_zh = name_zh WHERE code = 'a'")
			return err
		})
	}
	r, err := s.BuildInBackground(ctx, system)
	if err != nil {
		t.Fatalf("a write between spans: %v", err)
	}
	if pauses != 3 {
		t.Errorf("%d pauses over %d enterprises, want 3 (one between each two spans of %d)", pauses, n, backgroundSpan)
	}
	if r.Offers != n || r.Drafts != n {
		t.Errorf("built %+v, want %d offers in %d drafts", r, n, n)
	}
}
